#include "courses/store.hpp"

#include "audit/store.hpp"

namespace janji::courses {

namespace {

#define JANJI_COURSE_FIELDS                                                                 \
  "SELECT id, title, description, instrument, level, price_per_session, duration_minutes, " \
  "max_students, is_active, created_at, updated_at"
constexpr std::string_view kCourseColumns = JANJI_COURSE_FIELDS " FROM courses";
// The list's rows: each course with its active enrollments and its waiting list.
constexpr std::string_view kCourseListColumns = JANJI_COURSE_FIELDS
    ", (SELECT COUNT(*) FROM enrollments e WHERE e.course_id = courses.id AND "
    "e.status = 'active'), (SELECT COUNT(*) FROM course_bookings b WHERE "
    "b.course_id = courses.id AND b.status = 'waitlisted') FROM courses";
#undef JANJI_COURSE_FIELDS

Course read_course(const db::Row& r) {
  return {r.text(0),  r.text(1),  r.opt_text(2), r.text(3), r.text(4), r.money(5),
          r.int64(6), r.int64(7), r.boolean(8),  r.time(9), r.time(10)};
}

}  // namespace

boost::asio::awaitable<std::vector<Course>> CourseStore::list_courses(bool include_inactive) {
  co_return co_await db_.read([include_inactive](db::Connection& c) {
    std::vector<Course> out;
    const auto sql = std::string(kCourseListColumns) +
                     std::string(include_inactive ? " ORDER BY title, id"
                                                  : " WHERE is_active ORDER BY title, id");
    for (const auto& r : c.query(sql)) {
      auto course = read_course(r);
      course.seats_taken = r.int64(11);
      course.waitlisted = r.int64(12);
      out.push_back(std::move(course));
    }
    return out;
  });
}

boost::asio::awaitable<std::optional<Course>> CourseStore::find_course(std::string id) {
  co_return co_await db_.read([&id](db::Connection& c) { return courses::find_course(c, id); });
}

std::optional<Course> find_course(db::Connection& c, const std::string& id) {
  if (auto r = c.query_one(std::string(kCourseColumns) + " WHERE id = $1", {id}))
    return read_course(*r);
  return std::nullopt;
}

std::optional<Course> find_course_by_title(db::Connection& c, const std::string& title) {
  if (auto r = c.query_one(std::string(kCourseColumns) + " WHERE title = $1", {title}))
    return read_course(*r);
  return std::nullopt;
}

void insert_course(db::Connection& c, const Course& course) {
  c.execute(
      "INSERT INTO courses (id, title, description, instrument, level, price_per_session, "
      "duration_minutes, max_students, is_active, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
      {course.id, course.title, db::text_or_null(course.description), course.instrument,
       course.level, db::money(course.price_per_session), course.duration_minutes,
       course.max_students, course.is_active, db::time(course.created_at)});
}

boost::asio::awaitable<Course> CourseStore::create_course(Course course, audit::Actor by) {
  co_return co_await db_.write([&course, &by](db::Connection& c) {
    insert_course(c, course);
    audit::record(c, {by, "course.created", "course", course.id, std::nullopt, to_json(course)},
                  course.created_at);
    return course;
  });
}

boost::asio::awaitable<std::optional<Course>> CourseStore::update_course(std::string id,
                                                                         CourseChange ch,
                                                                         Timestamp now,
                                                                         audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<Course> {
    const auto before = courses::find_course(c, id);
    const auto changed = c.execute(
        "UPDATE courses SET title = COALESCE($2, title), "
        "description = CASE WHEN $3 = 1 THEN $4 ELSE description END, "
        "instrument = COALESCE($5, instrument), level = COALESCE($6, level), "
        "price_per_session = COALESCE($7, price_per_session), "
        "duration_minutes = COALESCE($8, duration_minutes), "
        "max_students = COALESCE($9, max_students), is_active = COALESCE($10, is_active), "
        "updated_at = $11 WHERE id = $1",
        {id, db::text_or_null(ch.title), std::int64_t{ch.set_description ? 1 : 0},
         db::text_or_null(ch.description), db::text_or_null(ch.instrument),
         db::text_or_null(ch.level),
         ch.price_per_session ? db::money(*ch.price_per_session) : db::Param{db::Null{}},
         ch.duration_minutes ? db::Param{*ch.duration_minutes} : db::Param{db::Null{}},
         ch.max_students ? db::Param{*ch.max_students} : db::Param{db::Null{}},
         ch.is_active ? db::Param{*ch.is_active} : db::Param{db::Null{}}, db::time(now)});
    if (changed == 0) return std::nullopt;
    auto after = read_course(*c.query_one(std::string(kCourseColumns) + " WHERE id = $1", {id}));
    audit::record(c, {by, "course.updated", "course", id, to_json(*before), to_json(after)}, now);
    return after;
  });
}

boost::asio::awaitable<CourseRemoval> CourseStore::remove_course(std::string id, Timestamp now,
                                                                 audit::Actor by) {
  co_return co_await db_.write([&id, now, &by](db::Connection& c) {
    const auto before = courses::find_course(c, id);
    if (!before) return CourseRemoval::kNotFound;
    if (c.query_one("SELECT 1 FROM course_bookings WHERE course_id = $1 LIMIT 1", {id}) ||
        c.query_one("SELECT 1 FROM enrollments WHERE course_id = $1 LIMIT 1", {id})) {
      c.execute("UPDATE courses SET is_active = FALSE, updated_at = $2 WHERE id = $1",
                {id, db::time(now)});
      audit::record(c,
                    {by, "course.deactivated", "course", id, to_json(*before),
                     to_json(*courses::find_course(c, id))},
                    now);
      return CourseRemoval::kDeactivated;
    }
    c.execute("DELETE FROM courses WHERE id = $1", {id});
    audit::record(c, {by, "course.deleted", "course", id, to_json(*before), std::nullopt}, now);
    return CourseRemoval::kDeleted;
  });
}

}  // namespace janji::courses
