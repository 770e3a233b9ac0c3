#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace janji {

/// Threads for work that blocks (SQLite, password hashing). IO threads `co_await run(...)`
/// and resume on their own executor when the work is done, so they never block.
class BlockingPool {
 public:
  /// `nice` above 0 lowers the threads' scheduling priority (Linux, per thread): work that
  /// only burns CPU, like password hashing, then yields the cores to the IO threads, so a
  /// flood of it cannot slow every other request down.
  /// `name` (at most 15 characters) names the threads, as `top -H` and debuggers show them.
  BlockingPool(std::size_t threads, const char* name, int nice = 0)
      : work_(boost::asio::make_work_guard(io_)) {
    for (std::size_t i = 0; i < threads; ++i)
      threads_.emplace_back([this, name, nice] {
        pthread_setname_np(pthread_self(), name);
        if (nice > 0) (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice);
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
