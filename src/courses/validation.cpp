#include "courses/validation.hpp"

#include "core/fields.hpp"
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

std::string new_uuid() {
  auto b = crypto::random_bytes(16);
  b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
  const auto h = crypto::hex(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

Registration parse_registration(json::value body, Timestamp now, bool require_captcha) {
  const json::object empty;
  const json::object& o = body.is_object() ? body.as_object() : empty;
  Fields f(body);  // a copy: `o` keeps pointing into `body`
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

}  // namespace janji::courses
