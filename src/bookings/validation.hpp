#pragma once

#include "bookings/dto.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace janji::bookings {

// What the booking routes accept, decoded and validated without any IO. Each throws one 422
// ApiError listing every failing field.

/// POST /bookings: an event more than a day before `now` cannot be booked.
BookingRequest parse_booking_request(boost::json::value body, Timestamp now);
/// PATCH /bookings/{id}: the new status.
std::string parse_status_update(boost::json::value body);
/// The Idempotency-Key header of POST /bookings: nullopt when absent or empty, else at most
/// 255 bytes of valid UTF-8.
std::optional<std::string> parse_idempotency_key(std::string_view header);
/// The query of GET /bookings and /bookings/me (order_by, segment, status, skip, limit).
ListFilter parse_list_filter(const http::Pairs& query);

}  // namespace janji::bookings
