#include "calendar/validation.hpp"

#include "calendar/rules.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "http/body.hpp"

namespace janji::calendar {

namespace json = boost::json;

namespace {

constexpr int kDefaultRangeDays = 30;

FieldError bad_date(std::string_view where, std::string_view name, std::string_view text) {
  return {json::array{where, name},
          "Input should be a valid date in the format YYYY-MM-DD",
          "date_from_datetime_parsing",
          json::value(text),
          {}};
}

}  // namespace

std::chrono::year_month_day parse_day(std::string_view text, std::string_view name) {
  if (auto day = parse_date(text)) return *day;
  throw ApiError::validation({bad_date("path", name, text)});
}

std::int64_t parse_capacity(json::value body) {
  Fields f(std::move(body));
  f.forbid_unknown({"capacity"});
  const auto capacity = f.required_int("capacity", 0, 1000000);
  f.finish();
  return capacity;
}

Range parse_range(const http::Pairs& query, std::chrono::year_month_day today) {
  std::vector<FieldError> errors;
  const auto read = [&](std::string_view name) -> std::optional<std::chrono::year_month_day> {
    for (const auto& [key, value] : query) {
      if (key != name) continue;
      if (auto day = parse_date(value)) return day;
      errors.push_back(bad_date("query", name, value));
      return std::nullopt;
    }
    return std::nullopt;
  };
  const auto from = read("from");
  const auto to = read("to");
  if (!errors.empty()) throw ApiError::validation(std::move(errors));
  Range range;
  range.from = from.value_or(today);
  range.to = to.value_or(std::chrono::year_month_day{std::chrono::sys_days(range.from) +
                                                     std::chrono::days(kDefaultRangeDays - 1)});
  const auto days = days_in(range);
  if (days < 1)
    throw ApiError::validation({{json::array{"query", "to"},
                                 "Value error, to must not be before from",
                                 "value_error",
                                 json::value(format_day(range.to)),
                                 {}}});
  if (days > kMaxRangeDays)
    throw ApiError::validation({{json::array{"query", "to"},
                                 "Value error, at most 366 days at once",
                                 "value_error",
                                 json::value(format_day(range.to)),
                                 {}}});
  return range;
}

}  // namespace janji::calendar
