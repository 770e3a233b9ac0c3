#pragma once

#include <boost/json.hpp>

namespace janji::courses::forms {

/// A registration body that passes validation, as a guest's browser sends it.
inline boost::json::object valid_registration() {
  return {{"full_name", "Budi Santoso"},
          {"email", "Budi@Example.TEST"},
          {"wa_number", "+6281234567890"},
          {"course_id", "4e7daa1c-8185-43d7-a045-2eb69f2068e9"},
          {"address", "Jl. Mawar 1"},
          {"birth_place", "Makassar"},
          {"birth_date", "2012-05-01"},
          {"school", "SMP 1"},
          {"class", 7},
          {"guardian_name", "Ibu Sari"},
          {"guardian_wa_number", "+6281234567891"},
          {"preferred_days", boost::json::array{"monday", "wednesday"}},
          {"preferred_time_range", {{"start", "15:00"}, {"end", "17:00"}}},
          {"consent", true},
          {"captcha_token", "token"},
          {"idempotency_key", "0b5c8f0e-1a2b-4c3d-8e4f-5a6b7c8d9e0f"}};
}

}  // namespace janji::courses::forms
