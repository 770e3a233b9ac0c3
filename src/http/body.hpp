#pragma once

#include "http/message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace janji::http {

/// The request body as JSON. An empty body is null (reported as a missing body by Fields);
/// a body that is not JSON is a 422 `json_invalid`, as FastAPI reports it; a Content-Type
/// other than JSON is a 415.
boost::json::value json_body(const Request& req);

/// application/x-www-form-urlencoded fields, percent-decoded.
Pairs form_body(const Request& req);

/// Name/value pairs (a query or a form) as an object of strings, so Fields can read them; a
/// repeated name keeps its last value.
boost::json::object to_object(const Pairs& pairs);

/// The Bearer token of the Authorization header, if any.
std::optional<std::string> bearer_token(const Request& req);

}  // namespace janji::http

namespace janji::http {

/// An integer path parameter; a 422 in FastAPI's words when it is not one.
std::int64_t path_id(const Request& req, std::string_view name);

}  // namespace janji::http
