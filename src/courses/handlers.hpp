#pragma once

#include "courses/service.hpp"
#include "events/sse.hpp"
#include "http/router.hpp"

namespace janji::courses {

/// The course surface (seed 000): /api/courses, /api/booking/..., /api/bookings/...
/// Every route goes through `courses`.
void add_routes(http::Router& router, CourseService& courses, events::Hub& hub,
                events::SseOptions sse);

}  // namespace janji::courses
