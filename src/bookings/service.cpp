#include "bookings/service.hpp"

#include "bookings/self_service.hpp"

#include <boost/json/serialize.hpp>

namespace janji::bookings {

void rescore(Booking& b, const PriorityRules& rules, Timestamp now) {
  const auto p =
      compute_priority(rules, b.tanggal_acara, now, b.status, b.price_locked, b.jumlah_client);
  b.priority_score = p.score;
  b.priority_segment = p.segment;
  b.urgency_level = p.urgency;
  b.monetary_level = p.monetary;
  b.updated_priority_at = now;
}

boost::asio::awaitable<Created> BookingService::create(std::int64_t user_id, BookingRequest req,
                                                       std::optional<std::string> idempotency_key) {
  Booking b;
  b.user_id = user_id;
  b.service_type_id = req.service_type_id;
  b.status = "pending";
  b.tanggal_booking = now_utc();
  b.tanggal_acara = req.tanggal_acara;
  b.jumlah_client = req.jumlah_client;

  std::optional<IdempotencyKey> key;
  if (idempotency_key) {
    key = IdempotencyKey{*idempotency_key,
                         std::to_string(req.service_type_id) + "|" +
                             std::to_string(req.tanggal_acara.time_since_epoch().count()) + "|" +
                             std::to_string(req.jumlah_client)};
  }
  const auto& rules = rules_;
  const std::function<void(Booking&)> priced = [&rules](Booking& booking) {
    rescore(booking, rules, booking.tanggal_booking);
  };
  auto created = co_await store_.create(std::move(b), std::move(key), priced);
  if (!created.replayed) events_.committed(kStream);
  co_return created;
}

boost::asio::awaitable<Booking> BookingService::get(const auth::User& user, std::int64_t id) {
  auto b = co_await store_.find(id);
  if (!b) throw ApiError::not_found("Booking not found");
  if (b->user_id != user.id && !user.is_admin())
    throw ApiError::forbidden("Not enough permissions");
  co_return std::move(*b);
}

boost::asio::awaitable<void> BookingService::list(ListFilter filter, const EachBooking& each,
                                                  const AtVersion& at,
                                                  std::optional<std::string> seen) {
  co_await store_.list(std::move(filter), each, at, std::move(seen));
}

boost::asio::awaitable<Booking> BookingService::set_status(std::int64_t id, std::string status,
                                                           audit::Actor by) {
  const auto rules = rules_;
  std::function<void(Booking&)> change = [&status, &rules](Booking& booking) {
    booking.status = status;
    rescore(booking, rules, now_utc());
  };
  auto b = co_await store_.update(id, std::move(change), by, "booking.status_changed");
  if (!b) throw ApiError::not_found("Booking not found");
  events_.committed(kStream);
  co_return std::move(*b);
}

boost::asio::awaitable<Booking> BookingService::cancel(const auth::User& user, std::int64_t id) {
  const auto rules = rules_;
  const auto cutoff = cancel_cutoff_;
  const auto owner = user.id;
  std::function<void(Booking&)> change = [&rules, cutoff, owner](Booking& booking) {
    if (booking.user_id != owner) throw ApiError::forbidden("Not enough permissions");
    const auto now = now_utc();
    if (auto why = cancel_refusal(booking.status, booking.tanggal_acara, now, cutoff))
      throw ApiError::conflict(std::move(*why));
    booking.status = "cancelled";
    rescore(booking, rules, now);
  };
  auto b = co_await store_.update(id, std::move(change), owner, "booking.cancelled_by_customer");
  if (!b) throw ApiError::not_found("Booking not found");
  events_.committed(kStream);
  co_return std::move(*b);
}

boost::asio::awaitable<std::size_t> BookingService::rescore_open() {
  const auto rules = rules_;
  const auto now = now_utc();
  std::function<bool(Booking&)> apply = [rules, now](Booking& b) {
    const auto before = b.priority_score;
    const auto before_urgency = b.urgency_level;
    rescore(b, rules, now);
    // The score sums the levels' points, so an unchanged score with unchanged urgency
    // (the only time-dependent level) means nothing a client sees has changed.
    return b.priority_score != before || b.urgency_level != before_urgency;
  };
  const auto changed = co_await store_.rescore_open(std::move(apply));
  if (!changed.empty()) events_.committed(kStream);
  co_return changed.size();
}

}  // namespace janji::bookings
