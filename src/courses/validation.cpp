#include "courses/validation.hpp"

#include "core/fields.hpp"
#include "courses/errors.hpp"
#include "http/body.hpp"
#include "infra/crypto/crypto.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace janji::courses {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 7> kReferrals = {"instagram", "facebook", "google", "tiktok",
                                                        "friend",    "website",  "other"};

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

bool is_wa_number(std::string_view s) {
  return s.size() >= 12 && s.size() <= 15 && s.substr(0, 3) == "+62" && digits(s.substr(3));
}

bool is_date(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && digits(s.substr(0, 4)) &&
         digits(s.substr(5, 2)) && digits(s.substr(8, 2)) && parse_datetime(s).has_value();
}

bool is_time_of_day(std::string_view s) {
  return s.size() == 5 && s[2] == ':' && digits(s.substr(0, 2)) && digits(s.substr(3, 2)) &&
         (s[0] - '0') * 10 + (s[1] - '0') < 24 && (s[3] - '0') * 10 + (s[4] - '0') < 60;
}

std::string uuid_v7(std::string bytes) {
  // RFC 9562 version 7: the first 48 bits are Unix milliseconds, the rest random. Ids made
  // one after the other sort by time, so each new row lands at the end of the id index
  // instead of on a random page of it (a page written to the WAL per registration).
  bytes.resize(16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0F) | 0x70);
  bytes[8] = static_cast<char>((bytes[8] & 0x3F) | 0x80);
  const auto h = crypto::hex(bytes);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string new_uuid() {
  return uuid_v7(crypto::time_ordered_bytes(now_utc(), 10));
}

namespace {

json::value with_profile_defaults(json::value body, const auth::User& user) {
  auto* o = body.if_object();
  if (!o) return body;
  if (!o->contains("full_name")) (*o)["full_name"] = user.name;
  if (!o->contains("email")) (*o)["email"] = user.email;
  if (!o->contains("address") && user.address) (*o)["address"] = *user.address;
  if (!o->contains("wa_number") && user.phone_number && is_wa_number(*user.phone_number))
    (*o)["wa_number"] = *user.phone_number;
  // A logged-in user's booking needs no captcha; a token sent anyway is ignored.
  o->erase("captcha_token");
  return body;
}

}  // namespace

