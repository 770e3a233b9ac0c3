#pragma once

#include "infra/db/db.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace janji::db {

class PgConnection;

/// PostgreSQL through libpq: a bounded pool of connections opened on demand, prepared
/// statements per connection, and fail-fast behaviour when the server is gone (connect and
/// statement timeouts, broken connections dropped and replaced on the next use).
class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, std::size_t pool_size);
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  void transaction(TxMode mode, const std::function<void(Connection&)>& fn) override;

 private:
  std::unique_ptr<PgConnection> acquire();
  void release(std::unique_ptr<PgConnection> c, bool healthy);

  std::string url_;
  std::size_t max_size_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::size_t open_ = 0;  // idle + lent out + being opened
};

/// "2026-11-21 10:00:00.5+00" (timestamptz as PostgreSQL prints it with TimeZone=UTC).
std::optional<Timestamp> parse_pg_timestamp(std::string_view text);
/// The text form of a Timestamp for a timestamptz parameter.
std::string format_pg_timestamp(Timestamp t);

}  // namespace janji::db
