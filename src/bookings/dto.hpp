#pragma once

#include "auth/dto.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

#include <boost/json/value.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace janji::bookings {

/// The event stream of this domain (the event log's `stream`, the SSE stream).
inline constexpr std::string_view kStream = "bookings";

inline constexpr std::array<std::string_view, 6> kStatuses = {"pending", "confirmed", "dp",
                                                              "paid",    "completed", "cancelled"};
bool is_status(std::string_view s);

struct Booking {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t service_type_id = 0;
  Money price_locked = 0;
  std::string status = "pending";
  Timestamp tanggal_booking;
  Timestamp tanggal_acara;
  std::int64_t jumlah_client = 0;
  int priority_score = 0;
  std::string priority_segment;
  std::string urgency_level;
  std::string monetary_level;
  Timestamp updated_priority_at;
  auth::User user;
};

/// BookingRead: decimal strings and naive UTC datetimes, as the original wrote them. Its
/// text is appended straight to `out` (the rows of long lists), or parsed into a value.
void append_json(std::string& out, const Booking& b);
boost::json::value to_json(const Booking& b, boost::json::storage_ptr sp = {});

/// The header record of GET /bookings/export.csv and a booking's record (core/csv.hpp).
std::string csv_header();
std::string to_csv(const Booking& b);

/// What a customer asks for in POST /bookings.
struct BookingRequest {
  std::int64_t service_type_id = 0;
  Timestamp tanggal_acara;
  std::int64_t jumlah_client = 0;
};

enum class Order { kId, kIdDesc, kPriorityDesc, kEventAsc, kEventDesc };

struct ListFilter {
  std::optional<std::int64_t> user_id;
  std::optional<std::string> segment;
  std::optional<std::string> status;
  /// "open" (pending, confirmed, dp, paid) or "finished" (completed, cancelled).
  std::optional<std::string> state;
  Order order = Order::kId;
  std::optional<std::int64_t> skip;
  std::optional<std::int64_t> limit;
};

/// One line naming what a filter selects: equal filters, equal lines.
std::string describe(const ListFilter& f);

}  // namespace janji::bookings
