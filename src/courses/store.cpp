#include "courses/store.hpp"

#include "core/text.hpp"
#include "courses/validation.hpp"

#include "infra/db/query.hpp"

#include <boost/json.hpp>

namespace janji::courses {

namespace json = boost::json;

namespace {

constexpr std::string_view kCourseColumns =
    "SELECT id, title, description, instrument, level, price_per_session, duration_minutes, "
    "max_students, is_active, created_at, updated_at FROM courses";

constexpr std::string_view kBookingColumns =
    "SELECT b.id, b.course_id, b.user_id, b.status, b.applicant_full_name, b.applicant_email, "
    "b.applicant_wa_number, b.applicant_address, b.applicant_birth_place, b.applicant_birth_date, "
    "b.applicant_school, b.applicant_class, b.guardian_name, b.guardian_wa_number, "
    "b.experience_level, b.preferred_days, b.preferred_time_start, b.preferred_time_end, "
    "b.start_date_target, b.instrument_owned, b.notes, b.referral_source, b.idempotency_key, "
    "b.expires_at, b.confirmed_at, b.rejected_at, b.rejection_reason, b.created_at, b.updated_at, "
    "c.title FROM course_bookings b JOIN courses c ON c.id = b.course_id";

Course read_course(const db::Row& r) {
  return {r.text(0),  r.text(1),  r.opt_text(2), r.text(3), r.text(4), r.money(5),
          r.int64(6), r.int64(7), r.boolean(8),  r.time(9), r.time(10)};
}

CourseBooking read_booking(const db::Row& r) {
  CourseBooking b;
  b.id = r.text(0);
  b.course_id = r.text(1);
  b.user_id = r.opt_int64(2);
  b.status = r.text(3);
  auto& f = b.form;
  f.course_id = b.course_id;
  f.full_name = r.text(4);
  f.email = r.text(5);
  f.wa_number = r.opt_text(6);
  f.address = r.text(7);
  f.birth_place = r.text(8);
  f.birth_date = r.text(9);
  f.school = r.text(10);
  f.class_year = r.int64(11);
  f.guardian_name = r.text(12);
  f.guardian_wa_number = r.text(13);
  f.experience_level = r.text(14);
  boost::system::error_code ec;
  const auto days = json::parse(r.text(15), ec);
  if (!ec && days.is_array())
    for (const auto& d : days.get_array())
      if (d.is_string()) f.preferred_days.emplace_back(d.get_string());
  f.time_start = r.text(16);
  f.time_end = r.text(17);
  f.start_date_target = r.opt_text(18);
  if (!r.is_null(19)) f.instrument_owned = r.boolean(19);
  f.notes = r.opt_text(20);
  f.referral_source = r.opt_text(21);
  f.idempotency_key = r.text(22);
  b.expires_at = r.opt_time(23);
  b.confirmed_at = r.opt_time(24);
  b.rejected_at = r.opt_time(25);
  b.rejection_reason = r.opt_text(26);
  b.created_at = r.time(27);
  b.updated_at = r.time(28);
  b.course_title = r.opt_text(29);
  return b;
}

std::optional<CourseBooking> load_booking(db::Connection& c, const std::string& id) {
  if (auto row = c.query_one(std::string(kBookingColumns) + " WHERE b.id = $1", {id}))
    return read_booking(*row);
  return std::nullopt;
}

ApiError booking_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "BOOKING_NOT_FOUND", "Booking not found");
}

}  // namespace

boost::asio::awaitable<std::vector<Course>> CourseStore::list_courses(bool include_inactive) {
  co_return co_await db_.read([include_inactive](db::Connection& c) {
    std::vector<Course> out;
    const auto sql =
        std::string(kCourseColumns) +
        (include_inactive ? " ORDER BY title, id" : " WHERE is_active ORDER BY title, id");
    for (const auto& r : c.query(sql)) out.push_back(read_course(r));
    return out;
  });
}

