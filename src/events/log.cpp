#include "events/log.hpp"

#include "infra/db/query.hpp"

#include <string>

namespace janji::events {

namespace {

// One turn at a time from here to the commit: a row that commits later can then never have
// a lower id than one a reader has already seen.
void take_turn(db::Connection& c) {
  c.serialize_on(db::kWriteTurn);
}

constexpr std::string_view kInsert =
    "INSERT INTO events (stream, type, data, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kInsertWithId =
    "INSERT INTO events (id, stream, type, data, created_at) VALUES ($1, $2, $3, $4, $5)";

std::int64_t insert(db::Connection& c, std::string_view stream, std::string_view type,
                    std::string_view data, Timestamp now) {
  return *c.insert_id(kInsert,
                      {std::string(stream), std::string(type), std::string(data), db::time(now)});
}

}  // namespace

db::Soon<std::optional<std::int64_t>> append_soon(db::Connection& c, std::string_view stream,
                                                  std::string_view type, std::string_view data,
                                                  Timestamp now) {
  take_turn(c);
  return c.insert_id_soon(
      kInsert, {std::string(stream), std::string(type), std::string(data), db::time(now)});
}

ReservedId reserve_id(db::Connection& c) {
  take_turn(c);  // ids follow the turn, like the inserts' own
  return db::reserve_id(c, "events");
}

db::Soon<std::optional<std::int64_t>> append_soon(db::Connection& c, ReservedId& id,
                                                  std::string_view stream, std::string_view type,
                                                  std::string_view data, Timestamp now) {
  if (!id) return append_soon(c, stream, type, data, now);
  take_turn(c);
  const auto event_id = id->get();
  c.execute_soon(kInsertWithId, {event_id, std::string(stream), std::string(type),
                                 std::string(data), db::time(now)});
  return db::Soon<std::optional<std::int64_t>>(event_id);
}

Logged append_if_changed(db::Connection& c, std::string_view stream, std::string_view type,
                         std::string_view data, Timestamp now) {
  take_turn(c);  // before the look, so the newest event cannot change until the insert
  const auto newest =
      c.query_one("SELECT id, data FROM events WHERE stream = $1 ORDER BY id DESC LIMIT 1",
                  {std::string(stream)});
  if (newest && newest->text(1) == data) return {newest->int64(0), false};
  return {insert(c, stream, type, data, now), true};
}

std::vector<LoggedEvent> read_after(db::Connection& c, std::int64_t after, std::size_t limit,
                                    std::string_view stream, std::int64_t upto) {
  const auto n = static_cast<std::int64_t>(limit);
  const auto rows =
      stream.empty()
          ? c.query("SELECT id, stream, type, data FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                    {after, n})
          : c.query(
                "SELECT id, stream, type, data FROM events WHERE stream = $1 AND id > $2 "
                "AND id <= $3 ORDER BY id LIMIT $4",
                {std::string(stream), after, upto > 0 ? upto : INT64_MAX, n});
  std::vector<LoggedEvent> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.int64(0), r.text(1), r.text(2), r.text(3)});
  return out;
}

std::int64_t last_id(db::Connection& c) {
  const auto r = c.query_one("SELECT COALESCE(MAX(id), 0) FROM events");
  return r ? r->int64(0) : 0;
}

std::size_t prune(db::Connection& c, Timestamp cutoff) {
  // Ids grow with time, so the expired events are the lowest ids: the first one kept is found
  // by walking the primary key from its start over the ones about to go, with no index on
  // created_at for every event to write. (A clock set back keeps a few a little longer.)
  const auto kept = c.query_one("SELECT id FROM events WHERE created_at >= $1 ORDER BY id LIMIT 1",
                                {db::time(cutoff)});
  if (!kept)  // all of them (a scan, but of rows that all go)
    return static_cast<std::size_t>(
        c.execute("DELETE FROM events WHERE created_at < $1", {db::time(cutoff)}));
  return static_cast<std::size_t>(c.execute("DELETE FROM events WHERE id < $1", {kept->int64(0)}));
}

}  // namespace janji::events
