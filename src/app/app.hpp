#pragma once

#include "app/config.hpp"
#include "audit/store.hpp"
#include "auth/service.hpp"
#include "bookings/jobs.hpp"
#include "bookings/service.hpp"
#include "calendar/service.hpp"
#include "catalogue/service.hpp"
#include "courses/jobs.hpp"
#include "courses/service.hpp"
#include "events/bus.hpp"
#include "events/jobs.hpp"
#include "events/relay.hpp"
#include "events/sse.hpp"
#include "http/dispatcher.hpp"
#include "infra/blocking_pool.hpp"
#include "infra/db/backup_job.hpp"
#include "infra/db/runner.hpp"
#include "infra/health.hpp"
#include "infra/io_pool.hpp"
#include "infra/redis/client.hpp"
#include "infra/text_cache.hpp"
#include "notify/handlers.hpp"
#include "notify/outbox.hpp"
#include "notify/sender.hpp"
#include "notify/service.hpp"
#include "ops/handlers.hpp"
#include "segments/service.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>

namespace janji {

/// The wired server: store, pools, services and routes. Constructing it opens the database
/// and applies pending migrations; `serve` runs until SIGINT or SIGTERM.
class App {
 public:
  explicit App(Config config);
  ~App();

  const http::Router& router() const { return router_; }
  /// Every request's way from parsed to answered (no IO), as the server runs it.
  const http::Dispatcher& dispatcher() const { return dispatcher_; }
  db::Database& database() { return *db_; }
  events::Bus& bus() { return *bus_; }
  const Config& config() const { return config_; }

  /// Creates the ADMIN_EMAIL admin when it is absent (never touches an existing account).
  void ensure_configured_admin();
  /// Serves until a signal; drains in-flight requests, then returns 0.
  int serve();

 private:
  void add_system_routes();
  /// BACKUP_INTERVAL on SQLite: the rotating backups in JANJI_DATA_DIR/backups.
  void start_backups();

  /// Stops what talks to Redis (before the services it calls into go away).
  void stop_redis();
  boost::asio::awaitable<bool> database_answers();

  Config config_;
  std::size_t io_threads_;
  IoPool io_;
  std::unique_ptr<db::Database> db_;
  std::string secret_key_;
  BlockingPool db_pool_;
  BlockingPool hash_pool_;
  db::Runner runner_;
  auth::UserStore users_;
  // With REDIS_URL: the client, and the bus, idempotency keys and login throttle on it;
  // without: their in-process versions.
  std::unique_ptr<redis::Client> redis_;
  std::unique_ptr<auth::LoginLimiter> throttle_;
  auth::AuthService auth_;
  std::unique_ptr<events::Bus> bus_;
  events::Relay relay_;
  BlockingPool mail_pool_;
  notify::Outbox outbox_;
  notify::Sender sender_;
  notify::NotifyStore notify_store_;
  notify::NotifyService notify_;
  std::unique_ptr<courses::IdempotencyCache> course_keys_;
  events::SseOptions sse_;
  catalogue::CatalogueStore catalogue_store_;
  catalogue::CatalogueService catalogue_;
  segments::SegmentStore segment_store_;
  segments::SegmentService segments_;
  audit::AuditStore audit_store_;
  calendar::Settings calendar_settings_;
  calendar::CalendarStore calendar_store_;
  calendar::CalendarService calendar_;
  bookings::BookingStore booking_store_;
  bookings::BookingService bookings_;
  TextCache lists_;
  courses::CourseStore course_store_;
  courses::CourseService courses_;
  bookings::RescoreJob rescore_job_;
  courses::ExpiryJob expiry_job_;
  events::PruneJob prune_job_;
  bookings::ReminderJob reminder_job_;
  std::unique_ptr<db::BackupJob> backup_job_;  // SQLite with BACKUP_INTERVAL only
  HealthMonitor health_;
  ops::MetricsEndpoint metrics_;
  http::Router router_;
  http::Dispatcher dispatcher_;
  std::string openapi_json_;
};

std::size_t resolve_threads(std::size_t configured, std::size_t fallback);

/// SECRET_KEY, or the key kept in `data_dir`/secret_key (created with mode 600 on first use).
std::string resolve_secret_key(const Config& config);

}  // namespace janji
