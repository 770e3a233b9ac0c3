#include "notify/validation.hpp"

#include "core/fields.hpp"
#include "http/body.hpp"
#include "infra/net/http_client.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace janji::notify {

namespace json = boost::json;

namespace {

FieldError field_error(std::string_view key, std::string msg, const json::value* input = nullptr) {
  return {json::array{"body", key},
          std::move(msg),
          "value_error",
          input ? std::optional<json::value>(*input) : std::nullopt,
          {}};
}

bool local_name(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local") ||
         host.ends_with(".internal");
}

}  // namespace

WebhookRequest parse_webhook_request(json::value body, bool allow_private) {
  const json::object o = body.is_object() ? body.as_object() : json::object{};
  Fields f(std::move(body), "body", Coercion::kStrict);
  WebhookRequest r;
  r.url = f.required_string("url", 1, 2000);
  if (!r.url.empty()) {
    try {
      net::check_url(r.url);
      const auto host = net::url_host(r.url);
      if (!allow_private && (local_name(host) || net::is_private_address(host)))
        f.add(field_error("url", "Must not point to a loopback or private address",
                          o.if_contains("url")));
    } catch (const std::invalid_argument&) {
      f.add(field_error("url", "Must be an http or https URL", o.if_contains("url")));
    }
  }
  const auto* events = o.if_contains("events");
  if (!events) {
    f.add({json::array{"body", "events"}, "Field required", "missing", std::nullopt, {}});
  } else if (!events->is_array() || events->as_array().empty()) {
    f.add(field_error("events", "Must be a non-empty list of event types", events));
  } else {
    for (const auto& e : events->as_array()) {
      const bool known =
          e.is_string() && (e.as_string() == "*" ||
                            std::find(kWebhookEvents.begin(), kWebhookEvents.end(),
                                      std::string_view(e.as_string())) != kWebhookEvents.end());
      if (!known) {
        f.add(field_error("events", "Unknown event type", &e));
        break;
      }
      if (std::find(r.events.begin(), r.events.end(), std::string_view(e.as_string())) ==
          r.events.end())
        r.events.emplace_back(e.as_string());
    }
  }
  r.description = f.optional_string("description", 500);
  f.finish();
  return r;
}

DeliveryFilter parse_delivery_filter(const http::Pairs& query) {
  const auto q = http::to_object(query);
  Fields f(q, "query", Coercion::kLax);
  DeliveryFilter filter;
  if (q.contains("status")) filter.status = f.required_choice("status", kDeliveryStatuses);
  if (q.contains("channel")) filter.channel = f.required_choice("channel", kChannels);
  if (q.contains("page")) filter.page = f.required_int("page", 1, 1000000);
  if (q.contains("limit")) filter.limit = f.required_int("limit", 1, 100);
  f.finish();
  return filter;
}

}  // namespace janji::notify
