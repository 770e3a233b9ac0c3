#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace janji {

/// How long an idle-priority thread rests after a job that took `wall` and used `cpu` of
/// its thread: nothing when it had its core to itself, else twice its CPU time (at most a
/// quarter of a second), so that such work takes at most about a third of what it has to
/// share.
inline std::chrono::nanoseconds idle_rest(std::chrono::nanoseconds wall,
                                          std::chrono::nanoseconds cpu) {
  if (wall * 4 <= cpu * 5) return std::chrono::nanoseconds{0};
  return std::min<std::chrono::nanoseconds>(2 * cpu, std::chrono::milliseconds(250));
}

/// Threads for work that blocks (SQLite, password hashing). IO threads `co_await run(...)`
/// and resume on their own executor when the work is done, so they never block.
class BlockingPool {
 public:
  /// How the pool's threads compete for the cores with the rest of the process.
  enum class Priority {
    kNormal,
    /// Linux SCHED_IDLE: the threads run only on cores nothing else wants, and a request
    /// waking up takes the core back at once. For work that only burns CPU, like password
    /// hashing, so a flood of it cannot slow every other request down. And paced: after a
    /// job that had to share its core, the thread rests before the next (idle_rest), since
    /// even at idle priority a busy thread costs the others its caches and their wake-ups.
    kIdle,
  };
  /// `name` (at most 15 characters) names the threads, as `top -H` and debuggers show them.
  BlockingPool(std::size_t threads, const char* name, Priority priority = Priority::kNormal)
      : paced_(priority == Priority::kIdle), work_(boost::asio::make_work_guard(io_)) {
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
        [fn = std::move(fn), paced = paced_]() mutable -> boost::asio::awaitable<R> {
          const Pace pace(paced);
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
  // Around a job of a paced pool: first the rest the thread's job before it left owed (so
  // the answer before went out at once), then the job, timed.
  class Pace {
   public:
    explicit Pace(bool on) : on_(on) {
      if (!on_) return;
      if (owed().count() > 0) std::this_thread::sleep_for(std::exchange(owed(), {}));
      wall_ = std::chrono::steady_clock::now();
      cpu_ = thread_cpu();
    }
    ~Pace() {
      if (on_) owed() = idle_rest(std::chrono::steady_clock::now() - wall_, thread_cpu() - cpu_);
    }
    Pace(const Pace&) = delete;
    Pace& operator=(const Pace&) = delete;

   private:
    static std::chrono::nanoseconds& owed() {
      thread_local std::chrono::nanoseconds rest{0};
      return rest;
    }
    static std::chrono::nanoseconds thread_cpu() {
      timespec t{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
    }
    bool on_;
    std::chrono::steady_clock::time_point wall_;
    std::chrono::nanoseconds cpu_{0};
  };

  const bool paced_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

}  // namespace janji
