#pragma once

#include "infra/blocking_pool.hpp"
#include "infra/db/runner.hpp"
#include "notify/smtp.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace janji::notify {

struct SenderSettings {
  // WHATSAPP_API_URL, WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID
  std::string whatsapp_url = "https://graph.facebook.com/v21.0";
  std::string whatsapp_token;
  std::string whatsapp_phone_id;
  std::optional<SmtpSettings> smtp;          // SMTP_URL set
  bool webhook_allow_private = false;        // WEBHOOK_ALLOW_PRIVATE
  std::chrono::seconds retry_min{60};        // NOTIFY_RETRY_MIN
  std::chrono::seconds retry_max{6 * 3600};  // NOTIFY_RETRY_MAX
  std::chrono::seconds give_up{24 * 3600};   // NOTIFY_GIVE_UP
  std::chrono::seconds claim_for{60};        // a delivery whose sender died is claimed again after
  std::chrono::milliseconds poll{1000};      // how often due deliveries are looked for
  std::chrono::milliseconds http_timeout{10'000};  // NOTIFY_TIMEOUT
  std::size_t batch = 32;                          // deliveries claimed and sent at once
};

/// A delivery as the sender claimed it.
struct Claimed {
  std::int64_t id = 0;
  std::string message_id;
  std::string channel;
  std::string recipient;
  std::string payload;
  int attempts = 0;  // including this one
  Timestamp created_at;
  std::optional<std::string> webhook_url;  // the endpoint, while it exists
  std::optional<std::string> webhook_secret;
};

/// What one attempt came to.
struct Attempt {
  bool sent = false;
  bool final = false;     // failed for good (e.g. the endpoint was deleted)
  bool released = false;  // not tried: left for the next round
  std::string error;
};

/// The body of a WhatsApp Cloud API template message for an outbox payload
/// ({"to", "template", "language", "parameters"}); `message_id` travels as
/// biz_opaque_callback_data, so status callbacks can be matched.
std::string whatsapp_request(const std::string& payload, const std::string& message_id);

/// Sends the outbox: claims due deliveries (a claim lasts `claim_for`; PostgreSQL rows are
/// claimed with FOR UPDATE SKIP LOCKED, so instances never claim one row together), sends
/// each at most once per claim, and records the outcome: sent, or the next attempt after
/// back-off, or failed once NOTIFY_GIVE_UP has passed since it was queued. HTTP goes
/// through the IO threads without blocking them; SMTP (libcurl) runs on `mail_pool`.
class Sender {
 public:
  Sender(db::Runner& db, BlockingPool& mail_pool, boost::asio::any_io_executor executor,
         SenderSettings settings);

  void start();
  void stop();
  /// Something is due now (queued, or retried by an admin): look at once.
  void wake();
  /// Delivers no channel (the wa.me links are handed over as they are queued)?
  bool whatsapp_configured() const;

 private:
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<std::size_t> round();
  boost::asio::awaitable<Attempt> attempt(const Claimed& d, Timestamp until);
  boost::asio::awaitable<void> record(const Claimed& d, Attempt r, Timestamp until);
  boost::asio::awaitable<Attempt> send_whatsapp(const Claimed& d);
  boost::asio::awaitable<Attempt> send_email(const Claimed& d, Timestamp until);
  boost::asio::awaitable<Attempt> send_webhook(const Claimed& d);

  db::Runner& db_;
  BlockingPool& mail_pool_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  SenderSettings settings_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> posted_{false};
  bool woken_ = false;  // strand only
};

}  // namespace janji::notify
