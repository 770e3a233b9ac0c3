#include "infra/health.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace janji {

namespace asio = boost::asio;

HealthReport health_report(const HealthState& s) {
  HealthReport r;
  const bool db_ok = s.database == Probe::kOk;
  const bool redis_ok = s.redis != Probe::kUnavailable;
  r.status = db_ok ? 200 : 503;
  r.body["status"] = !db_ok ? "unavailable" : redis_ok ? "ok" : "degraded";
  if (s.redis != Probe::kNotConfigured || !db_ok) r.body["database"] = db_ok ? "ok" : "unavailable";
  if (s.redis != Probe::kNotConfigured) r.body["redis"] = redis_ok ? "ok" : "unavailable";
  return r;
}

HealthMonitor::HealthMonitor(asio::any_io_executor ex, Check database, Check redis)
    : timer_(ex), database_(std::move(database)), redis_(std::move(redis)) {}

HealthState HealthMonitor::state() const {
  HealthState s;
  s.database = database_ok_ ? Probe::kOk : Probe::kUnavailable;
  if (redis_) s.redis = redis_ok_ ? Probe::kOk : Probe::kUnavailable;
  return s;
}

asio::awaitable<void> HealthMonitor::run() {
  while (!stopping_) {
    const bool db = co_await database_();
    if (db != database_ok_.exchange(db))
      db ? spdlog::info("health: the database answers again")
         : spdlog::error("health: the database does not answer");
    if (redis_) {
      const bool redis = co_await redis_();
      if (redis != redis_ok_.exchange(redis))
        redis ? spdlog::info("health: Redis is back; status ok")
              : spdlog::warn("health: Redis is unavailable; status degraded");
    }
    timer_.expires_after(kHealthInterval);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

void HealthMonitor::stop() {
  stopping_ = true;
  asio::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

}  // namespace janji
