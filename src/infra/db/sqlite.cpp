#include "infra/db/sqlite.hpp"

#include <sqlite3.h>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <unordered_map>

namespace janji::db {

namespace {

Error to_error(sqlite3* db, int rc) {
  const int ext = sqlite3_extended_errcode(db);
  std::string msg = sqlite3_errmsg(db);
  std::string constraint;
  if (const auto colon = msg.find(": "); colon != std::string::npos)
    constraint = msg.substr(colon + 2);
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return {Error::Kind::kUniqueViolation, msg, constraint};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return {Error::Kind::kForeignKeyViolation, msg, constraint};
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_TRIGGER:
    case SQLITE_CONSTRAINT_NOTNULL:
      return {Error::Kind::kCheckViolation, msg, msg};
    default:
      break;
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return {Error::Kind::kBusy, msg};
  if ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL)
    return {Error::Kind::kUnavailable, msg};
  return {Error::Kind::kOther, msg};
}

}  // namespace

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error(Error::Kind::kUnavailable, "cannot open " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;");
  }

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Rows query(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    Rows rows;
    const int columns = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Cell> cells;
      cells.reserve(columns);
      for (int i = 0; i < columns; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            cells.emplace_back(std::int64_t{sqlite3_column_int64(stmt, i)});
            break;
          case SQLITE_FLOAT:
            cells.emplace_back(sqlite3_column_double(stmt, i));
            break;
          case SQLITE_NULL:
            cells.emplace_back(Null{});
            break;
          default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            cells.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(stmt, i)));
          }
        }
      }
      rows.emplace_back(std::move(cells));
    }
    finish(stmt, rc);
    return rows;
  }

  std::int64_t execute(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    finish(stmt, rc);
    return sqlite3_changes64(db_);
  }

  void execute_script(std::string_view sql) override {
    char* err = nullptr;
    const std::string text(sql);
    if (const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
      sqlite3_free(err);
      throw to_error(db_, rc);
    }
  }

 private:
  sqlite3_stmt* prepare(std::string_view sql, std::span<const Param> params) {
    sqlite3_stmt* stmt;
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      if (const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                            SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
          rc != SQLITE_OK)
        throw to_error(db_, rc);
      cache_.emplace(std::string(sql), stmt);
    }
    const int count = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= count; ++i) {
      // Statements name parameters $1, $2… as PostgreSQL does; bind each by its number.
      const char* name = sqlite3_bind_parameter_name(stmt, i);
      std::size_t n = 0;
      if (!name || name[0] != '$' ||
          std::from_chars(name + 1, name + std::strlen(name), n).ec != std::errc{} || n == 0 ||
          n > params.size()) {
        sqlite3_reset(stmt);
        throw Error(Error::Kind::kOther, "statement parameter " + std::string(name ? name : "?") +
                                             " has no value: " + std::string(sql));
      }
      bind(stmt, i, params[n - 1]);
    }
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, int i, const Param& p) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Null>)
            sqlite3_bind_null(stmt, i);
          else if constexpr (std::is_same_v<T, std::int64_t>)
            sqlite3_bind_int64(stmt, i, v);
          else if constexpr (std::is_same_v<T, double>)
            sqlite3_bind_double(stmt, i, v);
          else if constexpr (std::is_same_v<T, bool>)
            sqlite3_bind_int64(stmt, i, v ? 1 : 0);
          else if constexpr (std::is_same_v<T, std::string>)
            sqlite3_bind_text(stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
          else if constexpr (std::is_same_v<T, MoneyValue>)
            sqlite3_bind_int64(stmt, i, v.minor);
          else if constexpr (std::is_same_v<T, TimeValue>)
            sqlite3_bind_int64(stmt, i, v.at.time_since_epoch().count());
        },
        p);
  }

  void finish(sqlite3_stmt* stmt, int rc) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) throw to_error(db_, rc);
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

SqliteDatabase::SqliteDatabase(const std::string& path, std::size_t pool_size) {
  if (path != ":memory:") {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
  } else {
    pool_size = 1;
  }
  for (std::size_t i = 0; i < std::max<std::size_t>(1, pool_size); ++i)
    idle_.push_back(std::make_unique<SqliteConnection>(path));
}

SqliteDatabase::~SqliteDatabase() = default;

std::unique_ptr<SqliteConnection> SqliteDatabase::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty(); });
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return c;
}

void SqliteDatabase::release(std::unique_ptr<SqliteConnection> c) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(c));
  }
  available_.notify_one();
}

void SqliteDatabase::transaction(TxMode mode, const std::function<void(Connection&)>& fn) {
  std::unique_lock<std::mutex> writer;
  if (mode == TxMode::kWrite) writer = std::unique_lock(write_mutex_);
  auto conn = acquire();
  try {
    conn->execute_script(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    fn(*conn);
    conn->execute_script("COMMIT");
  } catch (...) {
    try {
      conn->execute_script("ROLLBACK");
    } catch (...) {
      // The transaction may already be gone (e.g. the error ended it); nothing to undo.
    }
    release(std::move(conn));
    throw;
  }
  release(std::move(conn));
}

}  // namespace janji::db
