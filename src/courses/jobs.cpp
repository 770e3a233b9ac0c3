#include "courses/jobs.hpp"

#include <spdlog/spdlog.h>

namespace janji::courses {

namespace {

boost::asio::awaitable<void> expire_once(CourseService& service) {
  if (const auto n = co_await service.expire_due(); n > 0)
    spdlog::info("expired {} pending course booking(s)", n);
}

}  // namespace

ExpiryJob::ExpiryJob(CourseService& service, boost::asio::any_io_executor executor,
                     std::chrono::milliseconds interval)
    : task_(std::move(executor), "expiring course bookings", interval, interval,
            [&service] { return expire_once(service); }) {}

}  // namespace janji::courses
