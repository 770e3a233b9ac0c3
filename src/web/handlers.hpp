#pragma once

#include "http/router.hpp"

namespace janji::web {

/// The pages: /admin/ (dashboard), /register (course registration form), /docs (Swagger UI
/// over /openapi.json), and their files under /assets/. None of them is in /openapi.json.
void add_routes(http::Router& router);

}  // namespace janji::web
