#include "infra/db/migrations.hpp"

#include <spdlog/spdlog.h>

namespace janji::db {

namespace {

std::string_view dialect_folder(Dialect d) {
  return d == Dialect::kSqlite ? "sqlite" : "postgres";
}

constexpr std::string_view kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

// Several instances may start at once. SQLite serialises write transactions by itself; on
// PostgreSQL every migration transaction first takes one advisory lock, held until it ends,
// and lifts the per-statement time limit that protects requests.
void serialise(Connection& c) {
  if (c.dialect() != Dialect::kPostgres) return;
  c.lift_time_limits();
  c.query("SELECT pg_advisory_xact_lock(0, 0)");
}

}  // namespace

MigrationReport migrate(Database& db) {
  MigrationReport report;
  db.transaction(TxMode::kWrite, [](Connection& c) {
    serialise(c);
    c.execute_script(kCreateLedger);
  });
  for (const auto& m : embedded_migrations()) {
    if (m.dialect != dialect_folder(db.dialect())) continue;
    db.transaction(TxMode::kWrite, [&](Connection& c) {
      serialise(c);
      // Checked inside the serialised transaction so concurrent starters apply each once.
      if (c.query_one("SELECT 1 FROM schema_migrations WHERE version = $1",
                      {std::int64_t{m.version}}))
        return;
      spdlog::info("applying migration {}", m.name);
      c.execute_script(m.sql);
      c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {std::int64_t{m.version}, std::string(m.name), format_iso_z(now_utc())});
      ++report.applied;
    });
    report.current_version = m.version;
  }
  return report;
}

}  // namespace janji::db
