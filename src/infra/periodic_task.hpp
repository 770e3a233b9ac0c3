#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

namespace janji {

/// Runs `work` after `first_delay`, then every `interval`, on one executor until stop().
/// A run that throws is logged under `name`; the next run still happens.
class PeriodicTask {
 public:
  using Work = std::function<boost::asio::awaitable<void>()>;

  PeriodicTask(boost::asio::any_io_executor executor, std::string name,
               std::chrono::milliseconds first_delay, std::chrono::milliseconds interval,
               Work work);

  void start();
  /// Cancels the wait for the next run; a run in progress completes.
  void stop();

 private:
  boost::asio::awaitable<void> loop();

  boost::asio::steady_timer timer_;
  std::string name_;
  std::chrono::milliseconds first_delay_;
  std::chrono::milliseconds interval_;
  Work work_;
  std::atomic<bool> stopping_{false};
};

}  // namespace janji
