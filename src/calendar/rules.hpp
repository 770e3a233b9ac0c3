#pragma once

#include "calendar/dto.hpp"
#include "core/time.hpp"

#include <optional>
#include <string>

/// The calendar's rules. Pure.
namespace janji::calendar {

/// The most days GET /calendar answers for at once.
inline constexpr int kMaxRangeDays = 366;

/// A date's capacity: its own override when an admin set one, else the daily default
/// (nullopt: unlimited).
std::optional<std::int64_t> capacity_of(std::optional<std::int64_t> override_capacity,
                                        std::optional<std::int64_t> daily_capacity);

/// Whether `clients` more fit on a date with `capacity` and `booked` clients already.
bool fits(std::optional<std::int64_t> capacity, std::int64_t booked, std::int64_t clients);

/// What is left on a date (never below 0); nullopt when unlimited.
std::optional<std::int64_t> remaining(std::optional<std::int64_t> capacity, std::int64_t booked);

/// "YYYY-MM-DD".
std::string format_day(std::chrono::year_month_day day);

/// The days from `from` to `to` inclusive (1 for a single date).
int days_in(const Range& range);

/// The instants [first, second) during which the zone's clocks show `day`.
std::pair<Timestamp, Timestamp> day_span(std::chrono::year_month_day day, const notify::Zone& zone);

/// 409's detail for a booking that does not fit: "<date> is fully booked".
std::string fully_booked(std::chrono::year_month_day day);

}  // namespace janji::calendar
