#include "courses/booking_store.hpp"

#include "audit/store.hpp"
#include "core/text.hpp"
#include "courses/enrollment_store.hpp"
#include "courses/errors.hpp"
#include "courses/notices.hpp"
#include "courses/seats.hpp"
#include "courses/store.hpp"
#include "events/log.hpp"
#include "infra/crypto/crypto.hpp"

#include <boost/json.hpp>

namespace janji::courses {

namespace json = boost::json;

namespace {

constexpr std::string_view kBookingColumns =
    "SELECT b.id, b.course_id, b.user_id, b.status, b.applicant_full_name, b.applicant_email, "
    "b.applicant_wa_number, b.applicant_address, b.applicant_birth_place, b.applicant_birth_date, "
    "b.applicant_school, b.applicant_class, b.guardian_name, b.guardian_wa_number, "
    "b.experience_level, b.preferred_days, b.preferred_time_start, b.preferred_time_end, "
    "b.start_date_target, b.instrument_owned, b.notes, b.referral_source, b.idempotency_key, "
    "b.expires_at, b.confirmed_at, b.rejected_at, b.rejection_reason, b.created_at, b.updated_at, "
    "c.title FROM course_bookings b JOIN courses c ON c.id = b.course_id";

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

}  // namespace

namespace {

// The booking's event and the messages it sends, in the transaction that changed it.
// `price` is the course's, when the caller has it at hand; `link` the applicant's page;
// `endpoints` the outbox's and `reserved` the event's id, when the write asked for them at
// its start.
void record(db::Connection& c, const notify::Outbox* outbox, std::string_view type,
            const CourseBooking& b, Timestamp now, std::optional<Money> price = std::nullopt,
            const std::string& link = {}, std::optional<db::SoonRows> endpoints = std::nullopt,
            events::ReservedId reserved = std::nullopt) {
  auto event_id = events::append_soon(c, reserved, kStream, type, event_data(type, b, now), now);
  if (!outbox) return;
  if (!price) {
    const auto r =
        c.query_one("SELECT price_per_session FROM courses WHERE id = $1", {b.course_id});
    price = r ? r->money(0) : Money{0};
  }
  outbox->queue(
      c, event_id, type, notices_for(type, b, *price, outbox->zone(), outbox->locale(), link),
      [&] { return boost::json::serialize(to_json(b)); }, now, std::move(endpoints));
}

// A manage token is 6 bytes of milliseconds, then 26 random ones (208 bits), base64url. Only
// its key is kept: the time in hex, then the token's SHA-256 (`hash`), so new keys sort last
// and each lands at the end of the key index instead of on a random page.
std::string token_key(const std::string& token, const std::string& hash) {
  const auto bytes = crypto::base64url_decode(token);
  return bytes && bytes->size() == 32 ? crypto::hex(bytes->substr(0, 6)) + hash : hash;
}

std::string mint_token(db::Connection& c, const std::string& id, Timestamp now) {
  auto token = crypto::base64url_encode(crypto::time_ordered_bytes(now, 26));
  c.execute_soon(
      "INSERT INTO course_booking_tokens (token_hash, booking_id, created_at) "
      "VALUES ($1, $2, $3)",
      {token_key(token, crypto::hex(crypto::sha256(token))), id, db::time(now)});
  return token;
}

// The booking a manage token names: under its timed key, or, for a token made before keys
// carried the time, its SHA-256 alone. A malformed token is looked up like any other, so
// every wrong token costs the same: one hash and two index probes.
std::optional<CourseBooking> booking_by_token(db::Connection& c, const std::string& token) {
  const auto hash = crypto::hex(crypto::sha256(token));
  const auto row = c.query_one(
      "SELECT booking_id FROM course_booking_tokens WHERE token_hash = $1 OR token_hash = $2",
      {token_key(token, hash), hash});
  if (!row || !is_manage_token_shaped(token)) return std::nullopt;
  return load_booking(c, row->text(0));
}

// What a registration's write reads, asked for together (BookingStore::register_booking).
struct Asked {
  db::SoonRows first;     // the booking of its idempotency key
  db::SoonRows course;    // title, price, seats, active enrollments
  db::SoonRows awaiting;  // the e-mail's bookings awaiting a decision: id, course, status
  std::optional<db::SoonRows> captcha;  // the challenge, when already spent
  std::optional<db::SoonRows> endpoints;
  events::ReservedId event_id;
};

// The turns a registration takes: registrations with one idempotency key, or for one
// e-mail, or spending one captcha, run one at a time (the key first, always in this order),
// so the checks see each other's bookings.
std::vector<std::string> registration_turns(const NewBooking& booking,
                                            const std::optional<SpentCaptcha>& captcha) {
  std::vector<std::string> turns{"course-registration-key:" + booking.form.idempotency_key,
                                 "course-registration-email:" + ascii_lower(booking.form.email)};
  if (captcha) turns.push_back("captcha:" + captcha->challenge);
  return turns;
}

Asked ask_registration(db::Connection& c, const notify::Outbox* outbox, const NewBooking& booking,
                       const std::optional<SpentCaptcha>& captcha,
                       const std::vector<std::string>& turns) {
  const auto& [id, form, user_id, now, expires_at] = booking;
  c.serialize_on(turns);
  Asked a{c.query_soon("SELECT id FROM course_bookings WHERE idempotency_key = $1",
                       {form.idempotency_key}),
          c.query_soon("SELECT title, price_per_session, max_students, (SELECT COUNT(*) FROM "
                       "enrollments e WHERE e.course_id = courses.id AND e.status = 'active') "
                       "FROM courses WHERE id = $1 AND is_active",
                       {form.course_id}),
          c.query_soon("SELECT id, course_id, status FROM course_bookings WHERE "
                       "lower(applicant_email) = lower($1) AND ((status = 'pending' AND "
                       "expires_at > $2) OR status = 'waitlisted')",
                       {form.email, db::time(now)}),
          {},
          {},
          {}};
  if (captcha)
    a.captcha = c.query_soon("SELECT 1 FROM used_captchas WHERE expires_at = $1 AND challenge = $2",
                             {db::time(captcha->expires_at), captcha->challenge});
  if (outbox) {
    a.endpoints = outbox->ask_endpoints(c);
    a.event_id = events::reserve_id(c);
  }
  return a;
}

// Refuses (throws) or inserts the registration with its token, event and messages.
CourseBooking insert_registration(db::Connection& c, const notify::Outbox* outbox,
                                  const std::string& public_url, const NewBooking& booking,
                                  Asked& a) {
  const auto& [id, form, user_id, now, expires_at] = booking;
  if (!a.first.get().empty()) throw errors::duplicate_request(a.first.get().front().text(0));
  if (a.course.get().empty()) throw errors::course_not_found();
  const auto* course = &a.course.get().front();
  // A waitlisted registration for the course counts as one awaiting its decision too.
  std::int64_t pending = 0;
  for (const auto& r : a.awaiting.get()) {
    if (r.text(1) == form.course_id) throw errors::pending_booking_exists(r.text(0));
    if (r.text(2) == "pending") ++pending;
  }
  // Pending bookings hold no seat; only a full course makes a registration wait. The limit
  // counts what the pending-limit trigger counts, so it refuses before the insert.
  const bool waits = course_is_full(course->int64(2), course->int64(3));
  if (!waits && pending >= kPendingLimit) throw errors::pending_limit_reached();
  const std::string status = waits ? "waitlisted" : "pending";
  json::array days;
  for (const auto& d : form.preferred_days) days.push_back(json::value(d));
  // The checks above ran in this registration's turns, so the unique idempotency key and the
  // pending-limit trigger only stand behind them: the insert needs no answer.
  c.execute_soon(
      "INSERT INTO course_bookings (id, course_id, user_id, applicant_full_name, "
      "applicant_email, applicant_wa_number, applicant_address, applicant_birth_place, "
      "applicant_birth_date, applicant_school, applicant_class, guardian_name, "
      "guardian_wa_number, experience_level, preferred_days, preferred_time_start, "
      "preferred_time_end, start_date_target, instrument_owned, notes, referral_source, "
      "consent, "
      "idempotency_key, expires_at, created_at, updated_at, status) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, TRUE, "
      "$22, $23, $24, $24, $25)",
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
       waits ? db::Param{db::Null{}} : db::time(expires_at),
       db::time(now),
       status});
  // As stored: nothing above is changed by the database, so no need to read it back.
  CourseBooking inserted;
  inserted.id = id;
  inserted.course_id = form.course_id;
  inserted.user_id = user_id;
  inserted.status = status;
  inserted.form = form;
  inserted.form.captcha_token.clear();
  if (!waits) inserted.expires_at = expires_at;
  inserted.created_at = now;
  inserted.updated_at = now;
  inserted.course_title = course->opt_text(0);
  inserted.manage_token = mint_token(c, id, now);
  record(c, outbox, "booking.created", inserted, now, course->money(1),
         manage_link(public_url, *inserted.manage_token), std::move(a.endpoints),
         std::move(a.event_id));
  return inserted;
}

// A registration's outcome: the booking, or why it was refused after its captcha was spent.
struct Registered {
  std::optional<CourseBooking> booking;
  std::optional<ApiError> refused;
};

}  // namespace

