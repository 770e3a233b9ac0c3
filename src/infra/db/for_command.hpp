#pragma once

#include "infra/db/db.hpp"
#include "infra/db/migrations.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace janji {

/// The database for a one-shot command (migrate, admin, seed-demo, import), migrated. The
/// server fails fast when the database is away; a command an operator just started waits
/// a little instead, so a busy or just-starting PostgreSQL does not fail it.
inline std::unique_ptr<db::Database> open_for_command(const std::string& url,
                                                      db::MigrationReport* report = nullptr) {
  using namespace std::chrono_literals;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    try {
      auto db = db::open_database(url, 1);
      const auto r = db::migrate(*db);
      if (report) *report = r;
      return db;
    } catch (const db::Error& e) {
      if (e.kind() != db::Error::Kind::kUnavailable || std::chrono::steady_clock::now() > deadline)
        throw;
      spdlog::warn("{}; trying again", e.what());
      std::this_thread::sleep_for(1s);
    }
  }
}

}  // namespace janji
