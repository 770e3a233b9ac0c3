#pragma once

#include "app/config.hpp"

#include <string>
#include <vector>

namespace janji {

struct ImportArgs {
  std::string users, transactions, packages, service_types;  // empty: not given
  std::vector<std::string> dumps;                            // whole-database dumps
  bool dry_run = false;
};

/// `janji import-alfiyah`: reads and checks every dump before it opens the database, then
/// imports in one transaction. Prints progress to stderr and the outcome to stdout; returns
/// the process exit code (0 done or nothing to do, 1 refused, 2 bad arguments).
int run_import_alfiyah(const Config& config, const ImportArgs& args);

}  // namespace janji
