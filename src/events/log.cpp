#include "events/log.hpp"

#include <string>

namespace janji::events {

std::int64_t append(db::Connection& c, std::string_view stream, std::string_view type,
                    std::string_view data, Timestamp now) {
  // One turn at a time from here to the commit: a row that commits later can then never
  // have a lower id than one a reader has already seen.
  c.serialize_on("janji:event-log");
  return c
      .query_one(
          "INSERT INTO events (stream, type, data, created_at) VALUES ($1, $2, $3, $4) "
          "RETURNING id",
          {std::string(stream), std::string(type), std::string(data), db::time(now)})
      ->int64(0);
}

std::size_t prune(db::Connection& c, Timestamp cutoff) {
  return static_cast<std::size_t>(
      c.execute("DELETE FROM events WHERE created_at < $1", {db::time(cutoff)}));
}

}  // namespace janji::events
