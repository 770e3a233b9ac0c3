#include "app/app.hpp"

#include "app/openapi.hpp"
#include "audit/handlers.hpp"
#include "auth/admin.hpp"
#include "auth/handlers.hpp"
#include "auth/redis_throttle.hpp"
#include "bookings/handlers.hpp"
#include "calendar/handlers.hpp"
#include "catalogue/handlers.hpp"
#include "courses/handlers.hpp"
#include "events/redis_bus.hpp"
#include "http/server.hpp"
#include "infra/crypto/crypto.hpp"
#include "infra/db/migrations.hpp"
#include "infra/db/sqlite_backup.hpp"
#include "infra/spawn.hpp"
#include "segments/handlers.hpp"
#include "web/assets.hpp"
#include "web/handlers.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace janji {

namespace asio = boost::asio;

std::size_t resolve_threads(std::size_t configured, std::size_t fallback) {
  return configured > 0 ? configured : std::max<std::size_t>(1, fallback);
}

namespace {

std::size_t cores() {
  return std::max(1u, std::thread::hardware_concurrency());
}

// -- Redis or in-process: each piece chosen once, here -----------------------------------

std::unique_ptr<redis::Client> make_redis(const Config& c) {
  if (!c.redis_url) return nullptr;
  return std::make_unique<redis::Client>(redis::parse_url(*c.redis_url));
}

std::unique_ptr<auth::LoginLimiter> make_throttle(redis::Client* redis, const Config& c) {
  if (redis)
    return std::make_unique<auth::RedisLoginLimiter>(*redis, c.login_max_failures_per_email,
                                                     c.login_max_failures_per_address,
                                                     c.login_failure_window);
  return std::make_unique<auth::LocalLoginLimiter>(
      c.login_max_failures_per_email, c.login_max_failures_per_address, c.login_failure_window);
}

std::unique_ptr<events::Bus> make_bus(redis::Client* redis) {
  if (!redis) return std::make_unique<events::LocalBus>();
  events::RedisBusOptions options;
  // Keys live in the URL's database, but pub/sub channels are server-wide: name the
  // channel after the database too, so instances on different databases stay apart.
  options.channel = "janji:events:" + std::to_string(redis->url().db);
  // Seed 000's consumers listen for booking.created on a channel of that name.
  options.mirrors = {{std::string(courses::kStream), "booking.created"}};
  return std::make_unique<events::RedisBus>(*redis, std::move(options));
}

notify::Outbox make_outbox(const Config& c) {
  auto s = notify::OutboxSettings::defaults();
  s.locale = *notify::parse_locale(c.notify_locale);
  s.whatsapp = !c.whatsapp_token.empty();
  s.email = !c.smtp_url.empty();
  s.owner_email = c.owner_email;
  for (std::size_t i = 0; i < notify::kAllMessageKinds.size(); ++i) {
    const auto it =
        c.whatsapp_templates.find(std::string(notify::kind_name(notify::kAllMessageKinds[i])));
    if (it != c.whatsapp_templates.end()) s.whatsapp_templates[i] = it->second;
  }
  if (!s.whatsapp)
    spdlog::info("WhatsApp is not configured: messages to phones are listed as wa.me links");
  if (!s.email) spdlog::info("SMTP_URL is not set: no e-mail is sent");
  return notify::Outbox(std::move(s),
                        notify::load_templates(std::filesystem::path(c.data_dir) / "templates"),
                        notify::Zone(c.business_timezone));
}

notify::SenderSettings sender_settings(const Config& c) {
  notify::SenderSettings s;
  s.whatsapp_url = c.whatsapp_api_url;
  s.whatsapp_token = c.whatsapp_token;
  s.whatsapp_phone_id = c.whatsapp_phone_number_id;
  if (!c.smtp_url.empty())
    s.smtp = notify::SmtpSettings{c.smtp_url, c.smtp_user, c.smtp_password, c.mail_from,
                                  c.ssl_cert_file};
  s.webhook_allow_private = c.webhook_allow_private;
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  s.retry_min = duration_cast<seconds>(c.notify_retry_min);
  s.retry_max = duration_cast<seconds>(c.notify_retry_max);
  s.give_up = duration_cast<seconds>(c.notify_give_up);
  s.poll = c.notify_poll_interval;
  s.http_timeout = c.notify_timeout;
  s.claim_for = std::chrono::duration_cast<std::chrono::seconds>(c.notify_reclaim_after);
  if (s.smtp)
    s.smtp->timeout = std::max<seconds>(seconds(1), duration_cast<seconds>(c.notify_timeout));
  return s;
}

std::unique_ptr<courses::IdempotencyCache> make_course_keys(redis::Client* redis) {
  if (redis) return std::make_unique<courses::RedisIdempotencyCache>(*redis);
  return std::make_unique<courses::LocalIdempotencyCache>();
}

}  // namespace

