#include "notify/handlers.hpp"

#include "core/json.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "notify/validation.hpp"

#include <boost/json.hpp>

namespace janji::notify {

namespace json = boost::json;
using boost::asio::awaitable;
using http::Access;
using http::Request;
using http::Response;
using http::Verb;

void add_routes(http::Router& router, NotifyService& notify, bool allow_private) {
  router.add(Verb::post, "/api/admin/webhooks",
             [&notify, allow_private](Request& req) -> awaitable<Response> {
               auto request = parse_webhook_request(http::json_body(req), allow_private);
               const auto e = co_await notify.add_webhook(std::move(request), req.caller().id);
               co_return http::envelope(201, to_json(e, true));
             },
             {.tag = "notifications",
              .summary = "Register a webhook endpoint; the answer holds its secret, shown once",
              .access = Access::kAdmin,
              .request_schema = "WebhookInput",
              .status = 201,
              .response_schema = "Envelope",
              .errors = {400}});

  router.add(Verb::get, "/api/admin/webhooks",
             [&notify](Request&) -> awaitable<Response> {
               json::array out;
               for (const auto& e : co_await notify.webhooks()) out.push_back(to_json(e));
               co_return http::envelope(200, std::move(out));
             },
             {.tag = "notifications",
              .summary = "Webhook endpoints (without their secrets)",
              .access = Access::kAdmin,
              .response_schema = "Envelope"});

  router.add(Verb::get, "/api/admin/webhooks/{id}",
             [&notify](Request& req) -> awaitable<Response> {
               const auto e = co_await notify.webhook(http::path_id(req, "id"));
               co_return http::envelope(200, to_json(e));
             },
             {.tag = "notifications",
              .summary = "One webhook endpoint (without its secret)",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {404}});

  router.add(Verb::delete_, "/api/admin/webhooks/{id}",
             [&notify](Request& req) -> awaitable<Response> {
               co_await notify.remove_webhook(http::path_id(req, "id"), req.caller().id);
               co_return http::envelope(200, json::object{{"deleted", true}});
             },
             {.tag = "notifications",
              .summary = "Delete a webhook endpoint; its queued deliveries are not sent",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {404}});

  router.add(
      Verb::get, "/api/admin/notifications",
      [&notify](Request& req) -> awaitable<Response> {
        const auto filter = parse_delivery_filter(req.query);
        const auto page = co_await notify.deliveries(filter);
        json::array items;
        for (const auto& d : page.items) items.push_back(to_json(d));
        co_return http::envelope(
            200, std::move(items), {},
            {{"pagination", pagination_json(filter.page, filter.limit, page.total)}});
      },
      {.tag = "notifications",
       .summary = "Deliveries (WhatsApp, e-mail, webhooks, wa.me links), newest first",
       .access = Access::kAdmin,
       .response_schema = "Envelope",
       .query = {{"status", "Only this status", {"queued", "sent", "failed"}},
                 {"channel", "Only this channel", {"whatsapp", "email", "webhook", "wa_link"}},
                 {"page", "Page, from 1", {}, "integer"},
                 {"limit", "Items per page, 1 to 100 (20)", {}, "integer"}},
       .errors = {400}});

  router.add(Verb::post, "/api/admin/notifications/{id}/retry",
             [&notify](Request& req) -> awaitable<Response> {
               const auto d = co_await notify.retry(http::path_id(req, "id"), req.caller().id);
               co_return http::envelope(200, to_json(d));
             },
             {.tag = "notifications",
              .summary = "Send a queued or failed delivery now (one more attempt, same id)",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {404, 409}});
}

}  // namespace janji::notify
