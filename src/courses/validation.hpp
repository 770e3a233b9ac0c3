#pragma once

#include "core/time.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace janji::courses {

/// A course registration that passed every field rule of DESIGN.md.
struct Registration {
  std::string full_name;
  std::string email;
  std::optional<std::string> wa_number;
  std::string course_id;
  std::string address;
  std::string birth_place;
  std::string birth_date;  // YYYY-MM-DD
  std::string school;
  std::int64_t class_year = 0;
  std::string guardian_name;
  std::string guardian_wa_number;
  std::string experience_level = "beginner";
  std::vector<std::string> preferred_days;
  std::string time_start;  // HH:MM
  std::string time_end;
  std::optional<std::string> start_date_target;
  std::optional<bool> instrument_owned;
  std::optional<std::string> notes;
  std::optional<std::string> referral_source;
  std::string captcha_token;
  std::string idempotency_key;
};

/// Validates a registration body; throws one ApiError listing every failing field (the
/// course surface renders it as 400 VALIDATION_ERROR with {path, message} items).
/// `require_captcha` is false for a logged-in user's booking, which needs no captcha.
Registration parse_registration(boost::json::value body, Timestamp now,
                                bool require_captcha = true);

bool is_uuid(std::string_view s);
bool is_wa_number(std::string_view s);    // ^\+62\d{9,12}$
bool is_date(std::string_view s);         // a real YYYY-MM-DD
bool is_time_of_day(std::string_view s);  // HH:MM, 00:00–23:59
std::string new_uuid();                   // random version 4

}  // namespace janji::courses
