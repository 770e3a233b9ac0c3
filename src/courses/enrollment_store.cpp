#include "courses/enrollment_store.hpp"

#include "audit/store.hpp"

#include "courses/errors.hpp"
#include "infra/db/query.hpp"

namespace janji::courses {

namespace {

// An enrollment with its student (the user, or the booking's applicant) and course title.
constexpr std::string_view kEnrollmentSelect =
    "SELECT e.id, e.student_id, e.booking_id, e.course_id, e.status, e.enrolled_at, "
    "COALESCE(u.name, b.applicant_full_name), COALESCE(u.email, b.applicant_email), c.title "
    "FROM enrollments e JOIN courses c ON c.id = e.course_id "
    "LEFT JOIN users u ON u.id = e.student_id LEFT JOIN course_bookings b ON b.id = e.booking_id";

EnrollmentDetail read_enrollment(const db::Row& r) {
  return {{r.text(0), r.opt_int64(1), r.opt_text(2), r.text(3), r.text(4), r.time(5)},
          r.opt_text(6),
          r.opt_text(7),
          r.text(8)};
}

std::optional<EnrollmentDetail> load_enrollment(db::Connection& c, const std::string& id) {
  if (auto r = c.query_one(std::string(kEnrollmentSelect) + " WHERE e.id = $1", {id}))
    return read_enrollment(*r);
  return std::nullopt;
}

}  // namespace

namespace {

// The store's guards in the enrollment's own words: one active enrollment per student or
// booking and course (unique indexes), and the seats (the seat-limit trigger).
[[noreturn]] void translate(const db::Error& err) {
  if (err.kind() == db::Error::Kind::kUniqueViolation) throw errors::enrollment_exists();
  if (err.kind() == db::Error::Kind::kCheckViolation &&
      std::string_view(err.what()).find("COURSE_FULL") != std::string_view::npos)
    throw errors::course_full();
  throw err;
}

}  // namespace

void insert_enrollment(db::Connection& c, const Enrollment& e) {
  try {
    c.execute(
        "INSERT INTO enrollments (id, student_id, booking_id, course_id, status, enrolled_at, "
        "updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $6)",
        {e.id, e.student_id ? db::Param{*e.student_id} : db::Param{db::Null{}},
         db::text_or_null(e.booking_id), e.course_id, e.status, db::time(e.enrolled_at)});
  } catch (const db::Error& err) {
    translate(err);
  }
}

boost::asio::awaitable<EnrollmentPage> EnrollmentStore::list(EnrollmentFilter f) {
  co_return co_await db_.read([&f](db::Connection& c) {
    db::Query q;
    if (f.status) q.where_equals("e.status", *f.status);
    if (f.course_id) q.where_equals("e.course_id", *f.course_id);
    if (f.student_id) q.where_equals("e.student_id", *f.student_id);
    EnrollmentPage page;
    page.total =
        c.query_one("SELECT COUNT(*) FROM enrollments e" + q.where(), q.params())->int64(0);
    auto sql = std::string(kEnrollmentSelect) + q.where() + " ORDER BY e.enrolled_at DESC, e.id";
    if (f.paginate) sql += q.page(f.page, f.limit);
    for (const auto& r : c.query(sql, q.params())) page.items.push_back(read_enrollment(r));
    return page;
  });
}

boost::asio::awaitable<std::optional<EnrollmentDetail>> EnrollmentStore::find(std::string id) {
  co_return co_await db_.read([&id](db::Connection& c) { return load_enrollment(c, id); });
}

boost::asio::awaitable<EnrollmentDetail> EnrollmentStore::create(Enrollment e, audit::Actor by) {
  co_return co_await db_.write([&e, &by](db::Connection& c) {
    if (!c.query_one("SELECT 1 FROM courses WHERE id = $1", {e.course_id}))
      throw errors::course_not_found();
    if (e.booking_id &&
        !c.query_one("SELECT 1 FROM course_bookings WHERE id = $1", {*e.booking_id}))
      throw errors::booking_not_found();
    if (e.student_id && !c.query_one("SELECT 1 FROM users WHERE id = $1", {*e.student_id}))
      throw errors::student_not_found();
    insert_enrollment(c, e);
    auto created = *load_enrollment(c, e.id);
    audit::record(c, {by, "enrollment.created", "enrollment", e.id, std::nullopt, to_json(created)},
                  e.enrolled_at);
    return created;
  });
}

boost::asio::awaitable<std::optional<EnrollmentDetail>> EnrollmentStore::set_status(
    std::string id, std::string status, Timestamp now, audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<EnrollmentDetail> {
    const auto before = load_enrollment(c, id);
    if (!before) return std::nullopt;
    try {
      if (c.execute("UPDATE enrollments SET status = $2, updated_at = $3 WHERE id = $1",
                    {id, status, db::time(now)}) == 0)
        return std::nullopt;
    } catch (const db::Error& err) {
      translate(err);
    }
    auto after = load_enrollment(c, id);
    audit::record(
        c, {by, "enrollment.status_changed", "enrollment", id, to_json(*before), to_json(*after)},
        now);
    return after;
  });
}

}  // namespace janji::courses
