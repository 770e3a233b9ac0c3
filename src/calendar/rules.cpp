#include "calendar/rules.hpp"

#include <algorithm>
#include <cstdio>

namespace janji::calendar {

std::optional<std::int64_t> capacity_of(std::optional<std::int64_t> override_capacity,
                                        std::optional<std::int64_t> daily_capacity) {
  return override_capacity ? override_capacity : daily_capacity;
}

bool fits(std::optional<std::int64_t> capacity, std::int64_t booked, std::int64_t clients) {
  return !capacity || booked + clients <= *capacity;
}

std::optional<std::int64_t> remaining(std::optional<std::int64_t> capacity, std::int64_t booked) {
  if (!capacity) return std::nullopt;
  return std::max<std::int64_t>(0, *capacity - booked);
}

std::string format_day(std::chrono::year_month_day day) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return out;
}

int days_in(const Range& range) {
  return static_cast<int>(
             (std::chrono::sys_days(range.to) - std::chrono::sys_days(range.from)).count()) +
         1;
}

std::pair<Timestamp, Timestamp> day_span(std::chrono::year_month_day day,
                                         const notify::Zone& zone) {
  const std::chrono::year_month_day next{std::chrono::sys_days(day) + std::chrono::days(1)};
  return {zone.to_utc(day, std::chrono::minutes(0)), zone.to_utc(next, std::chrono::minutes(0))};
}

std::string fully_booked(std::chrono::year_month_day day) {
  return format_day(day) + " is fully booked";
}

}  // namespace janji::calendar
