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
  /// A read of one statement and nothing else (Database::read_alone).
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> read_alone(F fn) {
    const Tx alone = [this](const std::function<void(Connection&)>& tx) { db_.read_alone(tx); };
    return on_pool(alone, std::move(fn));
  }
  /// A read that may stop once it knows the data's version (Database::read_if). With `seen`,
  /// a version already read beside another statement (db::shared_data_version), `wanted` is
  /// asked that one at once, on the caller's thread, without a round trip; what `fn` then
  /// reads may be newer than `seen`, never older.
  boost::asio::awaitable<void> read_if(std::function<bool(const std::string&)> wanted,
                                       std::function<void(Connection&)> fn,
                                       std::optional<std::string> seen = std::nullopt) {
    if (seen) {
      if (wanted(*seen)) co_await read(std::move(fn));
      co_return;
    }
    const Tx reading = [this, wanted = std::move(wanted)](
                           const std::function<void(Connection&)>& tx) { db_.read_if(wanted, tx); };
    co_await on_pool(reading, std::move(fn));
  }
  /// Writes go to the database's writer when it has one: no pool thread waits for them.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> write(F fn) {
    if (!db_.queues_writes()) co_return co_await run(TxMode::kWrite, std::move(fn));
    Outcome<std::invoke_result_t<F, Connection&>> out;
    Write work{{}, {}, [&fn, &out](Connection& c) { out.run(fn, c); }};
    co_return co_await queued(std::move(work), out);
  }

  /// A staged write (db::Write): `ask(c)` asks for what the write reads and returns those
  /// answers-to-be; `finish(c, asked)` decides and writes. Both may run more than once.
  template <class Ask, class Finish>
  boost::asio::awaitable<
      std::invoke_result_t<Finish, Connection&, std::invoke_result_t<Ask, Connection&>&>>
  write(std::vector<std::string> keys, Ask ask, Finish finish) {
    using Asked = std::invoke_result_t<Ask, Connection&>;
    using R = std::invoke_result_t<Finish, Connection&, Asked&>;
    if (!db_.queues_writes()) {
      auto both = [&ask, &finish](Connection& c) -> R {
        auto asked = ask(c);
        return finish(c, asked);
      };
      co_return co_await run(TxMode::kWrite, std::move(both));
    }
    std::optional<Asked> asked;
    Outcome<R> out;
    Write work{std::move(keys), [&ask, &asked](Connection& c) { asked.emplace(ask(c)); },
               [&finish, &asked, &out](Connection& c) {
                 auto step = [&finish, &asked](Connection& conn) { return finish(conn, *asked); };
                 out.run(step, c);
               }};
    co_return co_await queued(std::move(work), out);
  }

 private:
  // What `fn(c)` returned, kept until the transaction is over (nothing for void).
  template <class R>
  struct Outcome {
    std::optional<R> value;
    template <class F>
    void run(F& fn, Connection& c) {
      value.emplace(fn(c));
    }
    R take() { return std::move(*value); }
  };
  template <class V>
  requires std::is_void_v<V>
  struct Outcome<V> {
    template <class F>
    void run(F& fn, Connection& c) {
      fn(c);
    }
    void take() {}
  };

  [[noreturn]] static void translate(const Error& e) {
    if (e.kind() == Error::Kind::kBusy || e.kind() == Error::Kind::kUnavailable)
      throw ApiError::unavailable("Service temporarily unavailable, try again", e.what());
    throw ApiError::internal(e.what());
  }

  // Queues `work`, which leaves its result in `out`, and takes it once committed.
  template <class R>
  boost::asio::awaitable<R> queued(Write work, Outcome<R>& out) {
    try {
      co_await queued_write(std::move(work));
    } catch (const Error& e) {
      translate(e);
    }
    co_return out.take();
  }

  // Resumes the caller on its own executor once the write committed, or rethrows there
  // what it threw.
  boost::asio::awaitable<void> queued_write(Write work) {
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

  // How a pool thread runs the store's code against the database.
  using Tx = std::function<void(const std::function<void(Connection&)>&)>;

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> run(TxMode mode, F fn) {
    const Tx in_transaction = [this, mode](const std::function<void(Connection&)>& tx) {
      db_.transaction(mode, tx);
    };
    return on_pool(in_transaction, std::move(fn));
  }

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, Connection&>> on_pool(Tx tx, F fn) {
    using R = std::invoke_result_t<F, Connection&>;
    // Named, not a temporary inside co_await: GCC 12 destroys such temporaries twice.
    auto work = [tx = std::move(tx), fn = std::move(fn)]() mutable -> R {
      Outcome<R> out;
      try {
        tx([&](Connection& c) { out.run(fn, c); });
      } catch (const Error& e) {
        translate(e);
      }
      return out.take();
    };
    co_return co_await pool_.run(std::move(work));
  }

  Database& db_;
  BlockingPool& pool_;
};

}  // namespace janji::db
