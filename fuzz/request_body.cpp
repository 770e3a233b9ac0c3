// Request bodies: JSON (or form) decoding, then the validation of every schema the API
// accepts. The first byte picks the schema (low bits) and the Content-Type (high bits);
// the rest is the body. Only ApiError may escape; any other exception reaches
// std::terminate, which libFuzzer reports as a crash.

#include "auth/validation.hpp"
#include "bookings/validation.hpp"
#include "catalogue/validation.hpp"
#include "check.hpp"
#include "courses/validation.hpp"
#include "http/body.hpp"

#include <array>

namespace janji::fuzz {
namespace {

namespace json = boost::json;

const Timestamp kNow = *parse_datetime("2026-11-21T10:00:00Z");

constexpr std::array<std::string_view, 8> kMediaTypes = {
    "application/json", "application/json; charset=utf-8", "",
    "application/json", "application/problem+json",        "application/x-www-form-urlencoded",
    "text/plain",       " Application/JSON ;charset=x"};

void check_money(Money m) {
  FUZZ_CHECK(m >= 0 && m <= kMaxMoney);
}

void check_course(const courses::Course& c) {
  check_money(c.price_per_session);
  check_encodes(courses::to_json(c));
}

void check_registration(courses::Registration r) {
  FUZZ_CHECK(courses::is_uuid(r.course_id) && courses::is_uuid(r.idempotency_key));
  FUZZ_CHECK(r.class_year >= 1 && r.class_year <= 12);
  FUZZ_CHECK(!r.preferred_days.empty() && r.time_start < r.time_end);
  courses::CourseBooking b{.form = std::move(r), .created_at = kNow, .updated_at = kNow};
  check_encodes(courses::to_json(b));
}

// One schema per route that takes a body.
void decode(unsigned schema, const http::Request& req) {
  switch (schema) {
    case 0: {
      const auto s = auth::parse_sign_up(http::json_body(req));
      FUZZ_CHECK(s.password.size() >= 6);
      check_encodes(auth::to_json(auth::User{.name = s.user.name,
                                             .email = s.user.email,
                                             .address = s.user.address,
                                             .phone_number = s.user.phone_number}));
      break;
    }
    case 1: {
      const auto login = auth::parse_login(req);
      FUZZ_CHECK(!login.username.empty() && !login.password.empty());
      break;
    }
    case 2:
      auth::parse_profile_update(http::json_body(req));
      break;
    case 3:
      catalogue::parse_new_package(http::json_body(req));
      break;
    case 4:
      catalogue::parse_package_change(http::json_body(req));
      break;
    case 5: {
      const auto t = catalogue::parse_new_service_type(http::json_body(req));
      check_money(t.price);
      check_encodes(catalogue::to_json(t));
      break;
    }
    case 6: {
      const auto ch = catalogue::parse_service_type_change(http::json_body(req));
      if (ch.price) check_money(*ch.price);
      break;
    }
    case 7: {
      const auto r = bookings::parse_booking_request(http::json_body(req), kNow);
      FUZZ_CHECK(r.service_type_id >= 1 && r.jumlah_client >= 1 && r.jumlah_client <= 1000);
      FUZZ_CHECK(parse_datetime(format_naive(r.tanggal_acara)) == r.tanggal_acara);
      break;
    }
    case 8:
      FUZZ_CHECK(bookings::is_status(bookings::parse_status_update(http::json_body(req))));
      break;
    case 9:
      check_registration(courses::parse_registration(http::json_body(req), kNow));
      break;
    case 10:
      check_registration(courses::parse_registration(http::json_body(req), kNow, false));
      break;
    case 11:
      check_course(courses::parse_course(http::json_body(req), false));
      break;
    case 12: {
      courses::CourseChange change;
      check_course(courses::parse_course(http::json_body(req), true, &change));
      break;
    }
    case 13:
      courses::parse_rejection(http::json_body(req));
      break;
    case 14: {
      auto e = courses::parse_new_enrollment(http::json_body(req));
      FUZZ_CHECK(courses::is_uuid(e.course_id));
      FUZZ_CHECK(e.student_id || e.booking_id);
      e.enrolled_at = kNow;
      check_encodes(courses::to_json(e));
      break;
    }
    case 15:
      courses::parse_enrollment_status(http::json_body(req));
      break;
  }
}

}  // namespace
}  // namespace janji::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace janji;
  const auto in = fuzz::choose(data, size);
  if (!in) return 0;
  http::Request req;
  const auto media = fuzz::kMediaTypes[in->pick >> 5];
  if (!media.empty()) req.raw.set(http::bhttp::field::content_type, media);
  req.raw.body() = std::string(in->rest);
  try {
    fuzz::decode(in->pick & 0x0F, req);
  } catch (const ApiError& e) {
    fuzz::check_refusal(e);
  }
  return 0;
}
