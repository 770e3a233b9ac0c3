#pragma once

#include "infra/db/db.hpp"

#include <string_view>
#include <vector>

namespace janji::db {

struct Migration {
  std::string_view dialect;  // folder name: "sqlite", "postgres"
  int version;
  std::string_view name;
  std::string_view sql;
};

/// Every migration compiled into the binary (generated from src/infra/db/migrations/).
const std::vector<Migration>& embedded_migrations();

struct MigrationReport {
  int applied = 0;
  int current_version = 0;
};

/// Applies, in order and each in its own transaction, the migrations of the database's
/// dialect that it has not seen yet.
MigrationReport migrate(Database& db);

}  // namespace janji::db
