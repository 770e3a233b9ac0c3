#pragma once

#include "http/router.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace janji {

/// The OpenAPI 3.1 document of every route in `router`, built from the RouteDoc declared
/// beside each route and the component schemas below. Throws std::logic_error when two
/// routes would share an operationId or a route's tag has no description.
boost::json::value build_openapi(const http::Router& router);

/// The component schemas ("UserRead", "BookingRead", ...).
const boost::json::object& openapi_schemas();

/// "/bookings/{booking_id}" → the names of its path parameters.
std::vector<std::string> path_parameters(const std::string& pattern);

/// ("GET", "/api/bookings/user/{userId}") → "get_api_bookings_user_user_id": the method, then
/// the path in snake_case (braces and punctuation dropped, camelCase split, lower case).
std::string operation_id(std::string_view method, std::string_view pattern);

}  // namespace janji
