#include "infra/db/sqlite_backup.hpp"

#include "infra/db/db.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>

namespace janji::db {

namespace fs = std::filesystem;

namespace {

// One sqlite3 handle, closed however the function using it ends.
class Handle {
 public:
  Handle(const std::string& path, int flags) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error(Error::Kind::kUnavailable, "cannot open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Handle() { sqlite3_close(db_); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  sqlite3* get() const { return db_; }

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw Error(Error::Kind::kOther, std::string(sql) + ": " + msg);
    }
  }
  // The first column of every row of `sql`, as text.
  std::vector<std::string> column(const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK)
      throw Error(Error::Kind::kOther, std::string(sql) + ": " + sqlite3_errmsg(db_));
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, 0);
      out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw Error(Error::Kind::kOther, std::string(sql) + ": failed");
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string check(Handle& db) {
  std::string out;
  for (const auto& line : db.column("PRAGMA integrity_check")) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

// Copies all of `from` into `to` in one step: one read transaction on `from`, so the copy is
// one consistent state of it whatever other connections write meanwhile.
std::int64_t copy(Handle& from, Handle& to) {
  sqlite3_backup* b = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (!b) throw Error(Error::Kind::kOther, std::string("backup: ") + sqlite3_errmsg(to.get()));
  int rc;
  for (int tries = 0;; ++tries) {
    rc = sqlite3_backup_step(b, -1);
    // Busy only while another connection recovers or resets the WAL: moments.
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries == 200) break;
    sqlite3_sleep(50);
  }
  const std::int64_t pages = sqlite3_backup_pagecount(b);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
    throw Error(Error::Kind::kOther, std::string("backup: ") + sqlite3_errstr(rc));
  return pages;
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

std::string utc_stamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y%m%dT%H%M%SZ", &tm);
  return out;
}

constexpr std::string_view kPrefix = "janji-";
constexpr std::string_view kSuffix = ".db";

}  // namespace

std::optional<std::string> sqlite_file(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.rfind(kSqlite, 0) != 0) return std::nullopt;
  std::string path = url.substr(kSqlite.size());
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (path.empty() || path == ":memory:") return std::nullopt;
  return path;
}

BackupDone backup_sqlite(const std::string& source, const std::string& dest) {
  if (!fs::exists(source)) throw std::runtime_error("no database at " + source);
  if (fs::exists(dest)) throw std::runtime_error(dest + " exists already; name a new file");
  const std::string part = dest + ".part";
  fs::remove(part);
  BackupDone done;
  try {
    {
      Handle from(source, SQLITE_OPEN_READWRITE);  // a WAL reader needs the -shm writable
      Handle to(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      done.pages = copy(from, to);
      // A file standing alone: no WAL beside it, synced before it gets its name.
      to.exec("PRAGMA journal_mode = DELETE");
      to.exec("PRAGMA synchronous = FULL");
      if (const auto result = check(to); result != "ok")
        throw Error(Error::Kind::kOther, "the copy failed integrity_check: " + result);
    }
    // Customers' names and addresses: for the owner only.
    fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write);
    const int fd = ::open(part.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      (void)::fsync(fd);
      ::close(fd);
    }
    fs::rename(part, dest);
    sync_directory(fs::path(dest).parent_path());
  } catch (...) {
    std::error_code ignored;
    fs::remove(part, ignored);
    fs::remove(part + "-journal", ignored);
    throw;
  }
  done.bytes = static_cast<std::int64_t>(fs::file_size(dest));
  return done;
}

std::string integrity_check(const std::string& path) {
  if (!fs::exists(path)) throw std::runtime_error("no file " + path);
  Handle db(path, SQLITE_OPEN_READONLY);
  return check(db);
}

UseLock::UseLock(const std::string& database_path, Mode mode) {
  const std::string path = database_path + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  const int op = mode == Mode::kShared ? LOCK_SH : (LOCK_EX | LOCK_NB);
  int rc;
  do {
    rc = ::flock(fd_, op);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int e = errno;
    ::close(fd_);
    fd_ = -1;
    if (e == EWOULDBLOCK)
      throw InUse("the database " + database_path +
                  " is in use (a janji server or command has it open); stop it first");
    throw std::runtime_error("cannot lock " + path + ": " + std::strerror(e));
  }
}

UseLock::~UseLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::string restore_sqlite(const std::string& backup, const std::string& target,
                           std::chrono::system_clock::time_point now) {
  if (const auto result = integrity_check(backup); result != "ok")
    throw std::runtime_error(backup + " failed integrity_check: " + result);
  {
    Handle db(backup, SQLITE_OPEN_READONLY);
    if (db.column("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'").empty())
      throw std::runtime_error(backup + " is not a Janji database (no schema_migrations)");
  }
  const auto parent = fs::path(target).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  UseLock lock(target, UseLock::Mode::kExclusive);

  // The copy first, beside the target: the target is touched only once it is complete.
  const std::string part = target + ".restoring";
  fs::remove(part);
  try {
    Handle from(backup, SQLITE_OPEN_READONLY);
    Handle to(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copy(from, to);
    to.exec("PRAGMA journal_mode = DELETE");
  } catch (...) {
    std::error_code ignored;
    fs::remove(part, ignored);
    throw;
  }

  // The replaced database moves aside with its WAL (the commits not yet checkpointed into
  // it), so it opens as it was.
  std::string aside;
  if (fs::exists(target)) {
    aside = target + ".replaced-" + utc_stamp(now);
    for (const char* suffix : {"-wal", "-shm", ""}) {
      const std::string from = target + suffix;
      if (fs::exists(from)) fs::rename(from, aside + suffix);
    }
  }
  fs::rename(part, target);
  sync_directory(parent);
  return aside;
}

std::string backup_name(std::chrono::system_clock::time_point t) {
  return std::string(kPrefix) + utc_stamp(t) + std::string(kSuffix);
}

std::optional<std::chrono::system_clock::time_point> backup_time(const std::string& name) {
  // janji-YYYYMMDDTHHMMSSZ.db
  if (name.size() != kPrefix.size() + 16 + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix))
    return std::nullopt;
  const std::string stamp = name.substr(kPrefix.size(), 16);
  std::tm tm{};
  const char* end = strptime(stamp.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::vector<std::string> backups_to_delete(std::vector<std::string> names, std::size_t keep) {
  std::erase_if(names, [](const std::string& n) { return !backup_time(n); });
  std::sort(names.begin(), names.end());  // the stamp sorts as the time does
  if (names.size() <= keep) return {};
  names.resize(names.size() - keep);
  return names;
}

}  // namespace janji::db
