#pragma once

#include "core/time.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/// The audit log (DESIGN.md "Audit log and exports"): every admin write, who made it, and
/// its subject before and after, appended in the write's own transaction.
namespace janji::audit {

/// Who made a change: the user whose token made the request; nullopt for the command line
/// and start-up (imports, ADMIN_EMAIL).
using Actor = std::optional<std::int64_t>;

/// One change to append. `before`/`after` are the subject's JSON as the API shows it;
/// nullopt where it did not exist.
struct Change {
  Actor actor;
  std::string action;        // "course.updated", "booking.confirmed", ...
  std::string subject_type;  // "course", "course_booking", ...
  std::string subject_id;
  std::optional<boost::json::value> before;
  std::optional<boost::json::value> after;
};

/// A row of the log.
struct Entry {
  std::int64_t id = 0;
  Timestamp at;
  Actor actor_id;
  std::string action;
  std::string subject_type;
  std::string subject_id;
  std::optional<std::string> before;  // JSON text
  std::optional<std::string> after;
};

/// {id, at, actor_id, action, subject_type, subject_id, before, after}, the subject's JSON
/// embedded as JSON.
boost::json::value to_json(const Entry& e);

struct Filter {
  std::optional<std::string> subject_type;
  std::optional<std::string> subject_id;
  std::optional<std::int64_t> actor_id;
  std::int64_t page = 1;
  std::int64_t limit = 20;
};

struct Page {
  std::vector<Entry> items;
  std::int64_t total = 0;
};

}  // namespace janji::audit
