#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace janji::db {

/// The SQLite file a DATABASE_URL names; nullopt for PostgreSQL and for `:memory:`.
std::optional<std::string> sqlite_file(const std::string& url);

struct BackupDone {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
};

/// Writes a consistent copy of the SQLite database `source` to `dest` with SQLite's online
/// backup API: one read transaction, so the copy is the database as it was when it began,
/// while writers go on writing (WAL). The copy is written next to `dest`, synced, opened and
/// checked with PRAGMA integrity_check, and only then renamed to `dest`: a failed or
/// interrupted backup leaves no file under that name. Refuses an existing `dest`. Throws
/// db::Error (or std::runtime_error for files) on failure.
BackupDone backup_sqlite(const std::string& source, const std::string& dest);

/// "ok", or the problems PRAGMA integrity_check reports, one per line. Throws when the file
/// cannot be opened as a database.
std::string integrity_check(const std::string& path);

/// Held (shared) by every process that opens the SQLite database `path` through
/// SqliteDatabase, for as long as it has it open: `<path>.lock`, flock(2). Restore takes it
/// exclusively and so refuses while a server (or another command) uses the database.
class UseLock {
 public:
  enum class Mode { kShared, kExclusive };
  /// Throws InUse when `kExclusive` and someone holds it; std::runtime_error when the lock
  /// file cannot be opened.
  UseLock(const std::string& database_path, Mode mode);
  ~UseLock();
  UseLock(const UseLock&) = delete;
  UseLock& operator=(const UseLock&) = delete;

  struct InUse : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

 private:
  int fd_ = -1;
};

/// Puts the backup `backup` in place of the database `target`, which no process may be using
/// (UseLock, taken here). The backup is checked first (integrity_check, and it must hold
/// Janji's tables); the file it replaces is kept, with its WAL, as
/// `<target>.replaced-<UTC time>`. Returns that name, or "" when there was no database yet.
std::string restore_sqlite(const std::string& backup, const std::string& target,
                           std::chrono::system_clock::time_point now);

/// The name of a backup the server writes at `t`: `janji-20261206T033118Z.db`.
std::string backup_name(std::chrono::system_clock::time_point t);
/// When the backup `name` was written, if it is one of those (`backup_name`'s form).
std::optional<std::chrono::system_clock::time_point> backup_time(const std::string& name);
/// Of the file names in a backup folder, the server's backups beyond the newest `keep`,
/// oldest first: those rotation deletes. Other files are never named.
std::vector<std::string> backups_to_delete(std::vector<std::string> names, std::size_t keep);

}  // namespace janji::db
