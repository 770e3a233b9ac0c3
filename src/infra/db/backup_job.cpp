#include "infra/db/backup_job.hpp"

#include "infra/db/sqlite_backup.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace janji::db {

namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

// How long until the first backup: `interval` after the newest in `folder`, at least a few
// seconds after start (the server settles first), at most `interval`.
std::chrono::milliseconds first_delay(const std::string& folder,
                                      std::chrono::milliseconds interval) {
  std::optional<std::chrono::system_clock::time_point> newest;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const auto t = backup_time(entry.path().filename().string());
    if (t && (!newest || *t > *newest)) newest = t;
  }
  if (!newest) return std::min<std::chrono::milliseconds>(1min, interval);
  const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(
      *newest + interval - std::chrono::system_clock::now());
  return std::clamp<std::chrono::milliseconds>(
      due, std::min<std::chrono::milliseconds>(5s, interval), interval);
}

boost::asio::awaitable<void> back_up_on(BlockingPool& pool, std::string database,
                                        std::string folder, std::size_t keep) {
  auto work = [&] { return back_up_and_rotate(database, folder, keep); };
  co_await pool.run(std::move(work));
}

}  // namespace

std::string back_up_and_rotate(const std::string& database, const std::string& folder,
                               std::size_t keep) {
  fs::create_directories(folder);
  fs::permissions(folder, fs::perms::owner_all);
  auto name = backup_name(std::chrono::system_clock::now());
  const auto path = (fs::path(folder) / name).string();
  const auto done = backup_sqlite(database, path);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  for (const auto& old : backups_to_delete(std::move(names), keep)) {
    std::error_code ec;
    fs::remove(fs::path(folder) / old, ec);
    if (ec) spdlog::warn("could not delete the old backup {}: {}", old, ec.message());
  }
  spdlog::info("backup written to {} ({} pages, {} bytes)", path, done.pages, done.bytes);
  return path;
}

BackupJob::BackupJob(BlockingPool& pool, boost::asio::any_io_executor executor,
                     std::string database, std::string folder, std::chrono::milliseconds interval,
                     std::size_t keep)
    : task_(std::move(executor), "backing up the database", first_delay(folder, interval), interval,
            [&pool, database = std::move(database), folder = std::move(folder), keep] {
              return back_up_on(pool, database, folder, keep);
            }) {}

}  // namespace janji::db
