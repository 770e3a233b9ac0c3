#pragma once

#include "core/time.hpp"
#include "infra/db/db.hpp"
#include "notify/templates.hpp"
#include "notify/zone.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The outbox: the messages an event causes, queued in the event's own transaction and
/// sent later by the sender.
namespace janji::notify {

/// Someone a message goes to, and how they are reached.
struct Recipient {
  enum class By { kEmail, kPhone };
  By by = By::kEmail;
  std::string address;  // an e-mail address, or a phone number as it was typed
  std::string name;     // for the greeting
};

/// One message of `kind` to each of `to`; `fields.name` is filled per recipient.
struct Notice {
  MessageKind kind = MessageKind::kBookingCreated;
  MessageFields fields;
  std::vector<Recipient> to;
};

struct OutboxSettings {
  Locale locale = Locale::kId;
  /// WhatsApp Cloud API credentials are configured; without them a phone gets a wa.me link.
  bool whatsapp = false;
  /// SMTP_URL is configured; without it e-mails are not queued.
  bool email = false;
  /// OWNER_EMAIL: where the owner hears of new service bookings.
  std::optional<std::string> owner_email;
  /// The approved template per kind (WHATSAPP_TEMPLATE_<KIND>), by kind's index.
  std::array<std::string, kAllMessageKinds.size()> whatsapp_templates;

  /// The defaults: "janji_" + the kind's name for every template.
  static OutboxSettings defaults();
};

/// One row of the outbox, before it has its ids.
struct Delivery {
  std::string channel;  // "whatsapp", "email", "webhook" or "wa_link"
  std::string recipient;
  std::optional<std::int64_t> endpoint_id;
  std::string payload;  // what the sender needs, as JSON text
  std::optional<std::string> wa_link;
  std::string status = "queued";
};

/// The deliveries of a notice: one per recipient that can be reached (an e-mail needs
/// SMTP; a phone must be a number, and without WhatsApp credentials becomes a wa.me link,
/// listed as already handed over). Pure.
std::vector<Delivery> plan(const Notice& notice, const OutboxSettings& settings,
                           const TemplateSet& templates);

/// Whether an endpoint that asked for `events` (event types, or "*") takes `type`.
bool takes(const std::vector<std::string>& events, std::string_view type);

/// A webhook's body: {"type": ..., "timestamp": "<ISO 8601 UTC>", "data": <data>}, with
/// `data` (JSON text) embedded as it is.
std::string webhook_body(std::string_view type, Timestamp at, std::string_view data);

/// A message's id on every attempt: "msg_", the time in milliseconds (12 hex digits, so ids
/// sort by time) and 20 random hex digits.
std::string new_message_id(Timestamp now);

class Outbox {
 public:
  /// `zone` (BUSINESS_TIMEZONE) is where messages' dates and times are told.
  Outbox(OutboxSettings settings, TemplateSet templates, Zone zone)
      : settings_(std::move(settings)), templates_(std::move(templates)), zone_(std::move(zone)) {}

  /// The webhook endpoints, asked for soon (see db::Connection): a write that asks at its
  /// start has them from its first round trip.
  db::SoonRows ask_endpoints(db::Connection& c) const;

  /// In the caller's transaction: the deliveries of each notice, and one for each webhook
  /// endpoint that takes `event_type`, with `webhook_data()` (JSON) as its `data`; that is
  /// only made when an endpoint takes the event. The event's id is read only when a delivery
  /// is queued; `endpoints` are those from ask_endpoints, or asked for here.
  void queue(db::Connection& c, db::Soon<std::optional<std::int64_t>>& event_id,
             std::string_view event_type, const std::vector<Notice>& notices,
             const std::function<std::string()>& webhook_data, Timestamp now,
             std::optional<db::SoonRows> endpoints = std::nullopt) const;

  /// Queues `d` alone unless a delivery with `message_id` exists (the reminder's guard
  /// against sending twice). True when it queued it.
  bool queue_once(db::Connection& c, const std::string& message_id, std::string_view event_type,
                  const Delivery& d, Timestamp now) const;

  const OutboxSettings& settings() const { return settings_; }
  const TemplateSet& templates() const { return templates_; }
  const Zone& zone() const { return zone_; }
  /// Whether something for the sender was queued since the last call (a commit may follow
  /// or not: a wake-up too many only costs a look).
  bool take_sendable() const { return sendable_.exchange(false); }
  Locale locale() const { return settings_.locale; }

 private:
  OutboxSettings settings_;
  TemplateSet templates_;
  Zone zone_;
  mutable std::atomic<bool> sendable_{false};
};

}  // namespace janji::notify
