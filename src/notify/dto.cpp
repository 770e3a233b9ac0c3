#include "notify/dto.hpp"

#include <boost/json.hpp>

namespace janji::notify {

namespace json = boost::json;

namespace {

json::value text_or_null(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

}  // namespace

json::value to_json(const WebhookEndpoint& e, bool with_secret) {
  json::array events;
  for (const auto& t : e.events) events.emplace_back(t);
  json::object o{{"id", e.id},
                 {"url", e.url},
                 {"events", std::move(events)},
                 {"description", text_or_null(e.description)},
                 {"created_at", format_iso_z(e.created_at)}};
  if (with_secret) o["secret"] = e.secret;
  return o;
}

json::value to_json(const DeliveryRecord& d) {
  return json::object{
      {"id", d.id},
      {"event_id", d.event_id ? json::value(*d.event_id) : json::value(nullptr)},
      {"event_type", d.event_type},
      {"channel", d.channel},
      {"recipient", d.recipient},
      {"status", d.status},
      {"attempts", d.attempts},
      {"last_error", text_or_null(d.last_error)},
      {"wa_link", text_or_null(d.wa_link)},
      {"created_at", format_iso_z(d.created_at)},
      {"sent_at", d.sent_at ? json::value(format_iso_z(*d.sent_at)) : json::value(nullptr)}};
}

}  // namespace janji::notify
