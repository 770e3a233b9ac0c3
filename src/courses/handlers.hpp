#pragma once

#include "courses/service.hpp"
#include "events/sse.hpp"
#include "http/router.hpp"

namespace janji::courses {

/// The course surface (seed 000): /api/courses, /api/booking/..., /api/bookings/...
void add_routes(http::Router& router, CourseStore& store, CourseService& courses, events::Hub& hub,
                events::SseOptions sse);

}  // namespace janji::courses
