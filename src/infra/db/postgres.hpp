#pragma once

#include "infra/db/db.hpp"
#include "infra/db/write_queue.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace janji::db {

class PgConnection;

/// PostgreSQL through libpq: a bounded pool of connections opened on demand, a writer
/// with a connection of its own for queued writes, prepared statements per connection, and
/// fail-fast behaviour when the server is gone (connect and
/// statement timeouts, broken connections dropped and replaced on the next use).
class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, std::size_t pool_size);
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  void transaction(TxMode mode, const std::function<void(Connection&)>& fn) override;
  void read_alone(const std::function<void(Connection&)>& fn) override;
  bool queues_writes() const override { return true; }
  void queue_write(Write write, std::function<void(std::exception_ptr)> done) override;

 private:
  std::unique_ptr<PgConnection> acquire();
  void release(std::unique_ptr<PgConnection> c, bool healthy);

  class Writer;
  void run_batch(const WriteQueue::Batch& batch);

  std::string url_;
  std::size_t max_size_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::size_t open_ = 0;  // idle + lent out + being opened

  // Writes queued by requests run on a thread and connection of their own (one more than
  // the pool), committed together (group commit). At most kMaxBatch in one transaction:
  // beyond 64 written-to savepoints PostgreSQL's snapshots of it overflow to pg_subtrans.
  static constexpr std::size_t kMaxBatch = 64;
  std::unique_ptr<PgConnection> writer_;
  std::unique_ptr<WriteQueue> writes_;
};

/// "2026-11-21 10:00:00.5+00" (timestamptz as PostgreSQL prints it with TimeZone=UTC).
std::optional<Timestamp> parse_pg_timestamp(std::string_view text);
/// For "INSERT INTO t (a, b) VALUES ($1, $2)", one row with `params` parameters and nothing
/// after it, the same INSERT of `rows` rows, each numbering its parameters on from the row
/// before ("… VALUES ($1, $2), ($3, $4)"); nothing for any other statement.
std::optional<std::string> insert_of_rows(std::string_view sql, std::size_t params,
                                          std::size_t rows);
/// The text form of a text[] parameter: {"a","b\\"c"}.
std::string pg_text_array(std::span<const std::string> items);
/// The text form of a Timestamp for a timestamptz parameter.
std::string format_pg_timestamp(Timestamp t);

}  // namespace janji::db
