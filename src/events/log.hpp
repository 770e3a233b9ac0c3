#pragma once

#include "core/time.hpp"
#include "infra/db/db.hpp"

#include <cstdint>
#include <string_view>

/// The event log: one durable row for every event, written by the change that produces it.
namespace janji::events {

/// Appends an event of `stream` inside the caller's transaction and returns its id. Ids
/// follow commit order: on a database with concurrent writers the append waits for the
/// transactions that appended before it to end, so call it as the transaction's last
/// step (it holds that turn until the commit).
std::int64_t append(db::Connection& c, std::string_view stream, std::string_view type,
                    std::string_view data, Timestamp now);

/// Appends like `append` unless the newest event of `stream` already holds `data` (state
/// every instance recomputes, such as segments, is logged once per change). True when it
/// appended.
bool append_if_changed(db::Connection& c, std::string_view stream, std::string_view type,
                       std::string_view data, Timestamp now);

/// Deletes the events created before `cutoff`; returns how many.
std::size_t prune(db::Connection& c, Timestamp cutoff);

}  // namespace janji::events
