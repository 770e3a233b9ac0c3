#pragma once

#include "calendar/store.hpp"

namespace janji::calendar {

/// The calendar's reads and the admin's per-date capacities.
class CalendarService {
 public:
  explicit CalendarService(CalendarStore& store) : store_(store) {}

  /// Today in BUSINESS_TIMEZONE: where a range without `from` starts.
  std::chrono::year_month_day today() const;

  boost::asio::awaitable<std::vector<Day>> days(Range range);
  boost::asio::awaitable<Day> set(std::chrono::year_month_day day, std::int64_t capacity,
                                  audit::Actor by);
  /// Nothing to do (and nothing logged) when the date had no capacity of its own.
  boost::asio::awaitable<void> clear(std::chrono::year_month_day day, audit::Actor by);

 private:
  CalendarStore& store_;
};

}  // namespace janji::calendar
