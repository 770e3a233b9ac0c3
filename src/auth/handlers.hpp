#pragma once

#include "auth/service.hpp"
#include "http/router.hpp"

namespace janji::auth {

/// /auth/register, /auth/login, GET and PATCH /auth/me.
void add_routes(http::Router& router, AuthService& auth);

}  // namespace janji::auth
