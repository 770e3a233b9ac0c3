#include "app/config.hpp"

#include "courses/captcha.hpp"
#include "infra/logging.hpp"
#include "infra/net/http_client.hpp"
#include "infra/redis/url.hpp"
#include "notify/format.hpp"
#include "notify/templates.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace janji {

namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

long long parse_integer(const char* name, const std::string& text, long long min, long long max) {
  long long out = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc{} || ptr != text.data() + text.size() || out < min || out > max)
    throw std::invalid_argument(std::string(name) + " must be an integer between " +
                                std::to_string(min) + " and " + std::to_string(max) + ", got '" +
                                text + "'");
  return out;
}

template <class T>
void read_int(const char* name, T& field, long long min, long long max) {
  if (auto v = env(name)) field = static_cast<T>(parse_integer(name, *v, min, max));
}

void read_duration(const char* name, std::chrono::milliseconds& field) {
  if (auto v = env(name)) {
    try {
      field = parse_duration(*v);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(name) + ": " + e.what());
    }
  }
}

}  // namespace

std::chrono::milliseconds parse_duration(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) throw std::invalid_argument("invalid duration '" + text + "'");
  const long long n = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  using namespace std::chrono;
  if (unit.empty() || unit == "s") return seconds(n);
  if (unit == "ms") return milliseconds(n);
  if (unit == "m") return minutes(n);
  if (unit == "h") return hours(n);
  if (unit == "d") return hours(24 * n);
  throw std::invalid_argument("invalid duration '" + text + "' (use s, m, h or d)");
}

