#include "infra/db/sqlite.hpp"

#include <sqlite3.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <future>
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
    // SQLite counts the memory it allocates under one mutex for the whole process: every
    // allocation of every connection would take it. Janji reads no such count. (Before the
    // library's first use only; later it is refused, harmlessly.)
    static const int unused = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)unused;
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
        "PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864;"
        // 16 MiB of pages per connection (the default is 2 MiB): the tables and indexes a
        // write touches stay in memory instead of being read again from the file.
        "PRAGMA cache_size=-16384;");
  }

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  // Transaction control runs on every request: prepared once, not parsed each time.
  void begin(TxMode mode) { step_once(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN"); }
  void begin() { begin(TxMode::kWrite); }
  Connection& connection() { return *this; }
  void commit() { step_once("COMMIT"); }
  void rollback() { step_once("ROLLBACK"); }
  void savepoint() { step_once("SAVEPOINT batched"); }
  void release_savepoint() { step_once("RELEASE batched"); }
  void rollback_to_savepoint() {
    step_once("ROLLBACK TO batched");
    step_once("RELEASE batched");
  }
  sqlite3* handle() { return db_; }
  /// False once an error (disk full, I/O) has made SQLite roll the transaction back.
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

  Rows query(std::string_view sql, std::span<const Param> params) override {
    Rows rows;
    step_rows(sql, params, [&rows](Row row) { rows.push_back(std::move(row)); });
    return rows;
  }

  void each_row(std::string_view sql, std::span<const Param> params,
                const std::function<void(const Row&)>& fn) override {
    step_rows(sql, params, [&fn](const Row& row) { fn(row); });
  }

  // The pager's count of changes to the file, by this connection or any other; reading it
  // starts the read transaction, so it names that transaction's snapshot.
  std::string data_version() override {
    return "sqlite " + std::to_string(serial_) + " " +
           std::to_string(query_one("PRAGMA data_version")->int64(0));
  }

  std::int64_t execute(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    finish(stmt, rc);
    return sqlite3_changes64(db_);
  }

  std::optional<std::int64_t> insert_id(std::string_view sql,
                                        std::span<const Param> params) override {
    if (execute(sql, params) == 0) return std::nullopt;
    return sqlite3_last_insert_rowid(db_);
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
  template <class Take>
  void step_rows(std::string_view sql, std::span<const Param> params, Take&& take) {
    sqlite3_stmt* stmt = prepare(sql, params);
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
      try {
        take(Row(std::move(cells)));
      } catch (...) {
        sqlite3_reset(stmt);  // ready for its next use
        sqlite3_clear_bindings(stmt);
        throw;
      }
    }
    finish(stmt, rc);
  }

  void step_once(std::string_view sql) {
    sqlite3_stmt* stmt = prepare(sql, {});
    finish(stmt, sqlite3_step(stmt));
  }

  sqlite3_stmt* prepare(std::string_view sql, std::span<const Param> params) {
    sqlite3_stmt* stmt;
    auto it = cache_.find(sql);
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

  // Looked up by string_view without building a std::string per statement.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  sqlite3* db_ = nullptr;
  // Which connection of the process this is: data versions are counted per connection.
  const std::uint64_t serial_ = [] {
    static std::atomic<std::uint64_t> opened{0};
    return ++opened;
  }();
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

SqliteDatabase::SqliteDatabase(const std::string& path, std::size_t pool_size) {
  if (path != ":memory:") {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    in_use_ = std::make_unique<UseLock>(path, UseLock::Mode::kShared);
    writer_ = std::make_unique<SqliteConnection>(path);
    checkpointer_ = std::make_unique<SqliteConnection>(path);
    // Checkpoints copy the WAL back into the database and sync it: milliseconds of work
    // that SQLite would do inside every thousandth commit, holding up the writes queued
    // behind it. A thread of its own does them instead (passive: never blocking a writer).
    sqlite3_wal_hook(writer_->handle(), &SqliteDatabase::after_commit, this);
    checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
  } else {
    pool_size = 1;  // each connection to :memory: is a database of its own
  }
  for (std::size_t i = 0; i < std::max<std::size_t>(1, pool_size); ++i)
    idle_.push_back(std::make_unique<SqliteConnection>(path));
  writes_ = std::make_unique<WriteQueue>("janji-writer", kMaxBatch,
                                         [this](const WriteQueue::Batch& b) { run_batch(b); });
}

SqliteDatabase::~SqliteDatabase() {
  writes_.reset();  // after the writes still queued
  if (checkpoint_thread_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_wanted_.notify_one();
    checkpoint_thread_.join();
  }
}

int SqliteDatabase::after_commit(void* self, sqlite3* writer, const char*, int wal_pages) {
  if (wal_pages >= kInlineCheckpointPages) {
    // The background checkpoints cannot keep up with the writes (the WAL only restarts
    // from its beginning once all of it is copied back): do one here, between two
    // commits, as SQLite itself would, so the WAL stays bounded.
    sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages >= kCheckpointPages) {
    auto* db = static_cast<SqliteDatabase*>(self);
    {
      std::lock_guard lock(db->checkpoint_mutex_);
      db->checkpoint_due_ = true;
    }
    db->checkpoint_wanted_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteDatabase::checkpoint_loop() {
  pthread_setname_np(pthread_self(), "janji-ckpt");
  std::unique_lock lock(checkpoint_mutex_);
  for (;;) {
    checkpoint_wanted_.wait(lock, [this] { return checkpoint_due_ || stopping_; });
    if (stopping_) return;
    checkpoint_due_ = false;
    lock.unlock();
    // Failure (a busy reader, say) leaves the WAL as it is; the next commit asks again.
    sqlite3_wal_checkpoint_v2(checkpointer_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
    lock.lock();
  }
}

std::unique_ptr<SqliteConnection> SqliteDatabase::acquire() {
  std::unique_lock lock(mutex_);
  if (idle_.empty()) stats_.pool_waits.fetch_add(1, std::memory_order_relaxed);
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
  if (mode == TxMode::kWrite) {
    // Through the writer, like every write, and waited for here.
    std::promise<void> committed;
    queue_write({{}, {}, [&fn](Connection& c) { fn(c); }}, [&committed](std::exception_ptr e) {
      if (e)
        committed.set_exception(e);
      else
        committed.set_value();
    });
    committed.get_future().get();
    return;
  }
  auto conn = acquire();
  const DatabaseStats::Open open(stats_);
  try {
    conn->begin(mode);
    fn(*conn);
    conn->commit();
  } catch (...) {
    try {
      conn->rollback();
    } catch (...) {
      // The transaction may already be gone (e.g. the error ended it); nothing to undo.
    }
    release(std::move(conn));
    throw;
  }
  release(std::move(conn));
}

void SqliteDatabase::queue_write(Write write, std::function<void(std::exception_ptr)> done) {
  writes_->push(std::move(write), std::move(done));
}

void SqliteDatabase::run_batch(const WriteQueue::Batch& batch) {
  // The writer keeps its own connection, so its page cache stays warm between batches.
  std::unique_ptr<SqliteConnection> borrowed;
  if (!writer_) borrowed = acquire();
  stats_.batch(batch.size());
  const DatabaseStats::Open open(stats_);
  run_in_one_transaction(writer_ ? *writer_ : *borrowed, batch);
  if (borrowed) release(std::move(borrowed));
}

}  // namespace janji::db
