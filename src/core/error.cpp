#include "core/error.hpp"

namespace janji {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kValidation:
      return 422;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kHeaderTooLarge:
      return 431;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kNotImplemented:
      return 501;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

ApiError ApiError::validation(std::vector<FieldError> fields) {
  ApiError e(ErrorCode::kValidation, "Validation error");
  e.fields_ = std::move(fields);
  return e;
}

ApiError ApiError::too_many_requests(std::string message, int retry_after_seconds) {
  ApiError e(ErrorCode::kTooManyRequests, std::move(message));
  e.retry_after_ = retry_after_seconds < 1 ? 1 : retry_after_seconds;
  return e;
}

}  // namespace janji
