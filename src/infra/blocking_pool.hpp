#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace janji {

/// Threads for work that blocks (SQLite, password hashing). IO threads `co_await run(...)`
/// and resume on their own executor when the work is done, so they never block.
class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads) {}

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> run(F fn) {
    using R = std::invoke_result_t<F>;
    return boost::asio::co_spawn(
        pool_.get_executor(),
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

  void join() { pool_.join(); }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace janji