std::string resolve_secret_key(const Config& config) {
  if (!config.secret_key.empty()) {
    if (config.secret_key.size() < 32)
      spdlog::warn("SECRET_KEY is shorter than 32 characters; tokens are easier to forge");
    return config.secret_key;
  }
  const auto path = std::filesystem::path(config.data_dir) / "secret_key";
  if (std::ifstream in(path); in) {
    std::string key;
    std::getline(in, key);
    if (key.size() >= 32) return key;
    throw std::runtime_error(path.string() +
                             " holds no usable key; delete it to generate a new one");
  }
  std::filesystem::create_directories(config.data_dir);
  const auto key = crypto::random_hex(32);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                       ::write(fd, "\n", 1) == 1 && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write " + path.string());
  spdlog::warn("SECRET_KEY is not set; generated one and kept it in {} (mode 600)", path.string());
  return key;
}

App::App(Config config)
    : config_(std::move(config)),
      io_threads_(resolve_threads(config_.io_threads, cores())),
      io_(io_threads_),
      db_(db::open_database(
          config_.database_url,
          resolve_threads(config_.db_threads, std::max<std::size_t>(4, 2 * cores())))),
      secret_key_(resolve_secret_key(config_)),
      db_pool_(resolve_threads(config_.db_threads, std::max<std::size_t>(4, 2 * cores())),
               "janji-db"),
      hash_pool_(resolve_threads(config_.hash_threads, cores() / 2), "janji-hash",
                 // A login flood gets only the CPU that serving leaves over.
                 BlockingPool::Priority::kIdle),
      runner_(*db_, db_pool_),
      users_(runner_),
      redis_(make_redis(config_)),
      throttle_(make_throttle(redis_.get(), config_)),
      auth_(users_, hash_pool_, secret_key_, config_.access_token_expire, *throttle_),
      bus_(make_bus(redis_.get())),
      relay_(runner_, *bus_, io_.main().get_executor(), config_.event_poll_interval,
             config_.sse_replay),
      // SMTP blocks while it talks; the rest of the sender does not.
      mail_pool_(2, "janji-mail"),
      outbox_(make_outbox(config_)),
      sender_(runner_, mail_pool_, io_.main().get_executor(), sender_settings(config_)),
      notify_store_(runner_),
      notify_(notify_store_, sender_),
      course_keys_(make_course_keys(redis_.get())),
      sse_{config_.sse_heartbeat, config_.sse_max_backlog},
      catalogue_store_(runner_),
      catalogue_(catalogue_store_, config_.catalogue_cache_ttl),
      segment_store_(runner_, &outbox_),
      segments_(segment_store_, db_pool_, relay_, io_.main().get_executor(),
                config_.segment_debounce),
      audit_store_(runner_),
      calendar_settings_{config_.daily_client_capacity, notify::Zone(config_.business_timezone)},
      calendar_store_(runner_, calendar_settings_),
      calendar_(calendar_store_),
      booking_store_(runner_, &outbox_, &calendar_settings_),
      bookings_(booking_store_, config_.priority, relay_, config_.cancel_cutoff),
      // Ten seconds at most: the priority order breaks ties by nearness to now.
      lists_(config_.list_cache_bytes, std::chrono::seconds(10)),
      course_store_(runner_),
      courses_(course_store_, relay_, *course_keys_, secret_key_,
               {config_.captcha_provider, config_.captcha_secret, config_.captcha_verify_url,
                config_.captcha_max_number,
                std::chrono::duration_cast<std::chrono::seconds>(config_.captcha_ttl)},
               std::chrono::duration_cast<std::chrono::seconds>(config_.course_booking_ttl),
               &outbox_, config_.public_url),
      rescore_job_(bookings_, io_.main().get_executor(), config_.priority_rescore_interval),
      expiry_job_(courses_, io_.main().get_executor(), config_.expiry_sweep_interval),
      prune_job_(runner_, io_.main().get_executor(), config_.event_retention,
                 config_.event_prune_interval),
      reminder_job_(bookings_, io_.main().get_executor(), config_.reminder_sweep_interval,
                    config_.reminder_hour),
      health_(
          io_.main().get_executor(), [this] { return database_answers(); },
          redis_ ? HealthMonitor::Check([this] { return bus_->answers(); })
                 : HealthMonitor::Check()),
      metrics_(runner_, relay_, auth_),
      dispatcher_(router_, auth_, http::Cors(config_.cors_origins)) {
  if (redis_)
    spdlog::info("cache, login throttle and events in Redis at {}", redis_->url().display());
  const auto report = db::migrate(*db_);
  if (report.applied > 0) spdlog::info("schema at version {}", report.current_version);

  add_system_routes();
  auth::add_routes(router_, auth_);
  catalogue::add_routes(router_, catalogue_);
  bookings::add_routes(router_, bookings_, lists_, relay_.hub(), sse_);
  calendar::add_routes(router_, calendar_);
  segments::add_routes(router_, segments_, relay_.hub(), sse_);
  courses::add_routes(router_, courses_, relay_.hub(), sse_);
  notify::add_routes(router_, notify_, config_.webhook_allow_private);
  audit::add_routes(router_, audit_store_);
  metrics_.add_routes(router_);
  auth_.accept_metrics_token(config_.metrics_token);
  // Events are committed with their deliveries: the sender looks at once when this instance
  // queued something to send (wa.me links are not), and otherwise at its next poll.
  for (const auto stream : {bookings::kStream, courses::kStream, segments::kStream})
    relay_.watch(std::string(stream), [this] {
      if (outbox_.take_sendable()) sender_.wake();
    });
  if (!config_.web_dir.empty()) {
    web::serve_from_directory(config_.web_dir);
    spdlog::warn("JANJI_WEB_DIR: pages served from {}, not the built-in ones", config_.web_dir);
  }
  web::add_routes(router_);
  openapi_json_ = boost::json::serialize(build_openapi(router_));
  metrics_.observe(router_, dispatcher_);  // every route is in the table now
}

