#include "app/backup_command.hpp"

#include "infra/db/sqlite_backup.hpp"

#include <iostream>

namespace janji {

namespace {

constexpr const char* kOnPostgres =
    "janji: DATABASE_URL is not a SQLite file; back PostgreSQL up with pg_dump and restore "
    "with pg_restore (see the README, \"Backups\")\n";

}  // namespace

int run_backup(const Config& config, const std::string& file) {
  const auto database = db::sqlite_file(config.database_url);
  if (!database) {
    std::cerr << kOnPostgres;
    return 2;
  }
  try {
    std::cerr << "backing up " << *database << " to " << file << " …\n";
    const auto done = db::backup_sqlite(*database, file);
    std::cout << "backup written to " << file << ": " << done.pages << " pages, " << done.bytes
              << " bytes, integrity_check ok\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "janji: backup failed: " << e.what() << "\n";
    return 1;
  }
}

int run_restore(const Config& config, const std::string& file) {
  const auto database = db::sqlite_file(config.database_url);
  if (!database) {
    std::cerr << kOnPostgres;
    return 2;
  }
  try {
    const auto aside = db::restore_sqlite(file, *database, std::chrono::system_clock::now());
    std::cout << "restored " << *database << " from " << file;
    if (!aside.empty()) std::cout << "; the database it replaced is kept as " << aside;
    std::cout << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "janji: restore refused: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace janji
