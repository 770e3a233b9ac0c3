#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <pthread.h>
#include <sched.h>

#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace janji {

/// Threads for work that blocks (SQLite, password hashing). IO threads `co_await run(...)`
/// and resume on their own executor when the work is done, so they never block.
class BlockingPool {
 public:
  /// How the pool's threads compete for the cores with the rest of the process.
  enum class Priority {
    kNormal,
    /// Linux SCHED_IDLE: the threads run only on cores nothing else wants, and a request
    /// waking up takes the core back at once. For work that only burns CPU, like password
    /// hashing, so a flood of it cannot slow every other request down.
    kIdle,
  };
  /// `name` (at most 15 characters) names the threads, as `top -H` and debuggers show them.
  BlockingPool(std::size_t threads, const char* name, Priority priority = Priority::kNormal)
      : work_(boost::asio::make_work_guard(io_)) {
    for (std::size_t i = 0; i < threads; ++i)
      threads_.emplace_back([this, name, priority] {
        pthread_setname_np(pthread_self(), name);
        if (priority == Priority::kIdle) {
          sched_param none{};
          (void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
        }
        io_.run();
      });
  }
  ~BlockingPool() { join(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> run(F fn) {
    using R = std::invoke_result_t<F>;
    return boost::asio::co_spawn(
        io_.get_executor(),
        [fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> {
          if constexpr (std::is_void_v<R>) {
            fn();
            co_return;
          } else {
            co_return fn();
          }
        },
        boost::asio::use_awaitable);
  }

  /// Finishes the queued work, then stops the threads.
  void join() {
    work_.reset();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

}  // namespace janji
