#include "calendar/service.hpp"

namespace janji::calendar {

std::chrono::year_month_day CalendarService::today() const {
  return store_.settings().zone.local(now_utc()).day;
}

boost::asio::awaitable<std::vector<Day>> CalendarService::days(Range range) {
  co_return co_await store_.days(range);
}

boost::asio::awaitable<Day> CalendarService::set(std::chrono::year_month_day day,
                                                 std::int64_t capacity, audit::Actor by) {
  co_return co_await store_.set(day, capacity, now_utc(), by);
}

boost::asio::awaitable<void> CalendarService::clear(std::chrono::year_month_day day,
                                                    audit::Actor by) {
  co_await store_.clear(day, now_utc(), by);
}

}  // namespace janji::calendar