boost::asio::awaitable<std::optional<Course>> CourseStore::find_course(std::string id) {
  co_return co_await db_.read([&id](db::Connection& c) -> std::optional<Course> {
    if (auto r = c.query_one(std::string(kCourseColumns) + " WHERE id = $1", {id}))
      return read_course(*r);
    return std::nullopt;
  });
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

boost::asio::awaitable<Course> CourseStore::create_course(Course course) {
  co_return co_await db_.write([&course](db::Connection& c) {
    insert_course(c, course);
    return course;
  });
}

boost::asio::awaitable<std::optional<Course>> CourseStore::update_course(std::string id,
                                                                         CourseChange ch) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<Course> {
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
         ch.is_active ? db::Param{*ch.is_active} : db::Param{db::Null{}}, db::time(now_utc())});
    if (changed == 0) return std::nullopt;
    return read_course(*c.query_one(std::string(kCourseColumns) + " WHERE id = $1", {id}));
  });
}

boost::asio::awaitable<CourseRemoval> CourseStore::remove_course(std::string id) {
  co_return co_await db_.write([&id](db::Connection& c) {
    if (!c.query_one("SELECT 1 FROM courses WHERE id = $1", {id})) return CourseRemoval::kNotFound;
    if (c.query_one("SELECT 1 FROM course_bookings WHERE course_id = $1 LIMIT 1", {id}) ||
        c.query_one("SELECT 1 FROM enrollments WHERE course_id = $1 LIMIT 1", {id})) {
      c.execute("UPDATE courses SET is_active = FALSE, updated_at = $2 WHERE id = $1",
                {id, db::time(now_utc())});
      return CourseRemoval::kDeactivated;
    }
    c.execute("DELETE FROM courses WHERE id = $1", {id});
    return CourseRemoval::kDeleted;
  });
}

boost::asio::awaitable<std::optional<std::string>> CourseStore::booking_for_key(std::string key) {
  co_return co_await db_.read([&key](db::Connection& c) -> std::optional<std::string> {
    if (auto r = c.query_one("SELECT id FROM course_bookings WHERE idempotency_key = $1", {key}))
      return r->text(0);
    return std::nullopt;
  });
}

namespace {

void spend_captcha(db::Connection& c, const SpentCaptcha& captcha) {
  try {
    c.execute("INSERT INTO used_captchas (challenge, expires_at) VALUES ($1, $2)",
              {captcha.challenge, db::time(captcha.expires_at)});
  } catch (const db::Error& e) {
    if (e.kind() == db::Error::Kind::kUniqueViolation)
      throw captcha_invalid("challenge already used");
    throw;
  }
}

CourseBooking insert_registration(db::Connection& c, const Registration& form,
                                  std::optional<std::int64_t> user_id, Timestamp now,
                                  Timestamp expires_at) {
  // Registrations with one idempotency key, or for one e-mail, run one at a time, so the
  // checks below see each other's bookings (the key first, always in this order).
  c.serialize_on("course-registration-key:" + form.idempotency_key);
  c.serialize_on("course-registration-email:" + ascii_lower(form.email));
  if (auto first = c.query_one("SELECT id FROM course_bookings WHERE idempotency_key = $1",
                               {form.idempotency_key}))
    throw ApiError::coded(ErrorCode::kConflict, "DUPLICATE_REQUEST",
                          "This request was already received",
                          json::array{{{"bookingId", first->text(0)}}});
  if (!c.query_one("SELECT 1 FROM courses WHERE id = $1 AND is_active", {form.course_id}))
    throw ApiError::coded(ErrorCode::kNotFound, "COURSE_NOT_FOUND",
                          "Course not found or not active");
  if (auto existing = c.query_one("SELECT id FROM course_bookings WHERE lower(applicant_email) = "
                                  "lower($1) AND course_id = $2 "
                                  "AND status = 'pending' AND expires_at > $3",
                                  {form.email, form.course_id, db::time(now)}))
    throw ApiError::coded(ErrorCode::kConflict, "PENDING_BOOKING_EXISTS",
                          "This e-mail already has a pending booking for this course",
                          json::array{{{"bookingId", existing->text(0)}}});
  json::array days;
  for (const auto& d : form.preferred_days) days.push_back(json::value(d));
  const auto id = new_uuid();
  try {
    c.execute(
        "INSERT INTO course_bookings (id, course_id, user_id, status, applicant_full_name, "
        "applicant_email, applicant_wa_number, applicant_address, applicant_birth_place, "
        "applicant_birth_date, applicant_school, applicant_class, guardian_name, "
        "guardian_wa_number, experience_level, preferred_days, preferred_time_start, "
        "preferred_time_end, start_date_target, instrument_owned, notes, referral_source, "
        "consent, "
        "idempotency_key, expires_at, created_at, updated_at) VALUES ($1, $2, $3, 'pending', $4, "
        "$5, "
        "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, TRUE, $22, "
        "$23, "
        "$24, $24)",
        {id,
         form.course_id,
         user_id ? db::Param{*user_id} : db::Param{db::Null{}},
         form.full_name,
         form.email,
         db::text_or_null(form.wa_number),
         form.address,
         form.birth_place,
         form.birth_date,
         form.school,
         form.class_year,
         form.guardian_name,
         form.guardian_wa_number,
         form.experience_level,
         json::serialize(days),
         form.time_start,
         form.time_end,
         db::text_or_null(form.start_date_target),
         form.instrument_owned ? db::Param{*form.instrument_owned} : db::Param{db::Null{}},
         db::text_or_null(form.notes),
         db::text_or_null(form.referral_source),
         form.idempotency_key,
         db::time(expires_at),
         db::time(now)});
  } catch (const db::Error& e) {
    if (e.kind() == db::Error::Kind::kCheckViolation &&
        std::string_view(e.what()).find("PENDING_LIMIT_REACHED") != std::string_view::npos)
      throw ApiError::coded(ErrorCode::kTooManyRequests, "PENDING_LIMIT_REACHED",
                            "At most 3 pending bookings per e-mail; wait for a decision or expiry");
    if (e.kind() == db::Error::Kind::kUniqueViolation)
      throw ApiError::coded(ErrorCode::kConflict, "DUPLICATE_REQUEST",
                            "This request was already received");
    throw;
  }
  return *load_booking(c, id);
}

}  // namespace

