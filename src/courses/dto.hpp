#pragma once

#include "core/money.hpp"
#include "core/time.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace janji::courses {

/// The event stream of this domain (the event log's `stream`, the SSE stream).
inline constexpr std::string_view kStream = "course_bookings";

/// A course registration that passed every field rule of DESIGN.md.
struct Registration {
  std::string full_name;
  std::string email;
  std::optional<std::string> wa_number;
  std::string course_id;
  std::string address;
  std::string birth_place;
  std::string birth_date;  // YYYY-MM-DD
  std::string school;
  std::int64_t class_year = 0;
  std::string guardian_name;
  std::string guardian_wa_number;
  std::string experience_level = "beginner";
  std::vector<std::string> preferred_days;
  std::string time_start;  // HH:MM
  std::string time_end;
  std::optional<std::string> start_date_target;
  std::optional<bool> instrument_owned;
  std::optional<std::string> notes;
  std::optional<std::string> referral_source;
  std::string captcha_token;
  std::string idempotency_key;
};

struct Course {
  std::string id;
  std::string title;
  std::optional<std::string> description;
  std::string instrument;
  std::string level;
  Money price_per_session = 0;
  std::int64_t duration_minutes = 0;
  std::int64_t max_students = 0;
  bool is_active = true;
  Timestamp created_at;
  Timestamp updated_at;
  /// In GET /api/courses only: active enrollments (seats taken) and waitlisted bookings.
  std::optional<std::int64_t> seats_taken;
  std::optional<std::int64_t> waitlisted;
};

/// What a PUT /api/courses/{id} changes; fields not sent stay as they are.
struct CourseChange {
  std::optional<std::string> title;
  bool set_description = false;
  std::optional<std::string> description;
  std::optional<std::string> instrument;
  std::optional<std::string> level;
  std::optional<Money> price_per_session;
  std::optional<std::int64_t> duration_minutes;
  std::optional<std::int64_t> max_students;
  std::optional<bool> is_active;
};

struct CourseBooking {
  std::string id;
  std::string course_id;
  std::optional<std::int64_t> user_id;
  std::string status;
  Registration form;  // the applicant's answers (captcha token not kept)
  std::optional<Timestamp> expires_at;
  std::optional<Timestamp> confirmed_at;
  std::optional<Timestamp> rejected_at;
  std::optional<std::string> rejection_reason;
  Timestamp created_at;
  Timestamp updated_at;
  std::optional<std::string> course_title;  // when joined with the course
  /// The self-service token, only right after it was made (returned once, stored hashed).
  std::optional<std::string> manage_token;
};

struct Enrollment {
  std::string id;
  std::optional<std::int64_t> student_id;
  std::optional<std::string> booking_id;
  std::string course_id;
  std::string status;
  Timestamp enrolled_at;
};

/// An enrollment as the API shows it: with its student (the user, or the booking's
/// applicant) and its course's title joined in.
struct EnrollmentDetail {
  Enrollment enrollment;
  std::optional<std::string> student_name;
  std::optional<std::string> student_email;
  std::string course_title;
};

struct EnrollmentFilter {
  std::optional<std::string> status;
  std::optional<std::string> course_id;
  std::optional<std::int64_t> student_id;
  std::int64_t page = 1;
  std::int64_t limit = 20;
  bool paginate = true;  // false: every match (the CSV export)
};

/// One page of enrollments, and how many match the filter in all.
struct EnrollmentPage {
  std::vector<EnrollmentDetail> items;
  std::int64_t total = 0;
};

/// What DELETE /api/courses/{id} did: a course with bookings is deactivated, not deleted.
enum class CourseRemoval { kNotFound, kDeleted, kDeactivated };

/// The course surface writes ISO 8601 UTC with 'Z' and decimals as JSON numbers.
boost::json::value to_json(const Course& c);

/// The CSV exports' header records and records (core/csv.hpp).
std::string booking_csv_header();
std::string to_csv(const CourseBooking& b);
std::string enrollment_csv_header();
std::string to_csv(const EnrollmentDetail& e);
boost::json::value to_json(const CourseBooking& b);
boost::json::value to_json(const Enrollment& e);
boost::json::value to_json(const EnrollmentDetail& e);
/// The `pagination` object that stands beside `data` in GET /api/booking/enrollments.
boost::json::value pagination_json(const EnrollmentFilter& filter, std::int64_t total);
boost::json::value money_number(Money m);

/// The payload of a course booking event (`type` booking.created, ...), as the original's
/// consumers read it: {eventType, bookingId, userId, courseId, experienceLevel,
/// preferredDays, timestamp}.
std::string event_data(std::string_view type, const CourseBooking& b, Timestamp now);

}  // namespace janji::courses
