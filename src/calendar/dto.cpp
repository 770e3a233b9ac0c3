#include "calendar/dto.hpp"

#include "calendar/rules.hpp"

#include <boost/json.hpp>

namespace janji::calendar {

namespace json = boost::json;

namespace {

json::value or_null(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

json::value to_json(const Day& day) {
  return json::object{{"date", format_day(day.date)},
                      {"capacity", or_null(day.capacity)},
                      {"booked_clients", day.booked_clients},
                      {"remaining", or_null(day.remaining)}};
}

}  // namespace janji::calendar
