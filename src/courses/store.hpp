#pragma once

#include "courses/captcha.hpp"
#include "courses/dto.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/awaitable.hpp>

#include <boost/json/object.hpp>

#include <vector>

namespace janji::courses {

enum class CourseRemoval { kNotFound, kDeleted, kDeactivated };

/// Courses, course bookings and enrollments. Rules that must hold under concurrency live in
/// the database: the unique idempotency key, the pending-limit trigger, single-use captcha
/// challenges, one active enrollment per booking and course.
class CourseStore {
 public:
  explicit CourseStore(db::Runner& db) : db_(db) {}

  boost::asio::awaitable<std::vector<Course>> list_courses(bool include_inactive);
  boost::asio::awaitable<std::optional<Course>> find_course(std::string id);
  boost::asio::awaitable<Course> create_course(Course c);
  boost::asio::awaitable<std::optional<Course>> update_course(std::string id, CourseChange change);
  /// A course with bookings is deactivated rather than deleted.
  boost::asio::awaitable<CourseRemoval> remove_course(std::string id);

  /// The booking made with this idempotency key, if any.
  boost::asio::awaitable<std::optional<std::string>> booking_for_key(std::string key);
  /// Spends the captcha (400 CAPTCHA_INVALID when it was spent before), then the course
  /// check, same-course pending rule and insert (the trigger enforces the 3-pending
  /// limit), in one write transaction. Throws the course surface's coded errors; a
  /// registration refused after its captcha was spent keeps it spent.
  boost::asio::awaitable<CourseBooking> register_booking(Registration form,
                                                         std::optional<std::int64_t> user_id,
                                                         Timestamp now, Timestamp expires_at,
                                                         std::optional<SpentCaptcha> captcha);
  boost::asio::awaitable<std::vector<CourseBooking>> pending();
  /// Confirms an unexpired pending booking and creates its active enrollment, atomically.
  boost::asio::awaitable<std::pair<CourseBooking, Enrollment>> confirm(std::string id,
                                                                       Timestamp now);
  boost::asio::awaitable<CourseBooking> reject(std::string id, std::optional<std::string> reason,
                                               Timestamp now);
  boost::asio::awaitable<bool> remove_booking(std::string id);
  boost::asio::awaitable<std::vector<CourseBooking>> bookings_of_user(std::int64_t user_id);

  using EnrollmentFilter = courses::EnrollmentFilter;
  struct EnrollmentPage {
    std::vector<boost::json::object> items;  // enrollment + student and course joined in
    std::int64_t total = 0;
  };
  boost::asio::awaitable<EnrollmentPage> enrollments(EnrollmentFilter filter);
  boost::asio::awaitable<std::optional<boost::json::object>> enrollment(std::string id);
  boost::asio::awaitable<boost::json::object> create_enrollment(Enrollment e);
  boost::asio::awaitable<std::optional<boost::json::object>> set_enrollment_status(
      std::string id, std::string status);

  /// Marks pending bookings past expires_at as expired and returns them; also forgets the
  /// spent captchas that have expired.
  boost::asio::awaitable<std::vector<CourseBooking>> expire(Timestamp now);

 private:
  db::Runner& db_;
};

/// Blocking versions for loaders (the demo) that write in a transaction of their own.
std::optional<Course> find_course_by_title(db::Connection& c, const std::string& title);
/// Inserts `course` as it is (id and times included); its updated_at is its created_at.
void insert_course(db::Connection& c, const Course& course);

}  // namespace janji::courses
