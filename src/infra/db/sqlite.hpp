#pragma once

#include "infra/db/db.hpp"

#include <condition_variable>
#include <mutex>

struct sqlite3;

namespace janji::db {

class SqliteConnection;

/// SQLite in WAL mode: a fixed pool of connections; writers are serialised in-process so
/// they queue on a mutex instead of spinning on SQLITE_BUSY.
class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, std::size_t pool_size);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  void transaction(TxMode mode, const std::function<void(Connection&)>& fn) override;

 private:
  std::unique_ptr<SqliteConnection> acquire();
  void release(std::unique_ptr<SqliteConnection> c);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  std::mutex write_mutex_;
};

}  // namespace janji::db
