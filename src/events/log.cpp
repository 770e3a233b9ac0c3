#include "events/log.hpp"

#include <string>

namespace janji::events {

namespace {

// One turn at a time from here to the commit: a row that commits later can then never have
// a lower id than one a reader has already seen.
void take_turn(db::Connection& c) {
  c.serialize_on("janji:event-log");
}

std::int64_t insert(db::Connection& c, std::string_view stream, std::string_view type,
                    std::string_view data, Timestamp now) {
  return c
      .query_one(
          "INSERT INTO events (stream, type, data, created_at) VALUES ($1, $2, $3, $4) "
          "RETURNING id",
          {std::string(stream), std::string(type), std::string(data), db::time(now)})
      ->int64(0);
}

}  // namespace

std::int64_t append(db::Connection& c, std::string_view stream, std::string_view type,
                    std::string_view data, Timestamp now) {
  take_turn(c);
  return insert(c, stream, type, data, now);
}

bool append_if_changed(db::Connection& c, std::string_view stream, std::string_view type,
                       std::string_view data, Timestamp now) {
  take_turn(c);  // before the look, so the newest event cannot change until the insert
  const auto newest = c.query_one(
      "SELECT data FROM events WHERE stream = $1 ORDER BY id DESC LIMIT 1", {std::string(stream)});
  if (newest && newest->text(0) == data) return false;
  insert(c, stream, type, data, now);
  return true;
}

std::size_t prune(db::Connection& c, Timestamp cutoff) {
  return static_cast<std::size_t>(
      c.execute("DELETE FROM events WHERE created_at < $1", {db::time(cutoff)}));
}

}  // namespace janji::events
