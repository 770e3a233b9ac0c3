#pragma once

#include "bookings/priority.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace janji {

/// Every setting of the server, read from the environment (DESIGN.md "Configuration");
/// command-line flags of the same meaning override it.
struct Config {
  std::string host = "0.0.0.0";
  unsigned short port = 8000;
  std::string database_url = "sqlite:///./data/janji.db";
  std::optional<std::string> redis_url;
  std::string data_dir = "./data";
  std::string secret_key;  // empty: read or generate JANJI_DATA_DIR/secret_key
  std::chrono::minutes access_token_expire{1440};
  std::vector<std::string> cors_origins{"*"};
  std::string log_level = "info";
  std::string log_format = "text";  // or "json"
  std::string metrics_token;        // empty: /metrics for admins only
  std::optional<std::string> admin_email;
  std::optional<std::string> admin_password;

  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds keepalive_timeout{60'000};
  std::chrono::milliseconds drain_timeout{10'000};

  std::size_t io_threads = 0;    // 0: one per core
  std::size_t db_threads = 0;    // 0: 2 per core, at least 4
  std::size_t hash_threads = 0;  // 0: half the cores, at least 1
  // Memory for the texts of long lists kept while their data is unchanged (0: none).
  std::size_t list_cache_bytes = std::size_t{64} << 20;

  int login_max_failures_per_email = 5;
  int login_max_failures_per_address = 30;
  std::chrono::seconds login_failure_window{900};

  bookings::PriorityRules priority;

  std::chrono::milliseconds sse_heartbeat{15'000};
  std::size_t sse_replay = 1000;       // recent events kept per stream for Last-Event-ID
  std::size_t sse_max_backlog = 4096;  // events queued for one subscriber before it is dropped
  std::chrono::milliseconds segment_debounce{1'000};
  std::chrono::milliseconds priority_rescore_interval{3'600'000};
  // How stale the in-memory catalogue may be after another instance changed it (0: none).
  std::chrono::milliseconds catalogue_cache_ttl{1'000};

  std::string captcha_provider = "altcha";  // altcha | turnstile | hcaptcha | recaptcha | none
  std::string captcha_secret;
  std::string captcha_verify_url;  // empty: the provider's own siteverify URL
  std::uint64_t captcha_max_number = 100000;
  std::chrono::milliseconds captcha_ttl{600'000};
  std::chrono::milliseconds course_booking_ttl{3 * 86'400'000LL};
  std::chrono::milliseconds expiry_sweep_interval{60'000};

  // How long the event log keeps an event (Last-Event-ID replay), and how often it prunes.
  std::chrono::milliseconds event_retention{30 * 86'400'000LL};
  std::chrono::milliseconds event_prune_interval{3'600'000};
  // SQLite only: a backup into data_dir/backups every interval (0: none), the newest kept.
  std::chrono::milliseconds backup_interval{24 * 3'600'000};
  std::size_t backup_keep = 7;
  bool backup_interval_set = false;  // BACKUP_INTERVAL given (for a word on PostgreSQL)
  // How often each instance reads the log even without a wake-up (another instance's
  // events while Redis is away, or instances without Redis on one database).
  std::chrono::milliseconds event_poll_interval{1000};

  // Notifications (DESIGN.md "Notifications").
  std::string business_timezone = "Asia/Makassar";
  std::string notify_locale = "id";
  std::string whatsapp_api_url = "https://graph.facebook.com/v21.0";
  std::string whatsapp_token;
  std::string whatsapp_phone_number_id;
  std::map<std::string, std::string> whatsapp_templates;  // kind name -> WHATSAPP_TEMPLATE_<KIND>
  std::string smtp_url;
  std::string smtp_user;
  std::string smtp_password;
  std::string mail_from;
  std::string ssl_cert_file;  // SSL_CERT_FILE: the CA bundle for SMTP over TLS
  std::optional<std::string> owner_email;
  bool webhook_allow_private = false;
  std::chrono::milliseconds notify_retry_min{60'000};
  std::chrono::milliseconds notify_retry_max{6 * 3'600'000};
  std::chrono::milliseconds notify_give_up{24 * 3'600'000};
  std::chrono::milliseconds notify_poll_interval{1000};
  std::chrono::milliseconds notify_timeout{10'000};  // a provider's answer after this is a failure
  std::chrono::milliseconds notify_reclaim_after{
      60'000};  // a dead sender's claim lapses after this
  int reminder_hour = 9;

  // Capacity and self-service (DESIGN.md "Capacity, waitlist, calendar", "Self-service").
  std::optional<std::int64_t> daily_client_capacity;  // unset: unlimited
  std::chrono::milliseconds cancel_cutoff{48 * 3'600'000};
  std::string public_url;  // PUBLIC_URL: where messages' self-service links point
  std::chrono::milliseconds reminder_sweep_interval{300'000};  // how often reminders are looked for

  // JANJI_WEB_DIR: serve the pages from this folder (web/build.mjs's files/) instead of the
  // copies built into the binary; empty: the built-in ones.
  std::string web_dir;
};

/// Reads the environment; throws std::invalid_argument naming the variable on bad values.
Config load_config();

/// "3d", "60s", "1h", "15m", "250ms", or plain seconds.
std::chrono::milliseconds parse_duration(const std::string& text);

}  // namespace janji
