#pragma once

#include "calendar/dto.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

/// Decoding of the calendar's requests; errors are FastAPI's 422 shape. Pure.
namespace janji::calendar {

/// A date written YYYY-MM-DD, as a path parameter named `name`.
std::chrono::year_month_day parse_day(std::string_view text, std::string_view name = "date");

/// {"capacity": integer >= 0}: the clients the date can take (0: a day off).
std::int64_t parse_capacity(boost::json::value body);

/// `from` and `to` (YYYY-MM-DD, both included, at most kMaxRangeDays days). Without `from`,
/// `today`; without `to`, 30 days from `from`.
Range parse_range(const http::Pairs& query, std::chrono::year_month_day today);

}  // namespace janji::calendar
