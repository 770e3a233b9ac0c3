#pragma once

#include "infra/blocking_pool.hpp"
#include "infra/periodic_task.hpp"

#include <chrono>
#include <string>

namespace janji::db {

/// BACKUP_INTERVAL / BACKUP_KEEP: every `interval`, a backup of the SQLite database
/// `database` into `folder` (named by backup_name), written on `pool`; then the oldest
/// beyond the newest `keep` are deleted. The first is due `interval` after the newest one
/// already in the folder (soon after start when that is overdue), or one minute after
/// start (sooner when `interval` is shorter) when there is none.
class BackupJob {
 public:
  BackupJob(BlockingPool& pool, boost::asio::any_io_executor executor, std::string database,
            std::string folder, std::chrono::milliseconds interval, std::size_t keep);

  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  PeriodicTask task_;
};

/// One backup into `folder` and the rotation after it; returns the new file's path.
std::string back_up_and_rotate(const std::string& database, const std::string& folder,
                               std::size_t keep);

}  // namespace janji::db
