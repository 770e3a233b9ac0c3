#include "events/jobs.hpp"

#include "events/log.hpp"

#include <spdlog/spdlog.h>

namespace janji::events {

namespace {

boost::asio::awaitable<void> prune_once(db::Runner& db, std::chrono::milliseconds retention) {
  const auto cutoff = now_utc() - retention;
  const auto n = co_await db.write([cutoff](db::Connection& c) { return prune(c, cutoff); });
  if (n > 0) spdlog::info("pruned {} event(s) older than EVENT_RETENTION", n);
}

}  // namespace

PruneJob::PruneJob(db::Runner& db, boost::asio::any_io_executor executor,
                   std::chrono::milliseconds retention, std::chrono::milliseconds interval)
    : task_(std::move(executor), "pruning the event log",
            std::min<std::chrono::milliseconds>(std::chrono::seconds(5), interval), interval,
            [&db, retention] { return prune_once(db, retention); }) {}

}  // namespace janji::events