boost::asio::awaitable<CourseBooking> CourseStore::register_booking(
    Registration form, std::optional<std::int64_t> user_id, Timestamp now, Timestamp expires_at,
    std::optional<SpentCaptcha> captcha) {
  std::optional<ApiError> refused;
  auto booking = co_await db_.write([&](db::Connection& c) -> std::optional<CourseBooking> {
    if (!captcha) return insert_registration(c, form, user_id, now, expires_at);
    // The captcha is spent even when the registration is then refused: what the
    // registration did is undone by its savepoint, the captcha's row is committed.
    spend_captcha(c, *captcha);
    c.execute("SAVEPOINT registration");
    try {
      auto b = insert_registration(c, form, user_id, now, expires_at);
      c.execute("RELEASE SAVEPOINT registration");
      return b;
    } catch (const ApiError& e) {
      c.execute("ROLLBACK TO SAVEPOINT registration");
      c.execute("RELEASE SAVEPOINT registration");
      refused = e;
      return std::nullopt;
    }
  });
  if (refused) throw *refused;
  co_return std::move(*booking);
}

boost::asio::awaitable<std::vector<CourseBooking>> CourseStore::pending() {
  co_return co_await db_.read([](db::Connection& c) {
    std::vector<CourseBooking> out;
    for (const auto& r : c.query(std::string(kBookingColumns) +
                                 " WHERE b.status = 'pending' ORDER BY b.created_at, b.id"))
      out.push_back(read_booking(r));
    return out;
  });
}

