#pragma once

#include "infra/db/runner.hpp"
#include "infra/periodic_task.hpp"

#include <chrono>

namespace janji::events {

/// Every `interval`, deletes the logged events older than `retention` (EVENT_RETENTION):
/// a Last-Event-ID older than that replays what is still kept.
class PruneJob {
 public:
  PruneJob(db::Runner& db, boost::asio::any_io_executor executor,
           std::chrono::milliseconds retention, std::chrono::milliseconds interval);

  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  PeriodicTask task_;
};

}  // namespace janji::events
