#pragma once

#include "http/observer.hpp"
#include "http/router.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace janji::ops {

/// Upper bounds, in seconds, of the request latency buckets.
inline constexpr std::array<double, 12> kLatencyBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                          0.1,   0.25,   0.5,   1,    2.5,   10};

/// A latency histogram recorded with relaxed atomics: prometheus-cpp 1.0's Histogram takes
/// a mutex on every observation, which a request must not.
class LatencyHistogram {
 public:
  void observe(double seconds) noexcept;
  /// As a Prometheus histogram (cumulative buckets, then +Inf), with `labels`.
  prometheus::ClientMetric collect(std::vector<prometheus::ClientMetric::Label> labels) const;

 private:
  std::array<std::atomic<std::uint64_t>, kLatencyBounds.size() + 1> buckets_{};  // last: +Inf
  std::atomic<std::uint64_t> sum_ns_{0};
};

/// Requests by route pattern, method and status class, and their latency by route, recorded
/// by the dispatcher with no lock: each route's series are made when this is constructed
/// (after the last route is added), so recording is an index and atomic increments.
class RequestMetrics final : public http::RequestObserver {
 public:
  RequestMetrics(prometheus::Registry& registry, const http::Router& router);

  void observe(const http::Route* route, unsigned status, double seconds) noexcept override;
  /// janji_http_request_duration_seconds, one histogram per route.
  prometheus::MetricFamily latency() const;

 private:
  struct Series {
    std::string route;  // the pattern, "(unmatched)" for no route
    std::string method;
    std::array<prometheus::Counter*, 5> by_class{};  // 1xx … 5xx
    std::unique_ptr<LatencyHistogram> latency = std::make_unique<LatencyHistogram>();
  };
  Series make(prometheus::Family<prometheus::Counter>& family, std::string route,
              std::string method);

  const http::Route* first_ = nullptr;
  std::vector<Series> routes_;  // as the router's routes, by index
  Series unmatched_;
};

/// What /metrics reports besides the requests, read when it is asked for.
struct Snapshot {
  // The database (DatabaseStats).
  std::uint64_t pool_waits = 0;
  std::int64_t transactions_in_flight = 0;
  std::uint64_t writes = 0;
  std::vector<std::uint64_t> batches;  // per DatabaseStats::kBatchBounds bucket, not cumulative
  std::vector<std::uint64_t> batch_bounds;
  std::string database;  // "sqlite" or "postgres"
  // Live streams and the event log.
  std::map<std::string, std::size_t> sse_subscribers;  // by stream
  std::int64_t newest_event = 0;
  std::int64_t delivered_event = 0;
  // Notifications by channel and status.
  struct Notifications {
    std::string channel;
    std::string status;
    std::int64_t count = 0;
  };
  std::vector<Notifications> notifications;
  int hash_queue = 0;
  // The process.
  std::int64_t resident_bytes = 0;
  std::int64_t open_fds = 0;
};

/// The Snapshot as metric families (the series the README lists).
std::vector<prometheus::MetricFamily> families(const Snapshot& s);

/// The text exposition format of `families`.
std::string serialize(const std::vector<prometheus::MetricFamily>& families);

/// This process's resident memory (/proc/self/statm) and open descriptors (/proc/self/fd).
void read_process(Snapshot& s);

}  // namespace janji::ops
