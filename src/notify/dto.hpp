#pragma once

#include "core/time.hpp"

#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace janji::notify {

/// The event types a webhook endpoint can take ("*" takes them all).
inline constexpr std::array<std::string_view, 10> kWebhookEvents = {
    "booking_created",    "booking_updated",     "segment_updated", "booking.created",
    "booking.confirmed",  "booking.rejected",    "booking.expired", "booking.cancelled",
    "booking.waitlisted", "booking.seat_offered"};
inline constexpr std::array<std::string_view, 3> kDeliveryStatuses = {"queued", "sent", "failed"};
inline constexpr std::array<std::string_view, 4> kChannels = {"whatsapp", "email", "webhook",
                                                              "wa_link"};

/// What POST /api/admin/webhooks asks for.
struct WebhookRequest {
  std::string url;
  std::vector<std::string> events;
  std::optional<std::string> description;
};

struct WebhookEndpoint {
  std::int64_t id = 0;
  std::string url;
  std::vector<std::string> events;
  std::optional<std::string> description;
  std::string secret;
  Timestamp created_at;
};

/// {id, url, events, description, created_at}, and the secret only when it is created.
boost::json::value to_json(const WebhookEndpoint& e, bool with_secret = false);

struct DeliveryRecord {
  std::int64_t id = 0;
  std::optional<std::int64_t> event_id;
  std::string event_type;
  std::string channel;
  std::string recipient;
  std::string status;
  std::int64_t attempts = 0;
  std::optional<std::string> last_error;
  std::optional<std::string> wa_link;
  Timestamp created_at;
  std::optional<Timestamp> sent_at;
};

/// {id, event_id, event_type, channel, recipient, status, attempts, last_error, wa_link,
/// created_at, sent_at}
boost::json::value to_json(const DeliveryRecord& d);

struct DeliveryFilter {
  std::optional<std::string> status;
  std::optional<std::string> channel;
  std::int64_t page = 1;
  std::int64_t limit = 20;
};

struct DeliveryPage {
  std::vector<DeliveryRecord> items;
  std::int64_t total = 0;
};

}  // namespace janji::notify
