#include "ops/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace janji::ops {
namespace {

using prometheus::MetricType;

http::Handler nothing() {
  return
      [](http::Request&) -> boost::asio::awaitable<http::Response> { co_return http::Response{}; };
}

TEST(LatencyHistogram, CountsIntoCumulativeBucketsWithTheSum) {
  LatencyHistogram h;
  h.observe(0.0005);  // ≤ 1 ms
  h.observe(0.003);   // ≤ 5 ms
  h.observe(0.003);
  h.observe(60);  // beyond 10 s: +Inf only
  const auto m = h.collect({{"route", "/x"}});
  ASSERT_EQ(m.histogram.bucket.size(), kLatencyBounds.size() + 1);
  EXPECT_EQ(m.histogram.bucket[0].cumulative_count, 1u);                          // le 0.001
  EXPECT_EQ(m.histogram.bucket[1].cumulative_count, 1u);                          // le 0.0025
  EXPECT_EQ(m.histogram.bucket[2].cumulative_count, 3u);                          // le 0.005
  EXPECT_EQ(m.histogram.bucket[kLatencyBounds.size() - 1].cumulative_count, 3u);  // le 10
  EXPECT_TRUE(std::isinf(m.histogram.bucket.back().upper_bound));
  EXPECT_EQ(m.histogram.bucket.back().cumulative_count, 4u);
  EXPECT_EQ(m.histogram.sample_count, 4u);
  EXPECT_NEAR(m.histogram.sample_sum, 60.0065, 1e-6);
  EXPECT_EQ(m.label.front().value, "/x");
}

TEST(RequestMetrics, CountsByRouteMethodAndStatusClass) {
  http::Router router;
  router.add(http::Verb::get, "/health", nothing());
  router.add(http::Verb::post, "/bookings/", nothing());
  prometheus::Registry registry;
  RequestMetrics metrics(registry, router);
  const auto* health = &router.routes()[0];
  const auto* book = &router.routes()[1];
  metrics.observe(health, 200, 0.0001);
  metrics.observe(health, 204, 0.0001);
  metrics.observe(book, 422, 0.002);
  metrics.observe(book, 503, 0.002);
  metrics.observe(nullptr, 404, 0.0001);
  const auto text = serialize(registry.Collect());
  EXPECT_NE(
      text.find(R"m(janji_http_requests_total{method="GET",route="/health",status="2xx"} 2)m"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"m(janji_http_requests_total{method="POST",route="/bookings/",status="4xx"} 1)m"),
      std::string::npos);
  EXPECT_NE(
      text.find(R"m(janji_http_requests_total{method="POST",route="/bookings/",status="5xx"} 1)m"),
      std::string::npos);
  EXPECT_NE(
      text.find(R"m(janji_http_requests_total{method="",route="(unmatched)",status="4xx"} 1)m"),
      std::string::npos);
  const auto latency = metrics.latency();
  EXPECT_EQ(latency.type, MetricType::Histogram);
  ASSERT_EQ(latency.metric.size(), 3u);  // unmatched, then the routes
  EXPECT_EQ(latency.metric[1].histogram.sample_count, 2u);
}

TEST(SnapshotFamilies, SayWhatTheSnapshotHolds) {
  Snapshot s;
  s.database = "sqlite";
  s.pool_waits = 7;
  s.transactions_in_flight = 2;
  s.batch_bounds = {1, 2, 4};
  s.batches = {5, 3, 1};  // 5 alone, 3 of two, 1 of three or four
  s.writes = 5 + 6 + 4;
  s.sse_subscribers = {{"bookings", 2}, {"segments", 0}};
  s.newest_event = 120;
  s.delivered_event = 117;
  s.notifications = {{"email", "queued", 4}, {"whatsapp", "failed", 1}};
  s.hash_queue = 3;
  s.resident_bytes = 50 << 20;
  s.open_fds = 12;
  const auto text = serialize(families(s));
  for (const char* line : {
           R"m(janji_db_pool_waits_total{database="sqlite"} 7)m",
           R"m(janji_db_transactions_in_flight{database="sqlite"} 2)m",
           R"m(janji_db_write_batch_size_bucket{database="sqlite",le="1"} 5)m",
           R"m(janji_db_write_batch_size_bucket{database="sqlite",le="2"} 8)m",
           R"m(janji_db_write_batch_size_bucket{database="sqlite",le="4"} 9)m",
           R"m(janji_db_write_batch_size_bucket{database="sqlite",le="+Inf"} 9)m",
           R"m(janji_db_write_batch_size_sum{database="sqlite"} 15)m",
           R"m(janji_sse_subscribers{stream="bookings"} 2)m",
           R"m(janji_event_log_lag_events 3)m",
           R"m(janji_notifications{channel="email",status="queued"} 4)m",
           R"m(janji_notifications{channel="whatsapp",status="failed"} 1)m",
           R"m(janji_password_hash_queue 3)m",
           R"m(process_resident_memory_bytes 52428800)m",
           R"m(process_open_fds 12)m",
           "# TYPE janji_db_write_batch_size histogram",
           "# TYPE janji_db_pool_waits_total counter",
       })
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

TEST(ProcessFigures, AreReadFromProc) {
  Snapshot s;
  read_process(s);
  EXPECT_GT(s.resident_bytes, 1 << 20);
  EXPECT_GE(s.open_fds, 3);
}

}  // namespace
}  // namespace janji::ops
