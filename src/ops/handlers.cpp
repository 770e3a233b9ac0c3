#include "ops/handlers.hpp"

#include "bookings/dto.hpp"
#include "courses/dto.hpp"
#include "ops/store.hpp"
#include "segments/dto.hpp"

namespace janji::ops {

namespace asio = boost::asio;

MetricsEndpoint::MetricsEndpoint(db::Runner& db, events::Relay& relay, auth::AuthService& auth)
    : db_(db), relay_(relay), auth_(auth) {}

void MetricsEndpoint::add_routes(http::Router& router) {
  router.add(http::Verb::get, "/metrics",
             [this](http::Request&) -> asio::awaitable<http::Response> {
               http::Response r;
               r.body = co_await render();
               r.content_type = "text/plain; version=0.0.4; charset=utf-8";
               co_return r;
             },
             {.tag = "system",
              .summary = "Metrics in the Prometheus text format (an admin, or METRICS_TOKEN)",
              .access = http::Access::kMetrics,
              .media_type = "text/plain"});
}

void MetricsEndpoint::observe(const http::Router& router, http::Dispatcher& dispatcher) {
  requests_ = std::make_unique<RequestMetrics>(registry_, router);
  dispatcher.observe_with(*requests_);
}

asio::awaitable<std::string> MetricsEndpoint::render() {
  auto read = [](db::Connection& c) {
    Snapshot s;
    read_queues(c, s);
    return s;
  };
  auto snap = co_await db_.read(std::move(read));
  auto& stats = db_.database().stats();
  snap.database = db_.dialect() == db::Dialect::kPostgres ? "postgres" : "sqlite";
  snap.pool_waits = stats.pool_waits.load(std::memory_order_relaxed);
  snap.transactions_in_flight = stats.in_flight.load(std::memory_order_relaxed);
  snap.writes = stats.writes.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < stats.batches.size(); ++i) {
    snap.batches.push_back(stats.batches[i].load(std::memory_order_relaxed));
    snap.batch_bounds.push_back(db::DatabaseStats::kBatchBounds[i]);
  }
  for (auto stream : {bookings::kStream, courses::kStream, segments::kStream})
    snap.sse_subscribers[std::string(stream)] = relay_.hub().subscribers(std::string(stream));
  snap.delivered_event = relay_.delivered();
  snap.hash_queue = auth_.pending_hashes();
  read_process(snap);

  auto all = registry_.Collect();
  if (requests_) all.push_back(requests_->latency());
  for (auto& f : families(snap)) all.push_back(std::move(f));
  co_return serialize(all);
}

}  // namespace janji::ops
