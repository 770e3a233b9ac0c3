#pragma once

#include "audit/dto.hpp"
#include "courses/dto.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace janji::courses {

/// Enrollments, read with their student and course. The database keeps one active
/// enrollment per (student or booking, course).
class EnrollmentStore {
 public:
  explicit EnrollmentStore(db::Runner& db) : db_(db) {}

  boost::asio::awaitable<EnrollmentPage> list(EnrollmentFilter filter);
  boost::asio::awaitable<std::optional<EnrollmentDetail>> find(std::string id);
  /// 404 when the course, booking or student named does not exist; 409 ENROLLMENT_EXISTS.
  boost::asio::awaitable<EnrollmentDetail> create(Enrollment e, audit::Actor by);
  boost::asio::awaitable<std::optional<EnrollmentDetail>> set_status(std::string id,
                                                                     std::string status,
                                                                     Timestamp now,
                                                                     audit::Actor by);

 private:
  db::Runner& db_;
};

/// Inserts `e` inside the caller's transaction (a booking's confirmation enrolls its
/// applicant in the same one). 409 ENROLLMENT_EXISTS when the student or booking already
/// has an active enrollment in the course.
void insert_enrollment(db::Connection& c, const Enrollment& e);

}  // namespace janji::courses
