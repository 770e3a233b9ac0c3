#pragma once

#include "auth/dto.hpp"
#include "bookings/priority.hpp"
#include "bookings/store.hpp"
#include "catalogue/store.hpp"

namespace janji::bookings {

struct BookingRequest {
  std::int64_t service_type_id = 0;
  Timestamp tanggal_acara;
  std::int64_t jumlah_client = 0;
};

/// The rules of service bookings: price locked from the type, priority on every change,
/// who may see what.
class BookingService {
 public:
  BookingService(BookingStore& store, catalogue::CatalogueStore& catalogue, PriorityRules rules)
      : store_(store), catalogue_(catalogue), rules_(rules) {}

  boost::asio::awaitable<Created> create(const auth::User& user, BookingRequest request,
                                         std::optional<std::string> idempotency_key);
  /// 404 when absent; 403 unless the user owns it or is an admin.
  boost::asio::awaitable<Booking> get(const auth::User& user, std::int64_t id);
  boost::asio::awaitable<std::vector<Booking>> list(ListFilter filter);
  boost::asio::awaitable<Booking> set_status(std::int64_t id, std::string status);

  const PriorityRules& rules() const { return rules_; }

 private:
  BookingStore& store_;
  catalogue::CatalogueStore& catalogue_;
  PriorityRules rules_;
};

/// Applies `compute_priority` to a booking as of `now`.
void rescore(Booking& b, const PriorityRules& rules, Timestamp now);

}  // namespace janji::bookings