boost::asio::awaitable<CourseBooking> BookingStore::register_booking(
    NewBooking booking, std::optional<SpentCaptcha> captcha) {
  // A staged write (db::Write): registrations written together ask for all they read in one
  // round trip, unless they share a turn.
  auto turns = registration_turns(booking, captcha);
  const auto ask = [&, this](db::Connection& c) {
    return ask_registration(c, outbox_, booking, captcha, turns);
  };
  const auto finish = [&, this](db::Connection& c, Asked& a) -> Registered {
    if (!captcha) return {insert_registration(c, outbox_, offers_.public_url, booking, a), {}};
    if (!a.captcha->get().empty()) throw errors::captcha_invalid("challenge already used");
    // The captcha is spent even when the registration is then refused: every refusal comes
    // before the registration writes anything.
    c.execute_soon("INSERT INTO used_captchas (challenge, expires_at) VALUES ($1, $2)",
                   {captcha->challenge, db::time(captcha->expires_at)});
    try {
      return {insert_registration(c, outbox_, offers_.public_url, booking, a), {}};
    } catch (const ApiError& e) {
      return {{}, e};
    }
  };
  auto keys = turns;
  auto registered = co_await db_.write(std::move(keys), ask, finish);
  if (registered.refused) throw *registered.refused;
  co_return std::move(*registered.booking);
}

