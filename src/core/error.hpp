#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <exception>
#include <optional>
#include <string>

namespace janji {

/// Protocol-neutral error kinds; each API surface maps them to a status in one place.
enum class ErrorCode {
  kBadRequest,
  kValidation,
  kUnauthorized,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPayloadTooLarge,
  kHeaderTooLarge,
  kUnsupportedMediaType,
  kTooManyRequests,
  kUnavailable,
  kNotImplemented,
  kInternal,
};

int http_status(ErrorCode code);

/// One failing input field, in the shape FastAPI/Pydantic reports it.
struct FieldError {
  boost::json::array loc;  // e.g. ["body", "email"]
  std::string msg;
  std::string type;
  std::optional<boost::json::value> input;
  boost::json::object ctx;
};

/// The one error type of Janji. `message` is shown to clients; `detail` is only logged.
class ApiError : public std::exception {
 public:
  ApiError(ErrorCode code, std::string message, std::string detail = {})
      : code_(code), message_(std::move(message)), detail_(std::move(detail)) {}

  static ApiError validation(std::vector<FieldError> fields);
  static ApiError not_found(std::string message) {
    return {ErrorCode::kNotFound, std::move(message)};
  }
  static ApiError bad_request(std::string message) {
    return {ErrorCode::kBadRequest, std::move(message)};
  }
  static ApiError conflict(std::string message) {
    return {ErrorCode::kConflict, std::move(message)};
  }
  static ApiError unauthorized(std::string message) {
    return {ErrorCode::kUnauthorized, std::move(message)};
  }
  static ApiError forbidden(std::string message) {
    return {ErrorCode::kForbidden, std::move(message)};
  }
  static ApiError too_many_requests(std::string message, int retry_after_seconds);
  static ApiError unavailable(std::string message, std::string detail = {}) {
    return {ErrorCode::kUnavailable, std::move(message), std::move(detail)};
  }
  static ApiError internal(std::string detail) {
    return {ErrorCode::kInternal, "Internal Server Error", std::move(detail)};
  }
  /// An error with the course surface's machine-readable code ("COURSE_NOT_FOUND", ...) and
  /// optional `details` items.
  static ApiError coded(ErrorCode code, std::string app_code, std::string message,
                        boost::json::array details = {}) {
    ApiError e(code, std::move(message));
    e.app_code_ = std::move(app_code);
    e.details_ = std::move(details);
    return e;
  }

  const char* what() const noexcept override { return message_.c_str(); }
  ErrorCode code() const { return code_; }
  int status() const { return http_status(code_); }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  std::optional<int> retry_after() const { return retry_after_; }
  const std::string& app_code() const { return app_code_; }
  const boost::json::array& details() const { return details_; }

 private:
  ErrorCode code_;
  std::string message_;
  std::string detail_;
  std::vector<FieldError> fields_;
  std::optional<int> retry_after_;
  std::string app_code_;
  boost::json::array details_;
};

}  // namespace janji
