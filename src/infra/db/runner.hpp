#pragma once

#include "core/error.hpp"
#include "infra/blocking_pool.hpp"
#include "infra/db/db.hpp"

#include <spdlog/spdlog.h>

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
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> write(F fn) {
    return run(TxMode::kWrite, std::move(fn));
  }

 private:
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
        if (e.kind() == Error::Kind::kBusy || e.kind() == Error::Kind::kUnavailable)
          throw ApiError::unavailable("Service temporarily unavailable, try again", e.what());
        throw ApiError::internal(e.what());
      }
    };
    co_return co_await pool_.run(std::move(work));
  }

  Database& db_;
  BlockingPool& pool_;
};

}  // namespace janji::db
