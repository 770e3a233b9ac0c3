#pragma once

#include "notify/zone.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

/// The make-up artist's calendar (DESIGN.md "Capacity, waitlist, calendar"): how many
/// clients she can serve on a date, and how many are booked.
namespace janji::calendar {

/// DAILY_CLIENT_CAPACITY (unset: unlimited) and the zone whose dates it counts.
struct Settings {
  std::optional<std::int64_t> daily_capacity;
  notify::Zone zone;
};

/// One date as GET /calendar shows it; null capacity and remaining mean unlimited.
struct Day {
  std::chrono::year_month_day date;
  std::optional<std::int64_t> capacity;
  std::int64_t booked_clients = 0;
  std::optional<std::int64_t> remaining;
};

/// {"date": "YYYY-MM-DD", "capacity", "booked_clients", "remaining"}.
boost::json::value to_json(const Day& day);

/// The dates from `from` to `to`, both included.
struct Range {
  std::chrono::year_month_day from;
  std::chrono::year_month_day to;
};

}  // namespace janji::calendar
