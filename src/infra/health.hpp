#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <functional>

namespace janji {

/// How often /health's dependencies are probed; /health itself only reads the last result.
inline constexpr std::chrono::milliseconds kHealthInterval{1000};

enum class Probe { kOk, kUnavailable, kNotConfigured };

struct HealthState {
  Probe database = Probe::kOk;
  Probe redis = Probe::kNotConfigured;
};

struct HealthReport {
  unsigned status = 200;
  boost::json::object body;
};

/// Without Redis and with the database answering: 200 {"status": "ok"}, as before Redis.
/// Database down: 503 "unavailable" (nothing works). Redis down: 200 "degraded" (requests
/// still work, through the fallbacks). With Redis configured the body names each part.
HealthReport health_report(const HealthState& s);

/// Probes the database (and Redis, when configured) every kHealthInterval off the IO
/// threads, so /health answers at once from the last results.
class HealthMonitor {
 public:
  /// A probe answers whether its dependency works now; it must not block the IO thread.
  using Check = std::function<boost::asio::awaitable<bool>()>;

  HealthMonitor(boost::asio::any_io_executor ex, Check database, Check redis);

  HealthState state() const;
  /// Probes until stop(); spawn it once.
  boost::asio::awaitable<void> run();
  void stop();

 private:
  boost::asio::steady_timer timer_;
  Check database_;
  Check redis_;  // empty: Redis is not configured
  std::atomic<bool> database_ok_{true};
  std::atomic<bool> redis_ok_{true};
  std::atomic<bool> stopping_{false};
};

}  // namespace janji