App::~App() {
  stop_redis();
  db_pool_.join();
  hash_pool_.join();
  mail_pool_.join();
}

void App::stop_redis() {
  relay_.stop();
  if (redis_) redis_->stop();
}

asio::awaitable<bool> App::database_answers() {
  // The PostgreSQL driver's ping may wait on the network: never on an IO thread.
  auto ping = [this] { return db_->ping(); };
  co_return co_await db_pool_.run(std::move(ping));
}

void App::add_system_routes() {
  router_.add(http::Verb::get, "/health",
              [this](http::Request&) -> asio::awaitable<http::Response> {
                const auto report = health_report(health_.state());
                co_return http::Response::json(report.status, report.body);
              },
              {.tag = "system", .summary = "Liveness", .response_schema = "Health"});
  // What the pages need to show dates and money as the business does.
  router_.add(http::Verb::get, "/settings",
              [this](http::Request&) -> asio::awaitable<http::Response> {
                boost::json::object o;
                o["business_timezone"] = config_.business_timezone;
                if (config_.daily_client_capacity)
                  o["daily_client_capacity"] = *config_.daily_client_capacity;
                else
                  o["daily_client_capacity"] = nullptr;
                o["cancel_cutoff_hours"] =
                    std::chrono::duration_cast<std::chrono::hours>(config_.cancel_cutoff).count();
                o["currency"] = "IDR";
                co_return http::Response::json(200, o);
              },
              {.tag = "system",
               .summary = "The business's settings the pages show (time zone, capacity)",
               .response_schema = "Settings"});
  router_.add(http::Verb::get, "/openapi.json",
              [this](http::Request&) -> asio::awaitable<http::Response> {
                http::Response r;
                r.body = openapi_json_;
                co_return r;
              },
              {.tag = "system", .summary = "This document (OpenAPI 3.1)"});
}

