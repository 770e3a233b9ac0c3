#include "infra/periodic_task.hpp"

#include "infra/spawn.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace janji {

namespace asio = boost::asio;

PeriodicTask::PeriodicTask(asio::any_io_executor executor, std::string name,
                           std::chrono::milliseconds first_delay,
                           std::chrono::milliseconds interval, Work work)
    : timer_(executor),
      name_(std::move(name)),
      first_delay_(first_delay),
      interval_(interval),
      work_(std::move(work)) {}

void PeriodicTask::start() {
  asio::co_spawn(timer_.get_executor(), loop(), log_exit(name_));
}

void PeriodicTask::stop() {
  stopping_ = true;
  // The timer belongs to its executor's thread.
  asio::dispatch(timer_.get_executor(), [this] { timer_.cancel(); });
}

asio::awaitable<void> PeriodicTask::loop() {
  auto wait = first_delay_;
  while (!stopping_) {
    timer_.expires_after(wait);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || stopping_) co_return;
    wait = interval_;
    try {
      co_await work_();
    } catch (const std::exception& e) {
      spdlog::error("{} failed: {}", name_, e.what());
    }
  }
}

}  // namespace janji
