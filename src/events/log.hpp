#pragma once

#include "core/time.hpp"
#include "infra/db/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The event log: one durable row for every event, written by the change that produces it.
namespace janji::events {

/// Appends an event of `stream` inside the caller's transaction, asked for soon (see
/// db::Connection): the insert goes with the next round trip, or with the one that reads its
/// id when somebody wants it. Ids follow commit order: on a database with concurrent writers
/// the append waits for the transactions that appended before it to end, so call it as the
/// transaction's last step (it holds that turn until the commit).
db::Soon<std::optional<std::int64_t>> append_soon(db::Connection& c, std::string_view stream,
                                                  std::string_view type, std::string_view data,
                                                  Timestamp now);

/// An id for the next event, asked for soon, where the database hands ids out apart from
/// inserts (db::reserve_id): a staged write asks for it with its reads, and what refers to
/// the event (its deliveries) then needs no round trip of its own. Takes the log's turn.
using ReservedId = std::optional<db::Soon<std::int64_t>>;
ReservedId reserve_id(db::Connection& c);

/// append_soon, under an id from reserve_id (as append_soon without one).
db::Soon<std::optional<std::int64_t>> append_soon(db::Connection& c, ReservedId& id,
                                                  std::string_view stream, std::string_view type,
                                                  std::string_view data, Timestamp now);

/// The event that holds some state, and whether it was appended just now.
struct Logged {
  std::int64_t id = 0;
  bool appended = false;
};

/// Appends like `append_soon`, at once, unless the newest event of `stream` already holds `data`
/// (state every instance recomputes, such as segments, is logged once per change).
Logged append_if_changed(db::Connection& c, std::string_view stream, std::string_view type,
                         std::string_view data, Timestamp now);

/// One row of the log.
struct LoggedEvent {
  std::int64_t id = 0;
  std::string stream;
  std::string type;
  std::string data;
};

/// The events after `after`, oldest first, at most `limit`; with `stream`, only that
/// stream's, and with `upto`, none above it.
std::vector<LoggedEvent> read_after(db::Connection& c, std::int64_t after, std::size_t limit,
                                    std::string_view stream = {}, std::int64_t upto = 0);

/// The newest event's id (0 when the log is empty).
std::int64_t last_id(db::Connection& c);

/// Deletes the events created before `cutoff`; returns how many.
std::size_t prune(db::Connection& c, Timestamp cutoff);

}  // namespace janji::events
