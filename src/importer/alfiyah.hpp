#pragma once

// Importing the original FastAPI + MySQL backend's data: its tables `users`, `transactions`,
// `packages` and `service_types` as phpMyAdmin dumps.

#include "auth/dto.hpp"
#include "bookings/dto.hpp"
#include "bookings/priority.hpp"
#include "importer/mysql_dump.hpp"
#include "infra/db/db.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace janji::importer {

/// Something that stops the import: where it is and why.
struct Problem {
  std::string file;
  std::size_t line = 0;
  std::string reason;
};
std::string to_string(const Problem& p);

/// A parsed dump and the file it came from.
struct DumpFile {
  std::string path;
  Dump tables;
};

/// Which file holds each table: a named one (--users …) or, when none is named, any whole
/// database dump that has it. `users` and `transactions` are required.
struct Sources {
  std::optional<DumpFile> users, transactions, packages, service_types;
  std::vector<DumpFile> whole;  // whole-database dumps
};

struct LegacyUser {
  std::int64_t id = 0;
  auth::NewUser user;
  std::string hashed_password;
  std::size_t line = 0;
};
struct LegacyPackage {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> description;
  std::size_t line = 0;
};
struct LegacyServiceType {
  std::int64_t id = 0;
  std::int64_t package_id = 0;
  std::string name;
  std::optional<std::string> description;
  Money price = 0;
  std::size_t line = 0;
};
struct LegacyBooking {
  bookings::Booking booking;  // id, user, service type, price, status and dates as dumped
  std::size_t line = 0;
};

/// The legacy data, typed and checked row by row.
struct Legacy {
  std::string users_file, transactions_file, packages_file, service_types_file;
  std::vector<LegacyPackage> packages;
  std::vector<LegacyServiceType> service_types;
  std::vector<LegacyUser> users;
  std::vector<LegacyBooking> bookings;
};

/// The original's booking statuses (and the Indonesian and misspelt ones seen in such
/// databases) as Janji's; nullopt when unknown.
std::optional<std::string> map_legacy_status(std::string_view status);

/// bcrypt ($2a$, $2b$, $2y$) as the original stored, or Janji's own Argon2id.
bool is_importable_password_hash(std::string_view hash);

/// Reads and checks every row: types, required values, statuses, hashes, duplicate ids and
/// e-mails, and references between the dumped tables. Appends what is wrong to `problems`.
Legacy read_legacy(const Sources& sources, std::vector<Problem>& problems);

struct TableCount {
  std::size_t added = 0;
  std::size_t present = 0;  // already imported, left as it is
};

struct ImportReport {
  TableCount packages, service_types, users, bookings;
  std::vector<Problem> problems;  // conflicts with what the database holds
  bool written = false;
};

/// Progress of a long import: table name, rows done, rows in all.
using Progress = std::function<void(std::string_view table, std::size_t done, std::size_t total)>;

/// Writes `legacy` in one transaction: ids are kept (and id sequences moved past them),
/// priorities recomputed with `rules` at `now`, rows already imported left alone. When a
/// row conflicts with the database, or with `dry_run`, everything is rolled back and the
/// report says what would have been done.
ImportReport import_legacy(db::Database& db, const Legacy& legacy,
                           const bookings::PriorityRules& rules, Timestamp now, bool dry_run,
                           const Progress& progress);

}  // namespace janji::importer