Registration parse_registration(json::value body, Timestamp now, bool require_captcha) {
  const json::object empty;
  const json::object& o = body.is_object() ? body.as_object() : empty;
  Fields f(body, "body", Coercion::kStrict);  // a copy: `o` keeps pointing into `body`
  Registration r;

  auto fail = [&](std::string_view key, std::string msg) {
    f.add({json::array{"body", key}, std::move(msg), "value_error", std::nullopt, {}});
  };
  auto raw_string = [&](std::string_view key) -> std::optional<std::string> {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) return std::string("\x01");  // marks "not a string" for the checks below
    return std::string(v->get_string());
  };
  const auto today = std::chrono::floor<std::chrono::days>(now);
  auto date_field = [&](std::string_view key, bool required, bool past, bool not_past) {
    const auto s = raw_string(key);
    if (!s) {
      if (required) fail(key, "Field required");
      return std::optional<std::string>{};
    }
    if (!is_date(*s)) {
      fail(key, "Must be a date in YYYY-MM-DD form");
      return std::optional<std::string>{};
    }
    const auto day = std::chrono::floor<std::chrono::days>(*parse_datetime(*s));
    if (past && day >= today) fail(key, "Must be a date in the past");
    if (not_past && day < today) fail(key, "Must not be in the past");
    return s;
  };

  r.full_name = f.required_string("full_name", 2, 255);
  r.email = f.required_email("email");
  if (const auto wa = raw_string("wa_number")) {
    if (!is_wa_number(*wa)) fail("wa_number", "Must look like +62 followed by 9 to 12 digits");
    r.wa_number = *wa;
  }
  if (const auto id = raw_string("course_id"); !id)
    fail("course_id", "Field required");
  else if (!is_uuid(*id))
    fail("course_id", "Must be a UUID");
  else
    r.course_id = *id;
  r.address = f.required_string("address", 1, 255);
  r.birth_place = f.required_string("birth_place", 1, 255);
  r.birth_date = date_field("birth_date", true, true, false).value_or("");
  r.school = f.required_string("school", 1, 255);
  r.class_year = f.required_int("class", 1, 12);
  r.guardian_name = f.required_string("guardian_name", 2, 255);
  if (const auto wa = raw_string("guardian_wa_number"); !wa)
    fail("guardian_wa_number", "Field required");
  else if (!is_wa_number(*wa))
    fail("guardian_wa_number", "Must look like +62 followed by 9 to 12 digits");
  else
    r.guardian_wa_number = *wa;
  if (o.contains("experience_level"))
    r.experience_level =
        f.required_choice("experience_level", {"beginner", "intermediate", "advanced"});

  const auto* days = o.if_contains("preferred_days");
  if (!days || !days->is_array() || days->get_array().empty()) {
    fail("preferred_days", "Must be a non-empty list of weekday names");
  } else {
    for (const auto& d : days->get_array()) {
      if (!d.is_string() || std::find(kWeekdays.begin(), kWeekdays.end(),
                                      std::string_view(d.get_string())) == kWeekdays.end()) {
        fail("preferred_days", "Each day must be one of monday … sunday");
        r.preferred_days.clear();
        break;
      }
      if (std::find(r.preferred_days.begin(), r.preferred_days.end(), d.get_string()) !=
          r.preferred_days.end()) {
        fail("preferred_days", "Days must not repeat");
        r.preferred_days.clear();
        break;
      }
      r.preferred_days.emplace_back(d.get_string());
    }
  }

  const auto* range = o.if_contains("preferred_time_range");
  const json::object* tr = range && range->is_object() ? &range->get_object() : nullptr;
  auto time_of = [&](std::string_view k) -> std::string {
    const auto* v = tr ? tr->if_contains(k) : nullptr;
    return v && v->is_string() && is_time_of_day(v->get_string()) ? std::string(v->get_string())
                                                                  : "";
  };
  r.time_start = time_of("start");
  r.time_end = time_of("end");
  if (r.time_start.empty() || r.time_end.empty())
    fail("preferred_time_range", "Must be {start, end} with times in HH:MM form");
  else if (r.time_start >= r.time_end)
    fail("preferred_time_range", "start must be before end");

  r.start_date_target = date_field("start_date_target", false, false, true);
  if (const auto* v = o.if_contains("instrument_owned"); v && !v->is_null()) {
    if (v->is_bool())
      r.instrument_owned = v->get_bool();
    else
      fail("instrument_owned", "Must be true or false");
  }
  r.notes = f.optional_string("notes", 1000);
  if (const auto src = raw_string("referral_source")) {
    if (std::find(kReferrals.begin(), kReferrals.end(), *src) == kReferrals.end())
      fail("referral_source",
           "Must be one of instagram, facebook, google, tiktok, friend, website, other");
    else
      r.referral_source = *src;
  }
  if (const auto* v = o.if_contains("consent"); !v || !v->is_bool() || !v->get_bool())
    fail("consent", "Consent must be given (true)");
  if (require_captcha) r.captcha_token = f.required_string("captcha_token", 1, 4096);
  if (const auto key = raw_string("idempotency_key"); !key)
    fail("idempotency_key", "Field required");
  else if (!is_uuid(*key))
    fail("idempotency_key", "Must be a UUID");
  else
    r.idempotency_key = *key;
  f.finish();
  return r;
}

Registration parse_user_registration(json::value body, const auth::User& user, Timestamp now) {
  return parse_registration(with_profile_defaults(std::move(body), user), now,
                            /*require_captcha=*/false);
}

Course parse_course(json::value body, bool partial, CourseChange* change) {
  const bool is_object = body.is_object();
  const json::object obj = is_object ? body.as_object() : json::object{};
  Fields f(std::move(body), "body", Coercion::kStrict);
  f.forbid_unknown({"title", "description", "instrument", "level", "price_per_session",
                    "duration_minutes", "max_students", "is_active"});
  Course c;
  auto has = [&](std::string_view k) { return !partial || obj.contains(k); };
  if (has("title")) c.title = f.required_string("title", 1, 255);
  const auto description = f.patch_string("description", 0, 5000);
  c.description = description.value;
  if (has("instrument")) c.instrument = f.required_string("instrument", 1, 100);
  if (has("level"))
    c.level = f.required_choice("level", {"beginner", "intermediate", "advanced", "all_levels"});
  if (has("price_per_session")) c.price_per_session = f.required_money("price_per_session");
  if (has("duration_minutes")) c.duration_minutes = f.required_int("duration_minutes", 1, 1440);
  if (has("max_students")) c.max_students = f.required_int("max_students", 1, 10000);
  std::optional<bool> active;
  if (const auto* v = obj.if_contains("is_active"); v && !v->is_null()) {
    if (v->is_bool())
      active = v->get_bool();
    else
      f.add({json::array{"body", "is_active"},
             "Input should be a valid boolean",
             "bool_type",
             *v,
             {}});
  }
  c.is_active = active.value_or(true);
  f.finish();
  if (change) {
    if (obj.contains("title")) change->title = c.title;
    change->set_description = description.present;
    change->description = c.description;
    if (obj.contains("instrument")) change->instrument = c.instrument;
    if (obj.contains("level")) change->level = c.level;
    if (obj.contains("price_per_session")) change->price_per_session = c.price_per_session;
    if (obj.contains("duration_minutes")) change->duration_minutes = c.duration_minutes;
    if (obj.contains("max_students")) change->max_students = c.max_students;
    change->is_active = active;
  }
  return c;
}

