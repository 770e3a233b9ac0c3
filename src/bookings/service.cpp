#include "bookings/service.hpp"

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

boost::asio::awaitable<Created> BookingService::create(const auth::User& user, BookingRequest req,
                                                       std::optional<std::string> idempotency_key) {
  const auto type = co_await catalogue_.find_type(req.service_type_id);
  if (!type) throw ApiError::not_found("Service type not found");

  Booking b;
  b.user_id = user.id;
  b.service_type_id = type->id;
  b.price_locked = type->price;
  b.status = "pending";
  b.tanggal_booking = now_utc();
  b.tanggal_acara = req.tanggal_acara;
  b.jumlah_client = req.jumlah_client;
  rescore(b, rules_, b.tanggal_booking);

  std::optional<IdempotencyKey> key;
  if (idempotency_key) {
    key = IdempotencyKey{*idempotency_key,
                         std::to_string(req.service_type_id) + "|" +
                             std::to_string(req.tanggal_acara.time_since_epoch().count()) + "|" +
                             std::to_string(req.jumlah_client)};
  }
  co_return co_await store_.create(std::move(b), std::move(key));
}

boost::asio::awaitable<Booking> BookingService::get(const auth::User& user, std::int64_t id) {
  auto b = co_await store_.find(id);
  if (!b) throw ApiError::not_found("Booking not found");
  if (b->user_id != user.id && !user.is_admin())
    throw ApiError::forbidden("Not enough permissions");
  co_return std::move(*b);
}

boost::asio::awaitable<std::vector<Booking>> BookingService::list(ListFilter filter) {
  co_return co_await store_.list(std::move(filter));
}

boost::asio::awaitable<Booking> BookingService::set_status(std::int64_t id, std::string status) {
  const auto rules = rules_;
  auto b = co_await store_.update(id, [&status, &rules](Booking& booking) {
    booking.status = status;
    rescore(booking, rules, now_utc());
  });
  if (!b) throw ApiError::not_found("Booking not found");
  co_return std::move(*b);
}

}  // namespace janji::bookings
