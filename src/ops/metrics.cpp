#include "ops/metrics.hpp"

#include <prometheus/text_serializer.h>
#include <boost/beast/http/verb.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace janji::ops {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::array<const char*, 5> kClasses = {"1xx", "2xx", "3xx", "4xx", "5xx"};

MetricFamily family(std::string name, std::string help, MetricType type) {
  MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

ClientMetric gauge(double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  return m;
}

ClientMetric counter(double value) {
  ClientMetric m;
  m.counter.value = value;
  return m;
}

}  // namespace

void LatencyHistogram::observe(double seconds) noexcept {
  std::size_t i = 0;
  while (i < kLatencyBounds.size() && seconds > kLatencyBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e9),
                    std::memory_order_relaxed);
}

ClientMetric LatencyHistogram::collect(std::vector<ClientMetric::Label> labels) const {
  ClientMetric m;
  m.label = std::move(labels);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < kLatencyBounds.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    m.histogram.bucket.push_back({total, kLatencyBounds[i]});
  }
  total += buckets_.back().load(std::memory_order_relaxed);
  m.histogram.bucket.push_back({total, std::numeric_limits<double>::infinity()});
  m.histogram.sample_count = total;
  m.histogram.sample_sum = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return m;
}

RequestMetrics::RequestMetrics(prometheus::Registry& registry, const http::Router& router) {
  auto& requests = prometheus::BuildCounter()
                       .Name("janji_http_requests_total")
                       .Help("Requests answered, by route pattern, method and status class")
                       .Register(registry);
  const auto& routes = router.routes();
  if (!routes.empty()) first_ = routes.data();
  routes_.reserve(routes.size());
  for (const auto& r : routes)
    routes_.push_back(
        make(requests, r.pattern, std::string(boost::beast::http::to_string(r.method))));
  unmatched_ = make(requests, "(unmatched)", "");
}

RequestMetrics::Series RequestMetrics::make(prometheus::Family<prometheus::Counter>& requests,
                                            std::string route, std::string method) {
  Series s;
  s.route = std::move(route);
  s.method = std::move(method);
  for (std::size_t i = 0; i < kClasses.size(); ++i)
    s.by_class[i] =
        &requests.Add({{"route", s.route}, {"method", s.method}, {"status", kClasses[i]}});
  return s;
}

void RequestMetrics::observe(const http::Route* route, unsigned status, double seconds) noexcept {
  Series* s = &unmatched_;
  if (route && first_ && route >= first_ && route < first_ + routes_.size())
    s = &routes_[static_cast<std::size_t>(route - first_)];
  const auto cls = std::min<std::size_t>(4, std::max(1u, status / 100) - 1);
  s->by_class[cls]->Increment();
  s->latency->observe(seconds);
}

MetricFamily RequestMetrics::latency() const {
  auto f = family("janji_http_request_duration_seconds",
                  "Time from a request's arrival to its response's head, by route",
                  MetricType::Histogram);
  f.metric.push_back(unmatched_.latency->collect({{"method", ""}, {"route", unmatched_.route}}));
  for (const auto& s : routes_)
    f.metric.push_back(s.latency->collect({{"method", s.method}, {"route", s.route}}));
  return f;
}

std::vector<MetricFamily> families(const Snapshot& s) {
  std::vector<MetricFamily> out;
  const std::vector<ClientMetric::Label> db = {{"database", s.database}};

  auto waits =
      family("janji_db_pool_waits_total", "Transactions that waited for a free database connection",
             MetricType::Counter);
  waits.metric.push_back(counter(static_cast<double>(s.pool_waits)));
  waits.metric.back().label = db;
  out.push_back(std::move(waits));

  auto open = family("janji_db_transactions_in_flight", "Database transactions open now",
                     MetricType::Gauge);
  open.metric.push_back(gauge(static_cast<double>(s.transactions_in_flight), db));
  out.push_back(std::move(open));

  auto batches = family("janji_db_write_batch_size",
                        "Writes committed together by the writer (group commit), per batch",
                        MetricType::Histogram);
  ClientMetric h;
  h.label = db;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < s.batches.size() && i < s.batch_bounds.size(); ++i) {
    total += s.batches[i];
    h.histogram.bucket.push_back({total, static_cast<double>(s.batch_bounds[i])});
  }
  h.histogram.bucket.push_back({total, std::numeric_limits<double>::infinity()});
  h.histogram.sample_count = total;
  h.histogram.sample_sum = static_cast<double>(s.writes);
  batches.metric.push_back(std::move(h));
  out.push_back(std::move(batches));

  auto sse = family("janji_sse_subscribers", "Open live streams (SSE) on this instance, by stream",
                    MetricType::Gauge);
  for (const auto& [stream, n] : s.sse_subscribers)
    sse.metric.push_back(gauge(static_cast<double>(n), {{"stream", stream}}));
  out.push_back(std::move(sse));

  auto lag =
      family("janji_event_log_lag_events",
             "Logged events this instance has not delivered to its streams yet", MetricType::Gauge);
  lag.metric.push_back(
      gauge(static_cast<double>(std::max<std::int64_t>(0, s.newest_event - s.delivered_event))));
  out.push_back(std::move(lag));

  auto notes =
      family("janji_notifications",
             "Notifications (WhatsApp, e-mail, webhooks) by channel and status", MetricType::Gauge);
  for (const auto& n : s.notifications)
    notes.metric.push_back(
        gauge(static_cast<double>(n.count), {{"channel", n.channel}, {"status", n.status}}));
  out.push_back(std::move(notes));

  auto hashes = family("janji_password_hash_queue",
                       "Password hashes waiting or being computed (logins, registrations)",
                       MetricType::Gauge);
  hashes.metric.push_back(gauge(s.hash_queue));
  out.push_back(std::move(hashes));

  auto rss =
      family("process_resident_memory_bytes", "Resident memory size in bytes", MetricType::Gauge);
  rss.metric.push_back(gauge(static_cast<double>(s.resident_bytes)));
  out.push_back(std::move(rss));

  auto fds =
      family("process_open_fds", "Open file descriptors (connections, files)", MetricType::Gauge);
  fds.metric.push_back(gauge(static_cast<double>(s.open_fds)));
  out.push_back(std::move(fds));
  return out;
}

std::string serialize(const std::vector<MetricFamily>& families) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

void read_process(Snapshot& s) {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  if (statm >> size >> resident) s.resident_bytes = resident * ::sysconf(_SC_PAGESIZE);
  std::error_code ec;
  std::int64_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  s.open_fds = n;
}

}  // namespace janji::ops
