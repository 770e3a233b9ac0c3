#include "notify/store.hpp"

#include "audit/store.hpp"

#include "infra/db/query.hpp"

#include <boost/json.hpp>

namespace janji::notify {

namespace json = boost::json;

namespace {

constexpr std::string_view kEndpointColumns =
    "SELECT id, url, events, description, secret, created_at FROM webhook_endpoints";
constexpr std::string_view kDeliveryColumns =
    "SELECT id, event_id, event_type, channel, recipient, status, attempts, last_error, wa_link, "
    "created_at, sent_at FROM notifications";

WebhookEndpoint read_endpoint(const db::Row& r) {
  WebhookEndpoint e;
  e.id = r.int64(0);
  e.url = r.text(1);
  boost::system::error_code ec;
  const auto v = json::parse(r.text(2), ec);
  if (!ec && v.is_array())
    for (const auto& t : v.as_array())
      if (t.is_string()) e.events.emplace_back(t.as_string());
  e.description = r.opt_text(3);
  e.secret = r.text(4);
  e.created_at = r.time(5);
  return e;
}

DeliveryRecord read_delivery(const db::Row& r) {
  DeliveryRecord d;
  d.id = r.int64(0);
  d.event_id = r.opt_int64(1);
  d.event_type = r.text(2);
  d.channel = r.text(3);
  d.recipient = r.text(4);
  d.status = r.text(5);
  d.attempts = r.int64(6);
  d.last_error = r.opt_text(7);
  d.wa_link = r.opt_text(8);
  d.created_at = r.time(9);
  d.sent_at = r.opt_time(10);
  return d;
}

std::optional<DeliveryRecord> load_delivery(db::Connection& c, std::int64_t id) {
  if (auto r = c.query_one(std::string(kDeliveryColumns) + " WHERE id = $1", {id}))
    return read_delivery(*r);
  return std::nullopt;
}

}  // namespace

boost::asio::awaitable<WebhookEndpoint> NotifyStore::add_endpoint(WebhookEndpoint e,
                                                                  audit::Actor by) {
  co_return co_await db_.write([&e, &by](db::Connection& c) {
    json::array events;
    for (const auto& t : e.events) events.emplace_back(t);
    e.id = c.query_one(
                "INSERT INTO webhook_endpoints (url, events, description, secret, created_at) "
                "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                {e.url, json::serialize(events), db::text_or_null(e.description), e.secret,
                 db::time(e.created_at)})
               ->int64(0);
    // Without its secret: the log is read by every admin, the secret was shown once.
    audit::record(
        c, {by, "webhook.created", "webhook", std::to_string(e.id), std::nullopt, to_json(e)},
        e.created_at);
    return e;
  });
}

boost::asio::awaitable<std::vector<WebhookEndpoint>> NotifyStore::endpoints() {
  co_return co_await db_.read([](db::Connection& c) {
    std::vector<WebhookEndpoint> out;
    for (const auto& r : c.query(std::string(kEndpointColumns) + " ORDER BY id"))
      out.push_back(read_endpoint(r));
    return out;
  });
}

boost::asio::awaitable<std::optional<WebhookEndpoint>> NotifyStore::endpoint(std::int64_t id) {
  co_return co_await db_.read([id](db::Connection& c) -> std::optional<WebhookEndpoint> {
    if (auto r = c.query_one(std::string(kEndpointColumns) + " WHERE id = $1", {id}))
      return read_endpoint(*r);
    return std::nullopt;
  });
}

boost::asio::awaitable<bool> NotifyStore::remove_endpoint(std::int64_t id, Timestamp now,
                                                          audit::Actor by) {
  co_return co_await db_.write([id, now, &by](db::Connection& c) {
    const auto r = c.query_one(std::string(kEndpointColumns) + " WHERE id = $1", {id});
    if (!r) return false;
    c.execute("DELETE FROM webhook_endpoints WHERE id = $1", {id});
    audit::record(c,
                  {by, "webhook.deleted", "webhook", std::to_string(id), to_json(read_endpoint(*r)),
                   std::nullopt},
                  now);
    return true;
  });
}

boost::asio::awaitable<DeliveryPage> NotifyStore::deliveries(DeliveryFilter f) {
  co_return co_await db_.read([&f](db::Connection& c) {
    db::Query q;
    if (f.status) q.where_equals("status", *f.status);
    if (f.channel) q.where_equals("channel", *f.channel);
    DeliveryPage page;
    page.total =
        c.query_one("SELECT COUNT(*) FROM notifications" + q.where(), q.params())->int64(0);
    auto sql = std::string(kDeliveryColumns) + q.where() + " ORDER BY id DESC";  // newest first
    sql += q.page(f.page, f.limit);
    for (const auto& r : c.query(sql, q.params())) page.items.push_back(read_delivery(r));
    return page;
  });
}

boost::asio::awaitable<std::optional<DeliveryRecord>> NotifyStore::delivery(std::int64_t id) {
  co_return co_await db_.read([id](db::Connection& c) { return load_delivery(c, id); });
}

boost::asio::awaitable<std::optional<DeliveryRecord>> NotifyStore::retry(std::int64_t id,
                                                                         Timestamp now,
                                                                         audit::Actor by) {
  co_return co_await db_.write([id, now, &by](db::Connection& c) {
    const auto before = load_delivery(c, id);
    // Not while a sender holds it: that attempt's outcome is on its way.
    const bool due = c.execute(
                         "UPDATE notifications SET status = 'queued', next_attempt_at = $2 "
                         "WHERE id = $1 AND status IN ('queued', 'failed') AND channel <> "
                         "'wa_link' AND (claimed_until IS NULL OR claimed_until <= $2)",
                         {id, db::time(now)}) == 1;
    auto d = load_delivery(c, id);
    if (due)
      audit::record(c,
                    {by, "notification.retried", "notification", std::to_string(id),
                     to_json(*before), to_json(*d)},
                    now);
    if (d && !due && d->status == "queued") d->status = "sending";
    return d;
  });
}

}  // namespace janji::notify