boost::asio::awaitable<std::vector<CourseBooking>> BookingStore::pending() {
  co_return co_await db_.read([](db::Connection& c) {
    std::vector<CourseBooking> out;
    for (const auto& r : c.query(std::string(kBookingColumns) +
                                 " WHERE b.status = 'pending' ORDER BY b.created_at, b.id"))
      out.push_back(read_booking(r));
    return out;
  });
}

boost::asio::awaitable<std::vector<CourseBooking>> BookingStore::all(
    std::optional<std::string> status) {
  co_return co_await db_.read([&status](db::Connection& c) {
    std::vector<CourseBooking> out;
    const auto rows = status
                          ? c.query(std::string(kBookingColumns) +
                                        " WHERE b.status = $1 ORDER BY b.created_at, b.id",
                                    {*status})
                          : c.query(std::string(kBookingColumns) + " ORDER BY b.created_at, b.id");
    for (const auto& r : rows) out.push_back(read_booking(r));
    return out;
  });
}

boost::asio::awaitable<std::pair<CourseBooking, Enrollment>> BookingStore::confirm(
    std::string id, Enrollment e, audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) {
    const auto now = e.enrolled_at;
    auto b = load_booking(c, id);
    if (!b) throw errors::booking_not_found();
    if (b->status != "pending" || (b->expires_at && *b->expires_at <= now))
      throw errors::not_confirmable(b->status == "pending" ? "expired" : b->status);
    // Conditional, so of concurrent confirmations (other connections, other instances) only
    // the first changes the row; the others see it confirmed.
    if (c.execute("UPDATE course_bookings SET status = 'confirmed', confirmed_at = $2, "
                  "updated_at = $2 WHERE id = $1 AND status = 'pending'",
                  {id, db::time(now)}) != 1)
      throw errors::not_confirmable("no longer pending");
    e.student_id = b->user_id;
    e.booking_id = id;
    e.course_id = b->course_id;
    e.status = "active";
    insert_enrollment(c, e);
    auto confirmed = *load_booking(c, id);
    record(c, outbox_, "booking.confirmed", confirmed, now);
    audit::record(
        c, {by, "course_booking.confirmed", "course_booking", id, to_json(*b), to_json(confirmed)},
        now);
    return std::pair{std::move(confirmed), e};
  });
}

