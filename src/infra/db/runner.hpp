#pragma once

#include "core/error.hpp"
#include "infra/blocking_pool.hpp"
#include "infra/db/db.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace janji::db {

/// Runs store code on the blocking pool inside a transaction and turns the driver failures
/// a store did not translate itself into ApiErrors (busy or gone → 503, anything else →
/// 500 with the driver's message kept for the log only).
class Runner {
 public:
  Runner(Database& db, BlockingPool& pool) : db_(db), pool_(pool) {}

  Dialect dialect() const { return db_.dialect(); }
  Database& database() { return db_; }

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> read(F fn) {
    return run(TxMode::kRead, std::move(fn));
  }
  /// Writes go to the database's writer when it has one: no pool thread waits for them.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> write(F fn) {
    if (!db_.queues_writes()) co_return co_await run(TxMode::kWrite, std::move(fn));
    using R = std::invoke_result_t<F, Connection&>;
    std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> out{};
    std::function<void(Connection&)> work = [&fn, &out](Connection& c) {
      if constexpr (std::is_void_v<R>)
        fn(c);
      else
        out.emplace(fn(c));
    };
    try {
      co_await queued_write(std::move(work));
    } catch (const Error& e) {
      translate(e);
    }
    if constexpr (!std::is_void_v<R>) co_return std::move(*out);
  }

 private:
  [[noreturn]] static void translate(const Error& e) {
    if (e.kind() == Error::Kind::kBusy || e.kind() == Error::Kind::kUnavailable)
      throw ApiError::unavailable("Service temporarily unavailable, try again", e.what());
    throw ApiError::internal(e.what());
  }

  // Resumes the caller on its own executor once the write committed, or rethrows there
  // what it threw.
  boost::asio::awaitable<void> queued_write(std::function<void(Connection&)> work) {
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                       void(std::exception_ptr)>(
        [this, work = std::move(work)](auto handler) mutable {
          using Handler = decltype(handler);
          auto waiting = std::make_shared<Handler>(std::move(handler));
          db_.queue_write(std::move(work), [waiting](std::exception_ptr e) {
            auto executor = boost::asio::get_associated_executor(*waiting);
            boost::asio::post(executor, [waiting, e]() mutable { std::move (*waiting)(e); });
          });
        },
        boost::asio::use_awaitable);
  }

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> run(TxMode mode, F fn) {
    using R = std::invoke_result_t<F, Connection&>;
    // Named, not a temporary inside co_await: GCC 12 destroys such temporaries twice.
    auto work = [this, mode, fn = std::move(fn)]() mutable -> R {
      try {
        if constexpr (std::is_void_v<R>) {
          db_.transaction(mode, fn);
        } else {
          std::optional<R> out;
          db_.transaction(mode, [&](Connection& c) { out.emplace(fn(c)); });
          return std::move(*out);
        }
      } catch (const Error& e) {
        translate(e);
      }
    };
    co_return co_await pool_.run(std::move(work));
  }

  Database& db_;
  BlockingPool& pool_;
};

}  // namespace janji::db
