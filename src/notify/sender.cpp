#include "notify/sender.hpp"

#include "infra/net/http_client.hpp"
#include "infra/spawn.hpp"
#include "notify/schedule.hpp"
#include "notify/webhook_sign.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

namespace janji::notify {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// What a reply's body adds to an error message, at most.
constexpr std::size_t kErrorBody = 200;

std::string reply_error(const net::HttpReply& r) {
  return "HTTP " + std::to_string(r.status) +
         (r.body.empty() ? "" : ": " + r.body.substr(0, kErrorBody));
}

// An error as it can be stored and shown: valid UTF-8 without control characters, cut at
// a character boundary.
std::string clean_error(std::string_view raw) {
  constexpr std::size_t kMax = 300;
  std::string out;
  for (std::size_t i = 0; i < raw.size() && out.size() < kMax;) {
    const auto c = static_cast<unsigned char>(raw[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = n > 0 && i + n <= raw.size() && out.size() + n <= kMax;
    for (std::size_t k = 1; ok && k < n; ++k)
      ok = (static_cast<unsigned char>(raw[i + k]) & 0xc0) == 0x80;
    if (!ok) {
      out += '?';
      ++i;
      continue;
    }
    if (n == 1 && (c < 0x20 || c == 0x7f))
      out += ' ';
    else
      out.append(raw.substr(i, n));
    i += n;
  }
  return out;
}

bool success(unsigned status) {
  return status >= 200 && status < 300;
}

std::int64_t unix_seconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::vector<Claimed> claim(db::Connection& c, db::Dialect dialect, Timestamp now, Timestamp until,
                           std::size_t batch) {
  // The due rows are picked once (MATERIALIZED): a subquery PostgreSQL re-ran could lock
  // and claim more than LIMIT.
  const auto rows = c.query(
      "WITH due AS MATERIALIZED (SELECT id FROM notifications WHERE status = 'queued' "
      "AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2) "
      "ORDER BY next_attempt_at, id LIMIT $3" +
          std::string(db::skip_locked(dialect)) +
          ") UPDATE notifications SET claimed_until = $1, attempts = attempts + 1 "
          "WHERE id IN (SELECT id FROM due) RETURNING id, message_id, channel, recipient, "
          "payload, attempts, created_at, endpoint_id",
      {db::time(until), db::time(now), static_cast<std::int64_t>(batch)});
  std::vector<Claimed> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Claimed d;
    d.id = r.int64(0);
    d.message_id = r.text(1);
    d.channel = r.text(2);
    d.recipient = r.text(3);
    d.payload = r.text(4);
    d.attempts = static_cast<int>(r.int64(5));
    d.created_at = r.time(6);
    if (const auto endpoint = r.opt_int64(7))
      if (auto e =
              c.query_one("SELECT url, secret FROM webhook_endpoints WHERE id = $1", {*endpoint})) {
        d.webhook_url = e->text(0);
        d.webhook_secret = e->text(1);
      }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

std::string whatsapp_request(const std::string& payload, const std::string& message_id) {
  const auto p = json::parse(payload).as_object();
  std::string to(p.at("to").as_string());
  if (!to.empty() && to.front() == '+') to.erase(0, 1);  // the Cloud API takes digits
  json::array parameters;
  for (const auto& v : p.at("parameters").as_array())
    parameters.push_back(json::object{{"type", "text"}, {"text", v.as_string()}});
  json::object body{
      {"messaging_product", "whatsapp"},
      {"recipient_type", "individual"},
      {"to", to},
      {"type", "template"},
      {"template",
       json::object{{"name", p.at("template")},
                    {"language", json::object{{"code", p.at("language")}}},
                    {"components",
                     json::array{json::object{{"type", "body"}, {"parameters", parameters}}}}}},
      {"biz_opaque_callback_data", message_id}};
  return json::serialize(body);
}

Sender::Sender(db::Runner& db, BlockingPool& mail_pool, asio::any_io_executor executor,
               SenderSettings settings)
    : db_(db),
      mail_pool_(mail_pool),
      strand_(asio::make_strand(executor)),
      timer_(strand_),
      settings_(std::move(settings)) {}

bool Sender::whatsapp_configured() const {
  return !settings_.whatsapp_token.empty() && !settings_.whatsapp_phone_id.empty();
}

void Sender::start() {
  asio::co_spawn(strand_, loop(), log_exit("notification sender"));
}

void Sender::stop() {
  stopping_ = true;
  asio::post(strand_, [this] { timer_.cancel(); });
}

void Sender::wake() {
  if (posted_.exchange(true)) return;  // one wake-up on its way is enough
  asio::post(strand_, [this] {
    posted_ = false;
    woken_ = true;
    timer_.cancel();
  });
}

asio::awaitable<void> Sender::loop() {
  bool failing = false;
  while (!stopping_) {
    std::size_t claimed = 0;
    try {
      claimed = co_await round();
      if (failing) spdlog::info("notification sender: working again");
      failing = false;
    } catch (const std::exception& e) {
      if (!failing) spdlog::warn("notification sender: {}; trying again", e.what());
      failing = true;
    }
    if (stopping_) co_return;
    if (claimed >= settings_.batch && !failing) continue;  // more are waiting
    if (std::exchange(woken_, false)) continue;
    timer_.expires_after(settings_.poll);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    woken_ = false;
  }
}

asio::awaitable<std::size_t> Sender::round() {
  const auto now = now_utc();
  const auto until = now + settings_.claim_for;
  const auto dialect = db_.dialect();
  const auto batch = settings_.batch;
  auto work = [dialect, now, until, batch](db::Connection& c) {
    return claim(c, dialect, now, until, batch);
  };
  const auto claimed = co_await db_.write(std::move(work));
  if (claimed.empty()) co_return 0;

  // All at once: one slow provider does not hold up the others. Each outcome is recorded
  // as soon as it is known, so one that cannot be stored does not hold up the rest.
  std::size_t left = claimed.size();
  asio::steady_timer all_done(strand_, asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < claimed.size(); ++i) {
    auto one = [this, &claimed, &left, &all_done, until, i]() -> asio::awaitable<void> {
      Attempt r;
      try {
        r = co_await attempt(claimed[i], until);
      } catch (const std::exception& e) {
        r = Attempt{false, false, false, e.what()};
      }
      try {
        co_await record(claimed[i], std::move(r), until);
      } catch (const std::exception& e) {
        spdlog::warn("notification {}: cannot record the attempt: {}", claimed[i].message_id,
                     e.what());
      }
      if (--left == 0) all_done.cancel();
    };
    asio::co_spawn(strand_, std::move(one), asio::detached);
  }
  if (left > 0) co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return claimed.size();
}

asio::awaitable<void> Sender::record(const Claimed& d, Attempt r, Timestamp until) {
  const auto finished = now_utc();
  if (!r.sent && !r.released)
    spdlog::info("notification {} ({} to {}), attempt {}: {}", d.message_id, d.channel,
                 d.recipient, d.attempts, r.error);
  const auto error = clean_error(r.error);
  const auto give_up_at = d.created_at + settings_.give_up;
  const bool failed = !r.sent && !r.released && (r.final || finished >= give_up_at);
  // The last attempt is made at the give-up time, not after it.
  const auto next = std::min<Timestamp>(
      finished + retry_delay(d.attempts, settings_.retry_min, settings_.retry_max), give_up_at);
  auto work = [&d, &r, &error, finished, failed, next, until](db::Connection& c) {
    // Only while the claim is ours: a claim that lapsed belongs to whoever took it next.
    if (r.sent)
      c.execute(
          "UPDATE notifications SET status = 'sent', sent_at = $2, claimed_until = NULL, "
          "last_error = NULL WHERE id = $1 AND claimed_until = $3",
          {d.id, db::time(finished), db::time(until)});
    else if (r.released)
      c.execute(
          "UPDATE notifications SET claimed_until = NULL, attempts = attempts - 1 "
          "WHERE id = $1 AND claimed_until = $2",
          {d.id, db::time(until)});
    else if (failed)
      c.execute(
          "UPDATE notifications SET status = 'failed', claimed_until = NULL, last_error = $2 "
          "WHERE id = $1 AND claimed_until = $3",
          {d.id, error, db::time(until)});
    else
      c.execute(
          "UPDATE notifications SET next_attempt_at = $2, claimed_until = NULL, last_error = $3 "
          "WHERE id = $1 AND claimed_until = $4",
          {d.id, db::time(next), error, db::time(until)});
  };
  co_await db_.write(std::move(work));
}

asio::awaitable<Attempt> Sender::attempt(const Claimed& d, Timestamp until) {
  try {
    if (d.channel == "webhook") co_return co_await send_webhook(d);
    if (d.channel == "whatsapp") co_return co_await send_whatsapp(d);
    if (d.channel == "email") co_return co_await send_email(d, until);
  } catch (const net::HttpClientError& e) {
    co_return Attempt{false, false, false, e.what()};
  } catch (const SmtpError& e) {
    co_return Attempt{false, false, false, e.what()};
  }
  co_return Attempt{false, true, false, "nothing sends channel " + d.channel};
}

asio::awaitable<Attempt> Sender::send_webhook(const Claimed& d) {
  if (!d.webhook_url || !d.webhook_secret)
    co_return Attempt{false, true, false, "the webhook endpoint was deleted"};
  const auto ts = unix_seconds(now_utc());
  net::PostOptions options;
  options.headers = {
      {"webhook-id", d.message_id},
      {"webhook-timestamp", std::to_string(ts)},
      {"webhook-signature", webhook_signature(*d.webhook_secret, d.message_id, ts, d.payload)}};
  options.public_only = !settings_.webhook_allow_private;
  const auto reply = co_await net::post(*d.webhook_url, "application/json", d.payload,
                                        settings_.http_timeout, std::move(options));
  if (success(reply.status)) co_return Attempt{true, false, false, {}};
  co_return Attempt{false, false, false, reply_error(reply)};
}

asio::awaitable<Attempt> Sender::send_whatsapp(const Claimed& d) {
  if (!whatsapp_configured()) co_return Attempt{false, true, false, "WhatsApp is not configured"};
  net::PostOptions options;
  options.headers = {{"Authorization", "Bearer " + settings_.whatsapp_token}};
  std::string url = settings_.whatsapp_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/" + settings_.whatsapp_phone_id + "/messages";
  const auto reply =
      co_await net::post(url, "application/json", whatsapp_request(d.payload, d.message_id),
                         settings_.http_timeout, std::move(options));
  if (success(reply.status)) co_return Attempt{true, false, false, {}};
  co_return Attempt{false, false, false, reply_error(reply)};
}

asio::awaitable<Attempt> Sender::send_email(const Claimed& d, Timestamp until) {
  if (!settings_.smtp) co_return Attempt{false, true, false, "SMTP_URL is not configured"};
  const auto p = json::parse(d.payload).as_object();
  Mail mail{std::string(p.at("to").as_string()), std::string(p.at("subject").as_string()),
            std::string(p.at("text").as_string()), std::string(p.at("html").as_string()),
            d.message_id + "@janji"};
  // E-mails wait for a mail thread: one that would start too late to end within the claim
  // is left for the next round instead.
  auto send = [smtp = *settings_.smtp, mail = std::move(mail), until] {
    if (now_utc() + smtp.timeout >= until) return false;
    send_mail(smtp, mail);
    return true;
  };
  const bool sent = co_await mail_pool_.run(std::move(send));
  if (!sent) co_return Attempt{false, false, true, "left for the next round"};
  co_return Attempt{true, false, false, {}};
}

}  // namespace janji::notify
