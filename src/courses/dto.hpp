#pragma once

#include "core/money.hpp"
#include "core/time.hpp"
#include "courses/validation.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace janji::courses {

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
};

struct Enrollment {
  std::string id;
  std::optional<std::int64_t> student_id;
  std::optional<std::string> booking_id;
  std::string course_id;
  std::string status;
  Timestamp enrolled_at;
};

/// The course surface writes ISO 8601 UTC with 'Z' and decimals as JSON numbers.
boost::json::value to_json(const Course& c);
boost::json::value to_json(const CourseBooking& b);
boost::json::value to_json(const Enrollment& e);
boost::json::value money_number(Money m);

}  // namespace janji::courses
