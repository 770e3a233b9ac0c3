#include "courses/errors.hpp"

#include <boost/json.hpp>

namespace janji::courses::errors {

namespace json = boost::json;

namespace {

json::array naming_booking(std::string_view booking_id) {
  return json::array{{{"bookingId", booking_id}}};
}

json::array naming_path(std::string_view path, std::string_view message) {
  return json::array{{{"path", path}, {"message", message}}};
}

}  // namespace

ApiError course_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "COURSE_NOT_FOUND", "Course not found");
}

ApiError booking_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "BOOKING_NOT_FOUND", "Booking not found");
}

ApiError enrollment_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "ENROLLMENT_NOT_FOUND", "Enrollment not found");
}

ApiError student_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "STUDENT_NOT_FOUND", "Student not found");
}

ApiError enrollment_exists() {
  return ApiError::coded(
      ErrorCode::kConflict, "ENROLLMENT_EXISTS",
      "An active enrollment for this student or booking and course already exists");
}

ApiError duplicate_request(std::optional<std::string> booking_id) {
  return ApiError::coded(ErrorCode::kConflict, "DUPLICATE_REQUEST",
                         "This request was already received",
                         booking_id ? naming_booking(*booking_id) : json::array{});
}

ApiError pending_booking_exists(std::string booking_id) {
  return ApiError::coded(ErrorCode::kConflict, "PENDING_BOOKING_EXISTS",
                         "This e-mail already has a pending booking for this course",
                         naming_booking(booking_id));
}

ApiError pending_limit_reached() {
  return ApiError::coded(ErrorCode::kTooManyRequests, "PENDING_LIMIT_REACHED",
                         "At most 3 pending bookings per e-mail; wait for a decision or expiry");
}

ApiError not_confirmable(std::string_view state) {
  return ApiError::coded(
      ErrorCode::kConflict, "INVALID_STATUS",
      "Only an unexpired pending booking can be confirmed (it is " + std::string(state) + ")");
}

ApiError not_rejectable(std::string_view state) {
  return ApiError::coded(
      ErrorCode::kConflict, "INVALID_STATUS",
      "Only a pending booking can be rejected (it is " + std::string(state) + ")");
}

ApiError course_full() {
  return ApiError::coded(ErrorCode::kConflict, "COURSE_FULL",
                         "The course is full: every seat is taken by an active enrollment");
}

ApiError not_waitlistable(std::string_view state) {
  return ApiError::coded(
      ErrorCode::kConflict, "INVALID_STATUS",
      "Only a pending booking can be moved to the waitlist (it is " + std::string(state) + ")");
}

ApiError not_cancellable(std::string_view state) {
  return ApiError::coded(
      ErrorCode::kConflict, "INVALID_STATUS",
      "Only a pending or waitlisted booking can be cancelled (it is " + std::string(state) + ")");
}

ApiError unknown_manage_token() {
  return ApiError::coded(ErrorCode::kNotFound, "BOOKING_NOT_FOUND", "Booking not found");
}

ApiError not_your_bookings() {
  return ApiError::coded(ErrorCode::kForbidden, "FORBIDDEN", "You may only see your own bookings");
}

ApiError captcha_invalid(std::string_view why) {
  return ApiError::coded(ErrorCode::kBadRequest, "CAPTCHA_INVALID", "Captcha verification failed",
                         naming_path("captcha_token", why));
}

ApiError captcha_unavailable() {
  return ApiError::coded(ErrorCode::kUnavailable, "CAPTCHA_UNAVAILABLE",
                         "Captcha verification is unavailable; please try again shortly");
}

ApiError captcha_not_issued(std::string_view provider) {
  return ApiError::coded(ErrorCode::kNotFound, "CAPTCHA_NOT_ISSUED",
                         "This server verifies " + std::string(provider) +
                             " tokens; it issues no challenges of its own");
}

ApiError invalid_uuid_param(std::string_view name) {
  return ApiError::coded(ErrorCode::kValidation, "VALIDATION_ERROR", "Invalid request data",
                         naming_path(name, "Must be a UUID"));
}

}  // namespace janji::courses::errors
