#pragma once

#include "app/config.hpp"

#include <string>

namespace janji {

/// `janji backup FILE`: a consistent copy of the SQLite database, safe while a server uses
/// it, checked with integrity_check. Returns the exit code (0 written, 1 failed, 2 not
/// SQLite).
int run_backup(const Config& config, const std::string& file);

/// `janji restore FILE`: puts the backup in place of the SQLite database, which no server
/// may be using; the replaced file is kept beside it. Returns the exit code (0 restored,
/// 1 refused or failed, 2 not SQLite).
int run_restore(const Config& config, const std::string& file);

}  // namespace janji
