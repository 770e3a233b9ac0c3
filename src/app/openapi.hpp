#pragma once

#include "http/router.hpp"

#include <boost/json/value.hpp>

namespace janji {

/// The OpenAPI 3.1 document of every route in `router`, built from the RouteDoc declared
/// beside each route and the component schemas below.
boost::json::value build_openapi(const http::Router& router);

/// The component schemas ("UserRead", "BookingRead", ...).
const boost::json::object& openapi_schemas();

/// "/bookings/{booking_id}" → the names of its path parameters.
std::vector<std::string> path_parameters(const std::string& pattern);

}  // namespace janji
