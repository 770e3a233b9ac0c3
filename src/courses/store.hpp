#pragma once

#include "audit/dto.hpp"
#include "courses/dto.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace janji::courses {

/// The course catalogue. Course bookings are in BookingStore, enrollments in
/// EnrollmentStore; the three share one database.
class CourseStore {
 public:
  explicit CourseStore(db::Runner& db) : db_(db) {}

  boost::asio::awaitable<std::vector<Course>> list_courses(bool include_inactive);
  boost::asio::awaitable<std::optional<Course>> find_course(std::string id);
  boost::asio::awaitable<Course> create_course(Course c, audit::Actor by);
  boost::asio::awaitable<std::optional<Course>> update_course(std::string id, CourseChange change,
                                                              Timestamp now, audit::Actor by);
  /// A course with bookings or enrollments is deactivated rather than deleted.
  boost::asio::awaitable<CourseRemoval> remove_course(std::string id, Timestamp now,
                                                      audit::Actor by);

  /// The database the course domain's other stores share with this one.
  db::Runner& runner() const { return db_; }

 private:
  db::Runner& db_;
};

/// Blocking versions for loaders (the demo) and the other course stores, in a transaction
/// of their own.
std::optional<Course> find_course(db::Connection& c, const std::string& id);
std::optional<Course> find_course_by_title(db::Connection& c, const std::string& title);
/// Inserts `course` as it is (id and times included); its updated_at is its created_at.
void insert_course(db::Connection& c, const Course& course);

}  // namespace janji::courses