Config load_config() {
  Config c;
  if (auto v = env("HOST")) c.host = *v;
  if (auto v = env("PORT"))
    c.port = static_cast<unsigned short>(parse_integer("PORT", *v, 0, 65535));
  if (auto v = env("DATABASE_URL")) c.database_url = *v;
  c.redis_url = env("REDIS_URL");
  if (c.redis_url) redis::parse_url(*c.redis_url);  // fail at start, not at first use
  if (auto v = env("JANJI_DATA_DIR")) c.data_dir = *v;
  if (auto v = env("SECRET_KEY")) c.secret_key = *v;
  if (auto v = env("ACCESS_TOKEN_EXPIRE_MINUTES"))
    c.access_token_expire =
        std::chrono::minutes(parse_integer("ACCESS_TOKEN_EXPIRE_MINUTES", *v, 1, 525600));
  if (auto v = env("CORS_ORIGINS")) {
    c.cors_origins.clear();
    std::size_t start = 0;
    while (start <= v->size()) {
      auto end = v->find(',', start);
      if (end == std::string::npos) end = v->size();
      auto item = v->substr(start, end - start);
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (!item.empty()) c.cors_origins.push_back(item);
      start = end + 1;
    }
  }
  if (auto v = env("LOG_LEVEL")) c.log_level = *v;
  if (auto v = env("LOG_FORMAT")) c.log_format = *v;
  parse_log_format(c.log_format);  // refused here, before anything is logged
  if (auto v = env("METRICS_TOKEN")) {
    if (v->size() < 16)
      throw std::invalid_argument(
          "METRICS_TOKEN must be at least 16 characters (for example: openssl rand -hex 24)");
    c.metrics_token = *v;
  }
  c.admin_email = env("ADMIN_EMAIL");
  c.admin_password = env("ADMIN_PASSWORD");
  if (c.admin_email.has_value() != c.admin_password.has_value())
    throw std::invalid_argument("ADMIN_EMAIL and ADMIN_PASSWORD must be set together");

  read_int("MAX_BODY_BYTES", c.max_body_bytes, 1024, 1LL << 30);
  read_duration("HEADER_TIMEOUT", c.header_timeout);
  read_duration("BODY_TIMEOUT", c.body_timeout);
  read_duration("KEEPALIVE_TIMEOUT", c.keepalive_timeout);
  read_duration("DRAIN_TIMEOUT", c.drain_timeout);
  read_int("IO_THREADS", c.io_threads, 0, 256);
  read_int("DB_THREADS", c.db_threads, 0, 256);
  read_int("HASH_THREADS", c.hash_threads, 0, 64);
  std::size_t list_cache_mb = c.list_cache_bytes >> 20;
  read_int("LIST_CACHE_MB", list_cache_mb, 0, 1 << 20);
  c.list_cache_bytes = list_cache_mb << 20;

  read_int("LOGIN_MAX_FAILURES_PER_EMAIL", c.login_max_failures_per_email, 1, 1000000);
  read_int("LOGIN_MAX_FAILURES_PER_ADDRESS", c.login_max_failures_per_address, 1, 1000000);
  std::chrono::milliseconds window = c.login_failure_window;
  read_duration("LOGIN_FAILURE_WINDOW", window);
  c.login_failure_window = std::chrono::duration_cast<std::chrono::seconds>(window);

  read_duration("SSE_HEARTBEAT", c.sse_heartbeat);
  read_int("SSE_REPLAY", c.sse_replay, 1, 1000000);
  read_int("SSE_MAX_BACKLOG", c.sse_max_backlog, 16, 10000000);
  read_duration("SEGMENT_DEBOUNCE", c.segment_debounce);
  read_duration("PRIORITY_RESCORE_INTERVAL", c.priority_rescore_interval);
  read_duration("CATALOGUE_CACHE_TTL", c.catalogue_cache_ttl);
  if (c.sse_heartbeat.count() <= 0 || c.priority_rescore_interval.count() <= 0)
    throw std::invalid_argument("SSE_HEARTBEAT and PRIORITY_RESCORE_INTERVAL must be positive");
  if (c.sse_max_backlog <= c.sse_replay)
    throw std::invalid_argument("SSE_MAX_BACKLOG must be larger than SSE_REPLAY");

  if (auto v = env("CAPTCHA_PROVIDER")) c.captcha_provider = *v;
  if (c.captcha_provider != "altcha" && c.captcha_provider != "none" &&
      !courses::is_hosted_provider(c.captcha_provider))
    throw std::invalid_argument(
        "CAPTCHA_PROVIDER must be altcha, turnstile, hcaptcha, recaptcha or none");
  if (auto v = env("CAPTCHA_SECRET")) c.captcha_secret = *v;
  if (auto v = env("CAPTCHA_VERIFY_URL")) c.captcha_verify_url = *v;
  if (courses::is_hosted_provider(c.captcha_provider)) {
    if (c.captcha_secret.empty())
      throw std::invalid_argument("CAPTCHA_PROVIDER=" + c.captcha_provider +
                                  " needs CAPTCHA_SECRET (the provider's secret key)");
    if (c.captcha_verify_url.empty())
      c.captcha_verify_url = courses::default_verify_url(c.captcha_provider);
    try {
      net::check_url(c.captcha_verify_url);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("CAPTCHA_VERIFY_URL: ") + e.what());
    }
  }
  read_int("CAPTCHA_MAX_NUMBER", c.captcha_max_number, 1, 100000000);
  read_duration("CAPTCHA_TTL", c.captcha_ttl);
  read_duration("COURSE_BOOKING_TTL", c.course_booking_ttl);
  read_duration("EXPIRY_SWEEP_INTERVAL", c.expiry_sweep_interval);
  if (c.course_booking_ttl.count() < 1000 || c.expiry_sweep_interval.count() <= 0 ||
      c.captcha_ttl.count() < 1000)
    throw std::invalid_argument(
        "COURSE_BOOKING_TTL and CAPTCHA_TTL must be at least 1s, EXPIRY_SWEEP_INTERVAL positive");

  read_duration("EVENT_RETENTION", c.event_retention);
  read_duration("EVENT_PRUNE_INTERVAL", c.event_prune_interval);
  c.backup_interval_set = env("BACKUP_INTERVAL").has_value();
  read_duration("BACKUP_INTERVAL", c.backup_interval);
  if (c.backup_interval.count() != 0 && c.backup_interval < std::chrono::seconds(1))
    throw std::invalid_argument("BACKUP_INTERVAL must be 0 (no backups) or at least 1s");
  read_int("BACKUP_KEEP", c.backup_keep, 1, 100000);
  read_duration("EVENT_POLL_INTERVAL", c.event_poll_interval);
  if (c.event_retention.count() < 1000 || c.event_prune_interval.count() <= 0 ||
      c.event_poll_interval.count() <= 0)
    throw std::invalid_argument(
        "EVENT_RETENTION must be at least 1s, EVENT_PRUNE_INTERVAL and EVENT_POLL_INTERVAL "
        "positive");

  auto& p = c.priority;
  read_int("PRIORITY_URGENT_DAYS", p.urgent_days, 0, 3650);
  read_int("PRIORITY_SOON_DAYS", p.soon_days, 0, 3650);
  if (auto v = env("PRIORITY_VIP_MIN"))
    p.vip_min = parse_integer("PRIORITY_VIP_MIN", *v, 0, 9999999999) * 100;
  if (auto v = env("PRIORITY_PREMIUM_MIN"))
    p.premium_min = parse_integer("PRIORITY_PREMIUM_MIN", *v, 0, 9999999999) * 100;
  read_int("PRIORITY_GROUP_MIN_CLIENTS", p.group_min_clients, 1, 100000);
  read_int("PRIORITY_HIGH_MIN", p.high_min, 0, 1000);
  read_int("PRIORITY_MEDIUM_MIN", p.medium_min, 0, 1000);

  if (auto v = env("BUSINESS_TIMEZONE")) c.business_timezone = *v;
  if (auto v = env("DAILY_CLIENT_CAPACITY"); v && !v->empty())
    c.daily_client_capacity = parse_integer("DAILY_CLIENT_CAPACITY", *v, 0, 1000000);
  read_duration("CANCEL_CUTOFF", c.cancel_cutoff);
  if (c.cancel_cutoff.count() < 0)
    throw std::invalid_argument("CANCEL_CUTOFF must not be negative");
  if (auto v = env("PUBLIC_URL")) {
    c.public_url = *v;
    if (!c.public_url.empty() && !c.public_url.starts_with("http://") &&
        !c.public_url.starts_with("https://"))
      throw std::invalid_argument("PUBLIC_URL must start with http:// or https://");
  }
  if (auto v = env("JANJI_WEB_DIR")) c.web_dir = *v;
  if (auto v = env("NOTIFY_LOCALE")) {
    if (!notify::parse_locale(*v))
      throw std::invalid_argument("NOTIFY_LOCALE must be id or en, got '" + *v + "'");
    c.notify_locale = *v;
  }
  if (auto v = env("WHATSAPP_API_URL")) c.whatsapp_api_url = *v;
  if (auto v = env("WHATSAPP_TOKEN")) c.whatsapp_token = *v;
  if (auto v = env("WHATSAPP_PHONE_NUMBER_ID")) c.whatsapp_phone_number_id = *v;
  if (c.whatsapp_token.empty() != c.whatsapp_phone_number_id.empty())
    throw std::invalid_argument("WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID go together");
  for (const auto kind : notify::kAllMessageKinds) {
    std::string name(notify::kind_name(kind));
    std::string var = "WHATSAPP_TEMPLATE_";
    for (const char ch : name)
      var += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (auto v = env(var.c_str())) c.whatsapp_templates[name] = *v;
  }
  if (auto v = env("SMTP_URL")) c.smtp_url = *v;
  if (auto v = env("SMTP_USER")) c.smtp_user = *v;
  if (auto v = env("SMTP_PASSWORD")) c.smtp_password = *v;
  if (auto v = env("MAIL_FROM")) c.mail_from = *v;
  if (auto v = env("SSL_CERT_FILE")) c.ssl_cert_file = *v;
  if (!c.smtp_url.empty() && !c.smtp_url.starts_with("smtp://") &&
      !c.smtp_url.starts_with("smtps://"))
    throw std::invalid_argument("SMTP_URL must start with smtp:// or smtps://");
  if (!c.smtp_url.empty() && c.mail_from.empty())
    throw std::invalid_argument("MAIL_FROM is needed with SMTP_URL (the sender's address)");
  c.owner_email = env("OWNER_EMAIL");
  if (auto v = env("WEBHOOK_ALLOW_PRIVATE")) c.webhook_allow_private = *v == "1" || *v == "true";
  read_duration("NOTIFY_RETRY_MIN", c.notify_retry_min);
  read_duration("NOTIFY_RETRY_MAX", c.notify_retry_max);
  read_duration("NOTIFY_GIVE_UP", c.notify_give_up);
  read_duration("NOTIFY_POLL_INTERVAL", c.notify_poll_interval);
  read_duration("NOTIFY_TIMEOUT", c.notify_timeout);
  read_duration("NOTIFY_RECLAIM_AFTER", c.notify_reclaim_after);
  if (c.notify_reclaim_after < 2 * c.notify_timeout)
    throw std::invalid_argument("NOTIFY_RECLAIM_AFTER must be at least twice NOTIFY_TIMEOUT");
  if (c.notify_retry_min.count() < 1000 || c.notify_retry_max < c.notify_retry_min ||
      c.notify_give_up.count() < 1000 || c.notify_poll_interval.count() <= 0 ||
      c.notify_timeout.count() < 100)
    throw std::invalid_argument(
        "NOTIFY_RETRY_MIN and NOTIFY_GIVE_UP must be at least 1s, NOTIFY_RETRY_MAX at least "
        "NOTIFY_RETRY_MIN, NOTIFY_POLL_INTERVAL positive, NOTIFY_TIMEOUT at least 100ms");
  read_int("REMINDER_HOUR", c.reminder_hour, 0, 23);
  read_duration("REMINDER_SWEEP_INTERVAL", c.reminder_sweep_interval);
  if (c.reminder_sweep_interval.count() <= 0)
    throw std::invalid_argument("REMINDER_SWEEP_INTERVAL must be positive");
  return c;
}

}  // namespace janji