boost::asio::awaitable<std::pair<CourseBooking, Enrollment>> CourseStore::confirm(std::string id,
                                                                                  Timestamp now) {
  co_return co_await db_.write([&](db::Connection& c) {
    auto b = load_booking(c, id);
    if (!b) throw booking_not_found();
    if (b->status != "pending" || (b->expires_at && *b->expires_at <= now))
      throw ApiError::coded(ErrorCode::kConflict, "INVALID_STATUS",
                            "Only an unexpired pending booking can be confirmed (it is " +
                                (b->status == "pending" ? std::string("expired") : b->status) +
                                ")");
    // Conditional, so of concurrent confirmations (other connections, other instances) only
    // the first changes the row; the others see it confirmed.
    if (c.execute("UPDATE course_bookings SET status = 'confirmed', confirmed_at = $2, "
                  "updated_at = $2 WHERE id = $1 AND status = 'pending'",
                  {id, db::time(now)}) != 1)
      throw ApiError::coded(ErrorCode::kConflict, "INVALID_STATUS",
                            "Only an unexpired pending booking can be confirmed (it is no longer "
                            "pending)");
    Enrollment e{new_uuid(), b->user_id, id, b->course_id, "active", now};
    c.execute(
        "INSERT INTO enrollments (id, student_id, booking_id, course_id, status, enrolled_at, "
        "updated_at) "
        "VALUES ($1, $2, $3, $4, 'active', $5, $5)",
        {e.id, e.student_id ? db::Param{*e.student_id} : db::Param{db::Null{}}, id, b->course_id,
         db::time(now)});
    return std::pair{*load_booking(c, id), e};
  });
}

boost::asio::awaitable<CourseBooking> CourseStore::reject(std::string id,
                                                          std::optional<std::string> reason,
                                                          Timestamp now) {
  co_return co_await db_.write([&](db::Connection& c) {
    auto b = load_booking(c, id);
    if (!b) throw booking_not_found();
    if (b->status != "pending")
      throw ApiError::coded(ErrorCode::kConflict, "INVALID_STATUS",
                            "Only a pending booking can be rejected (it is " + b->status + ")");
    if (c.execute("UPDATE course_bookings SET status = 'rejected', rejected_at = $2, "
                  "rejection_reason = $3, updated_at = $2 WHERE id = $1 AND status = 'pending'",
                  {id, db::time(now), db::text_or_null(reason)}) != 1)
      throw ApiError::coded(ErrorCode::kConflict, "INVALID_STATUS",
                            "Only a pending booking can be rejected (it is no longer pending)");
    return *load_booking(c, id);
  });
}

boost::asio::awaitable<bool> CourseStore::remove_booking(std::string id) {
  co_return co_await db_.write([&id](db::Connection& c) {
    c.execute("DELETE FROM enrollments WHERE booking_id = $1", {id});
    return c.execute("DELETE FROM course_bookings WHERE id = $1", {id}) > 0;
  });
}

boost::asio::awaitable<std::vector<CourseBooking>> CourseStore::expire(Timestamp now) {
  co_return co_await db_.write([now](db::Connection& c) {
    std::vector<CourseBooking> out;
    for (const auto& r :
         c.query(std::string(kBookingColumns) +
                     " WHERE b.status = 'pending' AND b.expires_at <= $1 ORDER BY b.id",
                 {db::time(now)})) {
      auto b = read_booking(r);
      // Another instance's sweeper may have got there first; only the one that changes the
      // row reports it.
      if (c.execute("UPDATE course_bookings SET status = 'expired', updated_at = $2 "
                    "WHERE id = $1 AND status = 'pending'",
                    {b.id, db::time(now)}) != 1)
        continue;
      b.status = "expired";
      b.updated_at = now;
      out.push_back(std::move(b));
    }
    // A captcha past its expiry is refused before this table is asked: forget it.
    c.execute("DELETE FROM used_captchas WHERE expires_at < $1", {db::time(now)});
    return out;
  });
}

boost::asio::awaitable<std::vector<CourseBooking>> CourseStore::bookings_of_user(
    std::int64_t user_id) {
  co_return co_await db_.read([user_id](db::Connection& c) {
    std::vector<CourseBooking> out;
    for (const auto& r : c.query(std::string(kBookingColumns) +
                                     " WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.id",
                                 {user_id}))
      out.push_back(read_booking(r));
    return out;
  });
}

