#pragma once

#include "events/sse.hpp"
#include "http/router.hpp"
#include "segments/service.hpp"

namespace janji::segments {

/// GET /segments/ and GET /segments/stream (admin).
void add_routes(http::Router& router, SegmentService& segments, events::Hub& hub,
                events::SseOptions sse);

}  // namespace janji::segments
