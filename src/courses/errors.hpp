#pragma once

#include "core/error.hpp"

#include <optional>
#include <string>
#include <string_view>

/// Every error the course surface answers with its own code, in one place: the code, the
/// status kind and the public message of each are decided here and nowhere else.
namespace janji::courses::errors {

ApiError course_not_found();
ApiError booking_not_found();
ApiError enrollment_not_found();
ApiError student_not_found();
/// 409: an active enrollment for the same student or booking and course exists.
ApiError enrollment_exists();

/// 409: the idempotency key was used before; names the first booking when it is known.
ApiError duplicate_request(std::optional<std::string> booking_id = std::nullopt);
/// 409: the e-mail already has an unexpired pending booking for the course.
ApiError pending_booking_exists(std::string booking_id);
/// 429: the e-mail has as many pending bookings as it may.
ApiError pending_limit_reached();

/// 409 INVALID_STATUS: only an unexpired pending booking can be confirmed; `state` says
/// what it is instead ("expired", "confirmed", "no longer pending", ...).
ApiError not_confirmable(std::string_view state);
/// 409 INVALID_STATUS: only a pending booking can be rejected.
ApiError not_rejectable(std::string_view state);

/// 409 COURSE_FULL: the course's active enrollments already fill its max_students.
ApiError course_full();
/// 409 INVALID_STATUS: only a pending booking can be moved to the waitlist.
ApiError not_waitlistable(std::string_view state);
/// 409 INVALID_STATUS: an applicant cancels only a pending or waitlisted booking.
ApiError not_cancellable(std::string_view state);
/// 404 BOOKING_NOT_FOUND for a manage token that names no booking (malformed, guessed,
/// altered or of a deleted booking alike).
ApiError unknown_manage_token();

/// 403: a customer asked for another user's bookings.
ApiError not_your_bookings();

/// 400 CAPTCHA_INVALID, naming captcha_token with `why`.
ApiError captcha_invalid(std::string_view why);
/// 503: the hosted provider's siteverify could not be asked.
ApiError captcha_unavailable();
/// 404: a hosted provider checks the tokens, so this server issues no challenges.
ApiError captcha_not_issued(std::string_view provider);

/// 400 VALIDATION_ERROR for a `{name}` path parameter that is not a UUID.
ApiError invalid_uuid_param(std::string_view name);

}  // namespace janji::courses::errors
