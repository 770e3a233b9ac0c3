#pragma once

#include "auth/service.hpp"
#include "events/relay.hpp"
#include "http/dispatcher.hpp"
#include "infra/db/runner.hpp"
#include "ops/metrics.hpp"

#include <prometheus/registry.h>

#include <memory>

namespace janji::ops {

/// GET /metrics (Prometheus text format; an admin, or METRICS_TOKEN): the requests, the
/// database, the streams, the event log, the notification queue, password hashing and the
/// process.
class MetricsEndpoint {
 public:
  MetricsEndpoint(db::Runner& db, events::Relay& relay, auth::AuthService& auth);

  void add_routes(http::Router& router);
  /// Starts recording the requests of every route: call once all routes are added.
  void observe(const http::Router& router, http::Dispatcher& dispatcher);

 private:
  boost::asio::awaitable<std::string> render();

  db::Runner& db_;
  events::Relay& relay_;
  auth::AuthService& auth_;
  prometheus::Registry registry_;
  std::unique_ptr<RequestMetrics> requests_;
};

}  // namespace janji::ops
