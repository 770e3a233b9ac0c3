#include "audit/handlers.hpp"

#include "audit/validation.hpp"
#include "core/json.hpp"
#include "http/errors.hpp"

#include <boost/json.hpp>

namespace janji::audit {

using boost::asio::awaitable;
using http::Access;
using http::Request;
using http::Response;
using http::Verb;

void add_routes(http::Router& router, AuditStore& audit) {
  router.add(
      Verb::get, "/api/admin/audit",
      [&audit](Request& req) -> awaitable<Response> {
        const auto filter = parse_filter(req.query);
        const auto page = co_await audit.list(filter);
        boost::json::array items;
        for (const auto& e : page.items) items.push_back(to_json(e));
        co_return http::envelope(
            200, std::move(items), {},
            {{"pagination", pagination_json(filter.page, filter.limit, page.total)}});
      },
      {.tag = "audit",
       .summary = "Every admin write with its subject before and after, newest first (read-only)",
       .access = Access::kAdmin,
       .response_schema = "Envelope",
       .query = {{"subject_type", "Only changes of this kind of subject (course, booking, ...)"},
                 {"subject_id", "Only changes of this subject"},
                 {"actor_id", "Only changes by this user", {}, "integer"},
                 {"page", "Page, from 1", {}, "integer"},
                 {"limit", "Items per page, 1 to 100 (20)", {}, "integer"}},
       .errors = {400}});
}

}  // namespace janji::audit
