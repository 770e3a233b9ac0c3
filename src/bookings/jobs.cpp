#include "bookings/jobs.hpp"

#include <spdlog/spdlog.h>

namespace janji::bookings {

namespace {

boost::asio::awaitable<void> rescore_once(BookingService& service) {
  const auto changed = co_await service.rescore_open();
  if (changed > 0) spdlog::info("re-scored open bookings: {} changed", changed);
}

boost::asio::awaitable<void> remind_once(BookingService& service, int hour) {
  const auto queued = co_await service.queue_reminders(hour);
  if (queued > 0) spdlog::info("queued {} booking reminder(s)", queued);
}

}  // namespace

ReminderJob::ReminderJob(BookingService& service, boost::asio::any_io_executor executor,
                         std::chrono::milliseconds interval, int reminder_hour)
    : task_(std::move(executor), "booking reminders",
            std::min<std::chrono::milliseconds>(std::chrono::seconds(5), interval), interval,
            [&service, reminder_hour] { return remind_once(service, reminder_hour); }) {}

RescoreJob::RescoreJob(BookingService& service, boost::asio::any_io_executor executor,
                       std::chrono::milliseconds interval)
    : task_(std::move(executor), "re-scoring open bookings",
            std::min<std::chrono::milliseconds>(std::chrono::seconds(5), interval), interval,
            [&service] { return rescore_once(service); }) {}

}  // namespace janji::bookings