boost::asio::awaitable<CourseBooking> BookingStore::reject(std::string id,
                                                           std::optional<std::string> reason,
                                                           Timestamp now, audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) {
    auto b = load_booking(c, id);
    if (!b) throw errors::booking_not_found();
    if (b->status != "pending") throw errors::not_rejectable(b->status);
    if (c.execute("UPDATE course_bookings SET status = 'rejected', rejected_at = $2, "
                  "rejection_reason = $3, updated_at = $2 WHERE id = $1 AND status = 'pending'",
                  {id, db::time(now), db::text_or_null(reason)}) != 1)
      throw errors::not_rejectable("no longer pending");
    auto rejected = *load_booking(c, id);
    record(c, outbox_, "booking.rejected", rejected, now);
    audit::record(
        c, {by, "course_booking.rejected", "course_booking", id, to_json(*b), to_json(rejected)},
        now);
    return rejected;
  });
}

boost::asio::awaitable<CourseBooking> BookingStore::waitlist(std::string id, Timestamp now,
                                                             audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) {
    auto b = load_booking(c, id);
    if (!b) throw errors::booking_not_found();
    if (!can_waitlist(b->status)) throw errors::not_waitlistable(b->status);
    if (c.execute("UPDATE course_bookings SET status = 'waitlisted', expires_at = NULL, "
                  "updated_at = $2 WHERE id = $1 AND status = 'pending'",
                  {id, db::time(now)}) != 1)
      throw errors::not_waitlistable("no longer pending");
    auto waiting = *load_booking(c, id);
    record(c, outbox_, "booking.waitlisted", waiting, now);
    audit::record(
        c, {by, "course_booking.waitlisted", "course_booking", id, to_json(*b), to_json(waiting)},
        now);
    return waiting;
  });
}

boost::asio::awaitable<std::optional<std::string>> BookingStore::remove(std::string id,
                                                                        Timestamp now,
                                                                        audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<std::string> {
    const auto before = load_booking(c, id);
    if (!before) return std::nullopt;
    c.execute("DELETE FROM enrollments WHERE booking_id = $1", {id});
    c.execute("DELETE FROM course_bookings WHERE id = $1", {id});
    audit::record(
        c, {by, "course_booking.deleted", "course_booking", id, to_json(*before), std::nullopt},
        now);
    return before->course_id;
  });
}

boost::asio::awaitable<std::optional<ManagedBooking>> BookingStore::managed(std::string token) {
  co_return co_await db_.read([&token](db::Connection& c) -> std::optional<ManagedBooking> {
    auto b = booking_by_token(c, token);
    if (!b) return std::nullopt;
    auto course = find_course(c, b->course_id);
    if (!course) return std::nullopt;
    return ManagedBooking{std::move(*b), std::move(*course)};
  });
}

