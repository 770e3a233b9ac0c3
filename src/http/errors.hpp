#pragma once

#include "core/error.hpp"
#include "http/message.hpp"

namespace janji::http {

/// Renders an ApiError the way the API surface that owns `path` renders errors: FastAPI's
/// {"detail": ...} for the service-bookings surface, the {"success": false, "error": ...}
/// envelope under /api/ (the course surface). This is the only place that maps error codes
/// to responses.
Response render_error(const ApiError& error, std::string_view path);

/// The course surface's success envelope: {"success": true, "data": ..., "meta": {...}}.
/// `siblings` are extra top-level fields beside `data` (e.g. "pagination").
Response envelope(unsigned status, boost::json::value data, boost::json::object meta = {},
                  boost::json::object siblings = {});

bool is_envelope_surface(std::string_view path);

/// The 422 body FastAPI writes for a list of failing fields.
boost::json::value validation_detail(const std::vector<FieldError>& fields);

}  // namespace janji::http