std::optional<std::string> parse_rejection(json::value body) {
  if (body.is_null()) body = json::object{};
  Fields f(std::move(body), "body", Coercion::kStrict);
  f.forbid_unknown({"reason"});
  auto reason = f.optional_string("reason", 1000);
  f.finish();
  return reason;
}

namespace {

constexpr std::array<std::string_view, 4> kEnrollmentStatuses = {"pending", "active", "completed",
                                                                 "cancelled"};

FieldError not_a_uuid(std::string_view where, std::string_view key) {
  return {json::array{where, key}, "Must be a UUID", "value_error", std::nullopt, {}};
}

}  // namespace

Enrollment parse_new_enrollment(json::value body) {
  const json::object o = body.is_object() ? body.as_object() : json::object{};
  Fields f(std::move(body), "body", Coercion::kStrict);
  f.forbid_unknown({"course_id", "student_id", "booking_id", "status"});
  auto text = [&o](std::string_view k) {
    const auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  Enrollment e;
  e.course_id = text("course_id");
  if (!is_uuid(e.course_id)) f.add(not_a_uuid("body", "course_id"));
  if (o.contains("booking_id")) {
    e.booking_id = text("booking_id");
    if (!is_uuid(*e.booking_id)) f.add(not_a_uuid("body", "booking_id"));
  }
  if (o.contains("student_id")) e.student_id = f.required_int("student_id", 1, INT64_MAX);
  if (!o.contains("student_id") && !o.contains("booking_id"))
    f.add({json::array{"body", "student_id"},
           "Give a student_id or a booking_id",
           "value_error",
           std::nullopt,
           {}});
  e.status = o.contains("status") ? f.required_choice("status", kEnrollmentStatuses) : "active";
  f.finish();
  return e;
}

std::string parse_enrollment_status(json::value body) {
  return single_choice(std::move(body), "status", kEnrollmentStatuses);
}

std::optional<std::string> parse_booking_status_filter(const http::Pairs& query) {
  const auto q = http::to_object(query);
  Fields f(q, "query", Coercion::kLax);
  std::optional<std::string> status;
  if (q.contains("status"))
    status = f.required_choice(
        "status", {"pending", "confirmed", "rejected", "cancelled", "expired", "waitlisted"});
  f.finish();
  return status;
}

EnrollmentFilter parse_enrollment_filter(const http::Pairs& query) {
  const auto q = http::to_object(query);
  // Query values are strings on the wire; the original read them with z.coerce.
  Fields f(q, "query", Coercion::kLax);
  EnrollmentFilter filter;
  if (q.contains("status")) filter.status = f.required_choice("status", kEnrollmentStatuses);
  if (const auto* course = q.if_contains("course_id")) {
    filter.course_id = std::string(course->as_string());
    if (!is_uuid(*filter.course_id)) f.add(not_a_uuid("query", "course_id"));
  }
  if (q.contains("student_id")) filter.student_id = f.required_int("student_id", 1, INT64_MAX);
  if (q.contains("page")) filter.page = f.required_int("page", 1, 1000000);
  if (q.contains("limit")) filter.limit = f.required_int("limit", 1, 100);
  f.finish();
  return filter;
}

std::string uuid_param(const http::Request& req, std::string_view name) {
  auto id = req.param(name).value_or("");
  if (!is_uuid(id)) throw errors::invalid_uuid_param(name);
  return id;
}

}  // namespace janji::courses
