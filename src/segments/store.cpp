#include "segments/store.hpp"

#include "events/log.hpp"
#include "segments/dto.hpp"

namespace janji::segments {

namespace {
// customer_rfm holds the aggregates of non-cancelled bookings, maintained by triggers.
constexpr std::string_view kAggregate =
    "SELECT r.user_id, u.name, r.last_booking, r.bookings, r.total FROM customer_rfm r "
    "JOIN users u ON u.id = r.user_id ORDER BY r.user_id";
}  // namespace

std::vector<CustomerRfm> load_customers(db::Connection& c, Timestamp now) {
  std::vector<CustomerRfm> out;
  for (const auto& r : c.query(kAggregate)) {
    out.push_back({r.int64(0), r.text(1), std::max(0LL, floor_days_between(r.time(2), now)),
                   r.int64(3), r.money(4)});
  }
  return out;
}

boost::asio::awaitable<std::vector<CustomerRfm>> SegmentStore::customers(Timestamp now) {
  co_return co_await db_.read([now](db::Connection& c) { return load_customers(c, now); });
}

boost::asio::awaitable<events::Logged> SegmentStore::record_if_changed(std::string segments,
                                                                       Timestamp now) {
  co_return co_await db_.write([this, &segments, now](db::Connection& c) {
    const auto logged = events::append_if_changed(c, kStream, "segment_updated", segments, now);
    if (logged.appended && outbox_) {
      db::Soon<std::optional<std::int64_t>> event_id(logged.id);
      outbox_->queue(
          c, event_id, "segment_updated", {}, [&] { return segments; }, now);
    }
    return logged;
  });
}

}  // namespace janji::segments
