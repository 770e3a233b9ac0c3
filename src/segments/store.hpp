#pragma once

#include "core/time.hpp"
#include "events/log.hpp"
#include "infra/db/runner.hpp"
#include "notify/outbox.hpp"
#include "segments/dto.hpp"

#include <boost/asio/awaitable.hpp>

namespace janji::segments {

/// RFM aggregates per customer, computed by the database (cancelled bookings excluded).
class SegmentStore {
 public:
  /// With an outbox, a logged change is also sent to the webhooks that take it.
  explicit SegmentStore(db::Runner& db, const notify::Outbox* outbox = nullptr)
      : db_(db), outbox_(outbox) {}
  boost::asio::awaitable<std::vector<CustomerRfm>> customers(Timestamp now);
  /// Logs `segments` (their JSON) as a segment_updated event unless the stream's newest
  /// event already holds them (every instance recomputes; the log keeps one event per
  /// change). Returns the event that holds them.
  boost::asio::awaitable<events::Logged> record_if_changed(std::string segments, Timestamp now);

 private:
  db::Runner& db_;
  const notify::Outbox* outbox_;
};

std::vector<CustomerRfm> load_customers(db::Connection& c, Timestamp now);

}  // namespace janji::segments
