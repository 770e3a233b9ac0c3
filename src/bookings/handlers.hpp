#pragma once

#include "bookings/service.hpp"
#include "events/sse.hpp"
#include "http/router.hpp"
#include "infra/text_cache.hpp"

namespace janji::bookings {

/// POST/GET /bookings/, GET /bookings/me, GET /bookings/stream, GET/PATCH
/// /bookings/{booking_id}. The lists' texts are kept in `lists` while their data is
/// unchanged.
void add_routes(http::Router& router, BookingService& bookings, TextCache& lists, events::Hub& hub,
                events::SseOptions sse);

}  // namespace janji::bookings
