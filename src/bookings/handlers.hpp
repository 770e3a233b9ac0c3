#pragma once

#include "bookings/service.hpp"
#include "events/sse.hpp"
#include "http/router.hpp"

namespace janji::bookings {

/// POST/GET /bookings/, GET /bookings/me, GET /bookings/stream, GET/PATCH
/// /bookings/{booking_id}.
void add_routes(http::Router& router, BookingService& bookings, events::Hub& hub,
                events::SseOptions sse);

}  // namespace janji::bookings
