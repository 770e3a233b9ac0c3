#pragma once

#include "auth/dto.hpp"
#include "core/time.hpp"
#include "courses/dto.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace janji::courses {

// Request bodies are typed as strictly as the Zod original typed them: a string where a
// number or a boolean is due is refused ("class": "5" is not 5). Query values are strings
// on the wire and are parsed from them.

/// Validates a registration body; throws one ApiError listing every failing field (the
/// course surface renders it as 400 VALIDATION_ERROR with {path, message} items).
/// `require_captcha` is false for a logged-in user's booking, which needs no captcha.
Registration parse_registration(boost::json::value body, Timestamp now,
                                bool require_captcha = true);

/// POST /api/bookings/create: a registration whose applicant defaults to the logged-in
/// user's profile (name, e-mail, address, and the phone number when it is a WhatsApp
/// number) wherever the body leaves a field out; it needs no captcha and ignores one sent.
Registration parse_user_registration(boost::json::value body, const auth::User& user,
                                     Timestamp now);

/// POST /api/courses, or with `partial` PUT /api/courses/{id}, where fields not sent are
/// kept and `change` (when given) receives the ones that were sent.
Course parse_course(boost::json::value body, bool partial, CourseChange* change = nullptr);
/// POST /api/bookings/{id}/reject: the optional reason (the body itself is optional).
std::optional<std::string> parse_rejection(boost::json::value body);
/// POST /api/booking/enrollments; id and enrolled_at are left to the caller.
Enrollment parse_new_enrollment(boost::json::value body);
/// PUT /api/booking/enrollments/{id}: the new status.
std::string parse_enrollment_status(boost::json::value body);
/// The query of GET /api/booking/enrollments (status, course_id, student_id, page, limit).
EnrollmentFilter parse_enrollment_filter(const http::Pairs& query);
/// `status` of GET /api/booking/export.csv: one of the course bookings' statuses.
std::optional<std::string> parse_booking_status_filter(const http::Pairs& query);
/// A `{name}` path parameter that must be a UUID (400 VALIDATION_ERROR otherwise).
std::string uuid_param(const http::Request& req, std::string_view name);

bool is_uuid(std::string_view s);
bool is_wa_number(std::string_view s);    // ^\+62\d{9,12}$
bool is_date(std::string_view s);         // a real YYYY-MM-DD
bool is_time_of_day(std::string_view s);  // HH:MM, 00:00–23:59
/// A version 7 UUID of 16 bytes from crypto::time_ordered_bytes (its version and variant
/// bits set over them).
std::string uuid_v7(std::string bytes);
std::string new_uuid();  // version 7, now

}  // namespace janji::courses
