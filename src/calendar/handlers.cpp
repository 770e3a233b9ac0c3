#include "calendar/handlers.hpp"

#include "calendar/validation.hpp"
#include "http/body.hpp"

#include <boost/json.hpp>

namespace janji::calendar {

using boost::asio::awaitable;
using http::Access;
using http::QueryDoc;
using http::Request;
using http::Response;
using http::Verb;

namespace {

const std::vector<QueryDoc> kRangeQuery = {
    {"from", "First date (YYYY-MM-DD); today in BUSINESS_TIMEZONE when absent", {}, "string"},
    {"to", "Last date, included; at most 366 days in all (default: 30 days)", {}, "string"},
};

}  // namespace

void add_routes(http::Router& router, CalendarService& calendar) {
  router.add(Verb::get, "/calendar",
             [&calendar](Request& req) -> awaitable<Response> {
               const auto range = parse_range(req.query, calendar.today());
               boost::json::array out;
               for (const auto& day : co_await calendar.days(range)) out.push_back(to_json(day));
               co_return Response::json(200, out);
             },
             {.tag = "calendar",
              .summary = "Each date's client capacity, booked clients and what remains "
                         "(null: unlimited)",
              .response_schema = "[CalendarDay]",
              .query = kRangeQuery});

  router.add(Verb::put, "/calendar/{date}",
             [&calendar](Request& req) -> awaitable<Response> {
               const auto day = parse_day(req.param("date").value_or(""));
               const auto capacity = parse_capacity(http::json_body(req));
               co_return Response::json(
                   200, to_json(co_await calendar.set(day, capacity, req.caller().id)));
             },
             {.tag = "calendar",
              .summary = "Set a date's client capacity (admin); 0 blocks a day off",
              .id_format = "date",
              .access = Access::kAdmin,
              .request_schema = "CalendarCapacity",
              .response_schema = "CalendarDay"});

  router.add(Verb::delete_, "/calendar/{date}",
             [&calendar](Request& req) -> awaitable<Response> {
               const auto day = parse_day(req.param("date").value_or(""));
               co_await calendar.clear(day, req.caller().id);
               co_return Response::no_content();
             },
             {.tag = "calendar",
              .summary = "Restore a date to DAILY_CLIENT_CAPACITY (admin)",
              .id_format = "date",
              .access = Access::kAdmin,
              .status = 204});
}

}  // namespace janji::calendar
