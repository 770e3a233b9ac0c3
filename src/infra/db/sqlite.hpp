#pragma once

#include "infra/db/db.hpp"
#include "infra/db/sqlite_backup.hpp"
#include "infra/db/write_queue.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

struct sqlite3;

namespace janji::db {

class SqliteConnection;

/// SQLite in WAL mode: a fixed pool of connections for reads, and one writer thread with a
/// connection of its own for every write. Writes queue for it instead of spinning on
/// SQLITE_BUSY, and writes queued together are committed together (group commit).
/// Checkpoints run on a thread of their own.
class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, std::size_t pool_size);
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  void transaction(TxMode mode, const std::function<void(Connection&)>& fn) override;
  bool queues_writes() const override { return true; }
  void queue_write(Write write, std::function<void(std::exception_ptr)> done) override;

 private:
  std::unique_ptr<SqliteConnection> acquire();
  void release(std::unique_ptr<SqliteConnection> c);

  void run_batch(const WriteQueue::Batch& batch);

  // First, so it is let go of last: restore refuses while it is held.
  std::unique_ptr<UseLock> in_use_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  std::unique_ptr<SqliteConnection> writer_;  // null for :memory: (writes borrow from idle_)

  // Checkpoints run off the write path once the WAL holds kCheckpointPages pages, and on it
  // if it grew to kInlineCheckpointPages regardless. A WAL reset to its start is cut back
  // to 64 MiB on disk (journal_size_limit).
  static constexpr int kCheckpointPages = 1000;
  static constexpr int kInlineCheckpointPages = 10000;
  static int after_commit(void* self, sqlite3* db, const char* name, int wal_pages);
  void checkpoint_loop();
  std::unique_ptr<SqliteConnection> checkpointer_;
  std::thread checkpoint_thread_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wanted_;
  bool checkpoint_due_ = false;
  bool stopping_ = false;

  // The writer thread and what waits for it; a batch is at most kMaxBatch writes.
  static constexpr std::size_t kMaxBatch = 256;
  std::unique_ptr<WriteQueue> writes_;
};

}  // namespace janji::db
