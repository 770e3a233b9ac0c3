#include "notify/outbox.hpp"

#include "infra/crypto/crypto.hpp"
#include "notify/phone.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

namespace janji::notify {

namespace json = boost::json;

OutboxSettings OutboxSettings::defaults() {
  OutboxSettings s;
  for (std::size_t i = 0; i < kAllMessageKinds.size(); ++i)
    s.whatsapp_templates[i] = default_whatsapp_template(kAllMessageKinds[i]);
  return s;
}

namespace {

std::size_t index_of(MessageKind kind) {
  for (std::size_t i = 0; i < kAllMessageKinds.size(); ++i)
    if (kAllMessageKinds[i] == kind) return i;
  return 0;
}

}  // namespace

std::vector<Delivery> plan(const Notice& notice, const OutboxSettings& settings,
                           const TemplateSet& templates) {
  std::vector<Delivery> out;
  for (const auto& to : notice.to) {
    if (to.address.empty()) continue;
    auto fields = notice.fields;
    fields.name = to.name;
    Delivery d;
    if (to.by == Recipient::By::kEmail) {
      if (!settings.email) continue;
      const auto m = render_message(templates, settings.locale, notice.kind, fields);
      d.channel = "email";
      d.recipient = to.address;
      d.payload = json::serialize(json::object{
          {"to", to.address}, {"subject", m.subject}, {"text", m.text}, {"html", m.html}});
      out.push_back(std::move(d));
      continue;
    }
    const auto e164 = to_e164(to.address);
    if (!e164) continue;  // not a number anyone can be reached at
    d.recipient = *e164;
    if (settings.whatsapp) {
      json::array params;
      for (auto& p : whatsapp_parameters(notice.kind, fields)) params.emplace_back(p);
      d.channel = "whatsapp";
      d.payload = json::serialize(
          json::object{{"to", *e164},
                       {"template", settings.whatsapp_templates[index_of(notice.kind)]},
                       {"language", locale_name(settings.locale)},
                       {"parameters", std::move(params)}});
    } else {
      // The owner sends it from her own phone: the link is the delivery. Only its text is
      // needed.
      const auto text =
          render(templates.get(settings.locale, notice.kind, Part::kWhatsapp), fields);
      d.channel = "wa_link";
      d.wa_link = wa_me_link(*e164, text);
      d.payload = json::serialize(json::object{{"to", *e164}, {"text", text}});
      d.status = "sent";
    }
    out.push_back(std::move(d));
  }
  return out;
}

bool takes(const std::vector<std::string>& events, std::string_view type) {
  for (const auto& e : events)
    if (e == "*" || e == type) return true;
  return false;
}

std::string webhook_body(std::string_view type, Timestamp at, std::string_view data) {
  std::string out = "{\"type\":";
  out += json::serialize(json::string(type));
  out += ",\"timestamp\":";
  out += json::serialize(json::string(format_iso_z(at)));
  out += ",\"data\":";
  out += data;
  out += '}';
  return out;
}

std::string new_message_id(Timestamp now) {
  // Milliseconds first, so that ids sort by time and a new one lands at the end of the
  // unique index instead of on a random page of it; 80 random bits make it unique.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  return fmt::format("msg_{:012x}{}", static_cast<std::uint64_t>(ms.count()) & 0xffffffffffffULL,
                     crypto::random_id_hex(10));
}

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO notifications (message_id, event_id, event_type, channel, recipient, "
    "endpoint_id, payload, status, wa_link, next_attempt_at, created_at, sent_at) VALUES ($1, "
    "$2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)";
constexpr std::string_view kEndpoints = "SELECT id, url, events FROM webhook_endpoints ORDER BY id";

std::vector<db::Param> delivery_params(const std::string& message_id,
                                       std::optional<std::int64_t> event_id,
                                       std::string_view event_type, const Delivery& d,
                                       Timestamp now) {
  const bool done = d.status != "queued";
  return {message_id,
          event_id ? db::Param{*event_id} : db::Param{db::Null{}},
          std::string(event_type),
          d.channel,
          d.recipient,
          d.endpoint_id ? db::Param{*d.endpoint_id} : db::Param{db::Null{}},
          d.payload,
          d.status,
          db::text_or_null(d.wa_link),
          db::time(now),
          done ? db::time(now) : db::Param{db::Null{}}};
}

}  // namespace

db::SoonRows Outbox::ask_endpoints(db::Connection& c) const {
  return c.query_soon_shared(kEndpoints, {});
}

void Outbox::queue(db::Connection& c, db::Soon<std::optional<std::int64_t>>& event_id,
                   std::string_view event_type, const std::vector<Notice>& notices,
                   const std::function<std::string()>& webhook_data, Timestamp now,
                   std::optional<db::SoonRows> endpoints) const {
  if (!endpoints) endpoints = ask_endpoints(c);
  // The deliveries need nobody's answer: they go with the write's next round trip.
  const auto deliver = [&](const Delivery& d) {
    c.execute_soon(kInsert,
                   delivery_params(new_message_id(now), event_id.get(), event_type, d, now));
  };
  for (const auto& n : notices)
    for (const auto& d : plan(n, settings_, templates_)) {
      deliver(d);
      if (d.status == "queued") sendable_ = true;
    }
  std::optional<std::string> body;
  for (const auto& r : endpoints->get()) {
    std::vector<std::string> events;
    boost::system::error_code ec;
    const auto v = json::parse(r.text(2), ec);
    if (!ec && v.is_array())
      for (const auto& e : v.get_array())
        if (e.is_string()) events.emplace_back(e.get_string());
    if (!takes(events, event_type)) continue;
    if (!body) body = webhook_body(event_type, now, webhook_data());
    Delivery d;
    d.channel = "webhook";
    d.recipient = r.text(1);
    d.endpoint_id = r.int64(0);
    d.payload = *body;
    deliver(d);
    sendable_ = true;
  }
}

bool Outbox::queue_once(db::Connection& c, const std::string& message_id,
                        std::string_view event_type, const Delivery& d, Timestamp now) const {
  // Two instances may queue one reminder at once: the id decides, without an error.
  static const std::string kInsertOnce =
      std::string(kInsert) + " ON CONFLICT (message_id) DO NOTHING";
  const bool queued =
      c.execute(kInsertOnce, delivery_params(message_id, std::nullopt, event_type, d, now)) > 0;
  if (queued && d.status == "queued") sendable_ = true;
  return queued;
}

}  // namespace janji::notify
