#pragma once

#include "calendar/service.hpp"
#include "http/router.hpp"

namespace janji::calendar {

/// GET /calendar (public), PUT and DELETE /calendar/{date} (admin).
void add_routes(http::Router& router, CalendarService& calendar);

}  // namespace janji::calendar