namespace {

// An enrollment with its student (the user, or the booking's applicant) and course title.
constexpr std::string_view kEnrollmentSelect =
    "SELECT e.id, e.student_id, e.booking_id, e.course_id, e.status, e.enrolled_at, "
    "COALESCE(u.name, b.applicant_full_name), COALESCE(u.email, b.applicant_email), c.title "
    "FROM enrollments e JOIN courses c ON c.id = e.course_id "
    "LEFT JOIN users u ON u.id = e.student_id LEFT JOIN course_bookings b ON b.id = e.booking_id";

json::object read_enrollment(const db::Row& r) {
  auto o =
      to_json(Enrollment{r.text(0), r.opt_int64(1), r.opt_text(2), r.text(3), r.text(4), r.time(5)})
          .as_object();
  o["student"] = {{"name", r.is_null(6) ? json::value(nullptr) : json::value(r.text(6))},
                  {"email", r.is_null(7) ? json::value(nullptr) : json::value(r.text(7))}};
  o["course"] = {{"id", r.text(3)}, {"title", r.text(8)}};
  return o;
}

std::optional<json::object> load_enrollment(db::Connection& c, const std::string& id) {
  if (auto r = c.query_one(std::string(kEnrollmentSelect) + " WHERE e.id = $1", {id}))
    return read_enrollment(*r);
  return std::nullopt;
}

ApiError enrollment_exists() {
  return ApiError::coded(
      ErrorCode::kConflict, "ENROLLMENT_EXISTS",
      "An active enrollment for this student or booking and course already exists");
}

}  // namespace

boost::asio::awaitable<CourseStore::EnrollmentPage> CourseStore::enrollments(EnrollmentFilter f) {
  co_return co_await db_.read([&f](db::Connection& c) {
    db::Query q;
    if (f.status) q.where_equals("e.status", *f.status);
    if (f.course_id) q.where_equals("e.course_id", *f.course_id);
    if (f.student_id) q.where_equals("e.student_id", *f.student_id);
    EnrollmentPage page;
    page.total =
        c.query_one("SELECT COUNT(*) FROM enrollments e" + q.where(), q.params())->int64(0);
    auto sql = std::string(kEnrollmentSelect) + q.where() + " ORDER BY e.enrolled_at DESC, e.id";
    sql += " LIMIT " + q.bind(f.limit);
    sql += " OFFSET " + q.bind((f.page - 1) * f.limit);
    for (const auto& r : c.query(sql, q.params())) page.items.push_back(read_enrollment(r));
    return page;
  });
}

boost::asio::awaitable<std::optional<json::object>> CourseStore::enrollment(std::string id) {
  co_return co_await db_.read([&id](db::Connection& c) { return load_enrollment(c, id); });
}

boost::asio::awaitable<json::object> CourseStore::create_enrollment(Enrollment e) {
  co_return co_await db_.write([&e](db::Connection& c) {
    if (!c.query_one("SELECT 1 FROM courses WHERE id = $1", {e.course_id}))
      throw ApiError::coded(ErrorCode::kNotFound, "COURSE_NOT_FOUND", "Course not found");
    if (e.booking_id &&
        !c.query_one("SELECT 1 FROM course_bookings WHERE id = $1", {*e.booking_id}))
      throw booking_not_found();
    if (e.student_id && !c.query_one("SELECT 1 FROM users WHERE id = $1", {*e.student_id}))
      throw ApiError::coded(ErrorCode::kNotFound, "STUDENT_NOT_FOUND", "Student not found");
    try {
      c.execute(
          "INSERT INTO enrollments (id, student_id, booking_id, course_id, status, enrolled_at, "
          "updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $6)",
          {e.id, e.student_id ? db::Param{*e.student_id} : db::Param{db::Null{}},
           db::text_or_null(e.booking_id), e.course_id, e.status, db::time(e.enrolled_at)});
    } catch (const db::Error& err) {
      if (err.kind() == db::Error::Kind::kUniqueViolation) throw enrollment_exists();
      throw;
    }
    return *load_enrollment(c, e.id);
  });
}

boost::asio::awaitable<std::optional<json::object>> CourseStore::set_enrollment_status(
    std::string id, std::string status) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<json::object> {
    try {
      if (c.execute("UPDATE enrollments SET status = $2, updated_at = $3 WHERE id = $1",
                    {id, status, db::time(now_utc())}) == 0)
        return std::nullopt;
    } catch (const db::Error& err) {
      if (err.kind() == db::Error::Kind::kUniqueViolation) throw enrollment_exists();
      throw;
    }
    return load_enrollment(c, id);
  });
}

}  // namespace janji::courses