boost::asio::awaitable<CourseBooking> BookingStore::cancel_managed(std::string token,
                                                                   Timestamp now) {
  co_return co_await db_.write([&](db::Connection& c) {
    auto b = booking_by_token(c, token);
    if (!b) throw errors::unknown_manage_token();
    if (!applicant_can_cancel(b->status)) throw errors::not_cancellable(b->status);
    if (c.execute("UPDATE course_bookings SET status = 'cancelled', updated_at = $2 "
                  "WHERE id = $1 AND (status = 'pending' OR status = 'waitlisted')",
                  {b->id, db::time(now)}) != 1)
      throw errors::not_cancellable("no longer pending");
    auto cancelled = *load_booking(c, b->id);
    record(c, outbox_, "booking.cancelled", cancelled, now);
    return cancelled;
  });
}

boost::asio::awaitable<std::vector<CourseBooking>> BookingStore::offer_seats(
    std::optional<std::string> course_id, Timestamp now) {
  co_return co_await db_.write([&, this](db::Connection& c) {
    std::vector<std::string> courses;
    if (course_id) {
      courses.push_back(*course_id);
    } else {
      for (const auto& r : c.query("SELECT DISTINCT course_id FROM course_bookings "
                                   "WHERE status = 'waitlisted' ORDER BY course_id"))
        courses.push_back(r.text(0));
    }
    std::vector<std::pair<CourseBooking, std::string>> offered;  // with the link to send
    for (const auto& course : courses) {
      // Offers for one course are counted one transaction at a time (other instances too).
      c.serialize_on("course-seats:" + course);
      const auto seats = c.query_one(
          "SELECT max_students, (SELECT COUNT(*) FROM enrollments e WHERE e.course_id = "
          "courses.id AND e.status = 'active'), (SELECT COUNT(*) FROM course_bookings b WHERE "
          "b.course_id = courses.id AND b.status = 'pending' AND b.expires_at > $2) "
          "FROM courses WHERE id = $1 AND is_active",
          {course, db::time(now)});
      if (!seats) continue;
      const auto free = seats_to_offer(seats->int64(0), seats->int64(1), seats->int64(2));
      if (free == 0) continue;
      const auto rows = c.query(std::string(kBookingColumns) +
                                    " WHERE b.course_id = $1 AND b.status = 'waitlisted' "
                                    "ORDER BY b.created_at, b.id LIMIT $2",
                                {course, free});
      for (const auto& r : rows) {
        auto b = read_booking(r);
        const auto expires = now + offers_.ttl;
        if (c.execute("UPDATE course_bookings SET status = 'pending', expires_at = $2, "
                      "updated_at = $3 WHERE id = $1 AND status = 'waitlisted'",
                      {b.id, db::time(expires), db::time(now)}) != 1)
          continue;
        b.status = "pending";
        b.expires_at = expires;
        b.updated_at = now;
        auto link = manage_link(offers_.public_url, mint_token(c, b.id, now));
        offered.emplace_back(std::move(b), std::move(link));
      }
    }
    // The events last: appending holds the log's turn until the commit (events/log.hpp).
    std::vector<CourseBooking> out;
    for (auto& [b, link] : offered) {
      record(c, outbox_, "booking.seat_offered", b, now, std::nullopt, link);
      out.push_back(std::move(b));
    }
    return out;
  });
}

boost::asio::awaitable<std::vector<CourseBooking>> BookingStore::expire(Timestamp now) {
  co_return co_await db_.write([this, now](db::Connection& c) {
    // A captcha past its expiry is refused before this table is asked: forget it.
    c.execute("DELETE FROM used_captchas WHERE expires_at < $1", {db::time(now)});
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
    // The events last: appending holds the log's turn until the commit (events/log.hpp).
    for (const auto& b : out) record(c, outbox_, "booking.expired", b, now);
    return out;
  });
}

boost::asio::awaitable<std::vector<CourseBooking>> BookingStore::of_user(std::int64_t user_id) {
  co_return co_await db_.read([user_id](db::Connection& c) {
    std::vector<CourseBooking> out;
    for (const auto& r : c.query(std::string(kBookingColumns) +
                                     " WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.id",
                                 {user_id}))
      out.push_back(read_booking(r));
    return out;
  });
}

}  // namespace janji::courses