void App::ensure_configured_admin() {
  if (!config_.admin_email) return;
  auth::NewAdmin admin;
  try {
    admin = auth::check_admin("Admin", *config_.admin_email, *config_.admin_password);
  } catch (const auth::InvalidAdmin& e) {
    if (e.field() == auth::InvalidAdmin::Field::kEmail)
      throw std::invalid_argument(std::string("ADMIN_EMAIL is not a valid address: ") + e.what());
    throw std::invalid_argument(std::string("ADMIN_PASSWORD ") + e.what());
  }
  auth::ensure_admin_exists(*db_, admin);
}

void App::start_backups() {
  const auto file = db::sqlite_file(config_.database_url);
  if (!file) {
    if (config_.backup_interval_set && config_.backup_interval.count() > 0)
      spdlog::warn("BACKUP_INTERVAL backs up SQLite only; back PostgreSQL up with pg_dump");
    return;
  }
  if (config_.backup_interval.count() == 0) return;
  const auto folder = (std::filesystem::path(config_.data_dir) / "backups").string();
  backup_job_ = std::make_unique<db::BackupJob>(db_pool_, io_.main().get_executor(), *file, folder,
                                                config_.backup_interval, config_.backup_keep);
  backup_job_->start();
}

int App::serve() {
  ensure_configured_admin();

  auto& io = io_.main();
  http::ServerOptions options;
  options.max_body_bytes = config_.max_body_bytes;
  options.header_timeout = config_.header_timeout;
  options.body_timeout = config_.body_timeout;
  options.keepalive_timeout = config_.keepalive_timeout;

  // Before the first request: the relay starts after the newest event logged so far.
  relay_.start();
  http::Server server(io_, options, dispatcher_);
  server.listen(config_.host, config_.port);
  server.start();
  spdlog::info("janji {} listening on {}:{} ({} io threads, database {})", JANJI_VERSION,
               config_.host, server.port(), io_.size(),
               config_.database_url.substr(0, config_.database_url.find("://")));

  if (config_.captcha_provider == "none")
    spdlog::warn("CAPTCHA_PROVIDER=none: course registrations are not protected by a captcha");
  else if (!config_.captcha_verify_url.empty())
    spdlog::info("captcha: {} tokens verified at {}", config_.captcha_provider,
                 config_.captcha_verify_url);
  asio::co_spawn(io, health_.run(), log_exit("health probes"));
  expiry_job_.start();
  prune_job_.start();
  sender_.start();
  reminder_job_.start();
  rescore_job_.start();
  start_backups();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("signal {}: draining {} connection(s)", signo, server.open_connections());
    server.drain();
    rescore_job_.stop();
    expiry_job_.stop();
    prune_job_.stop();
    sender_.stop();
    reminder_job_.stop();
    if (backup_job_) backup_job_->stop();
    health_.stop();
    segments_.stop();
    // Wait for in-flight requests, but never longer than DRAIN_TIMEOUT.
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await server.drained(config_.drain_timeout);
          io_.stop();
        },
        log_exit("drain"));
  });

  io_.run();
  stop_redis();
  // Blocking work still running completes into the stopped io_context, which must outlive it.
  db_pool_.join();
  hash_pool_.join();
  mail_pool_.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace janji
