// The pure pieces the course handlers are built from: the profile defaults of
// /api/bookings/create, the enrollment DTOs' JSON, and the course error codes.
#include "core/error.hpp"
#include "course_forms.hpp"
#include "courses/dto.hpp"
#include "courses/errors.hpp"
#include "courses/validation.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace janji::courses {
namespace {

namespace json = boost::json;

auth::User profile() {
  auth::User u;
  u.id = 7;
  u.name = "Budi Santoso";
  u.email = "budi@example.test";
  u.address = "Jl. Mawar 1";
  u.phone_number = "+6281234567890";
  return u;
}

const Timestamp kNow = *parse_datetime("2026-11-21T10:00:00Z");

// A registration body without the applicant's own fields (name, e-mail, address, WhatsApp).
json::object course_only() {
  auto body = forms::valid_registration();
  for (const auto* key : {"full_name", "email", "address", "wa_number", "captcha_token"})
    body.erase(key);
  return body;
}

// The paths of the fields parse_user_registration refuses.
std::vector<std::string> refused(json::value body, const auth::User& user) {
  try {
    parse_user_registration(std::move(body), user, kNow);
  } catch (const ApiError& e) {
    std::vector<std::string> paths;
    for (const auto& f : e.fields())
      paths.emplace_back(f.loc.size() > 1 ? f.loc.at(1).as_string() : "body");
    return paths;
  }
  return {};
}

TEST(ProfileDefaults, MissingApplicantFieldsComeFromTheProfile) {
  const auto r = parse_user_registration(course_only(), profile(), kNow);
  EXPECT_EQ(r.full_name, "Budi Santoso");
  EXPECT_EQ(r.email, "budi@example.test");
  EXPECT_EQ(r.address, "Jl. Mawar 1");
  EXPECT_EQ(r.wa_number, "+6281234567890");
}

TEST(ProfileDefaults, FieldsTheBodySendsWinOverTheProfile) {
  auto body = course_only();
  body["full_name"] = "Adik Budi";
  body["email"] = "adik@example.test";
  body["address"] = "Jl. Melati 2";
  body["wa_number"] = "+6289876543210";
  const auto r = parse_user_registration(body, profile(), kNow);
  EXPECT_EQ(r.full_name, "Adik Budi");
  EXPECT_EQ(r.email, "adik@example.test");
  EXPECT_EQ(r.address, "Jl. Melati 2");
  EXPECT_EQ(r.wa_number, "+6289876543210");
}

TEST(ProfileDefaults, SentNullIsJudgedNotReplaced) {
  auto body = course_only();
  body["email"] = nullptr;
  EXPECT_EQ(refused(body, profile()), (std::vector<std::string>{"email"}));
}

TEST(ProfileDefaults, PhoneThatIsNotAWhatsAppNumberIsNotCopied) {
  auto user = profile();
  user.phone_number = "0812-3456";
  EXPECT_FALSE(parse_user_registration(course_only(), user, kNow).wa_number.has_value());
}

TEST(ProfileDefaults, ProfileWithoutAddressLeavesItToTheBody) {
  auto user = profile();
  user.address.reset();
  user.phone_number.reset();
  EXPECT_EQ(refused(course_only(), user), (std::vector<std::string>{"address"}));
}

TEST(ProfileDefaults, NoCaptchaIsNeededAndOneSentIsIgnored) {
  auto body = course_only();
  EXPECT_EQ(parse_user_registration(body, profile(), kNow).captcha_token, "");
  body["captcha_token"] = "t";
  EXPECT_EQ(parse_user_registration(body, profile(), kNow).captcha_token, "");
}

TEST(ProfileDefaults, BodyThatIsNotAnObjectIsRefused) {
  EXPECT_FALSE(refused(json::array{1, 2}, profile()).empty());
  EXPECT_FALSE(refused(nullptr, profile()).empty());
}

TEST(EnrollmentJson, DetailHasTheEnrollmentThenStudentThenCourse) {
  const EnrollmentDetail d{
      {"e1", 7, std::nullopt, "c1", "active", *parse_datetime("2026-11-21T10:00:00Z")},
      "Budi",
      std::nullopt,
      "Piano"};
  EXPECT_EQ(json::serialize(to_json(d)),
            R"({"id":"e1","student_id":7,"booking_id":null,"course_id":"c1","status":"active",)"
            R"("enrolled_at":"2026-11-21T10:00:00.000Z","student":{"name":"Budi","email":null},)"
            R"("course":{"id":"c1","title":"Piano"}})");
}

TEST(EnrollmentJson, PaginationCountsPartialLastPage) {
  EnrollmentFilter f;
  f.page = 2;
  f.limit = 20;
  EXPECT_EQ(pagination_json(f, 41),
            (json::object{{"page", 2}, {"limit", 20}, {"total", 41}, {"total_pages", 3}}));
  EXPECT_EQ(pagination_json(f, 0).at("total_pages"), 0);
}

struct CodeCase {
  const char* name;  // names the test
  ApiError error;
  const char* code;
  ErrorCode kind;  // the course renderer maps it to the status
};

std::string code_case_name(const ::testing::TestParamInfo<CodeCase>& info) {
  return info.param.name;
}

void PrintTo(const CodeCase& c, std::ostream* os) {
  *os << c.name;
}

class CourseErrorCode : public ::testing::TestWithParam<CodeCase> {};

TEST_P(CourseErrorCode, CarriesItsCodeKindAndAMessage) {
  const auto& c = GetParam();
  EXPECT_EQ(c.error.app_code(), c.code);
  EXPECT_EQ(c.error.code(), c.kind);
  EXPECT_FALSE(c.error.message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Errors, CourseErrorCode,
    ::testing::Values(CodeCase{"CourseNotFound", errors::course_not_found(), "COURSE_NOT_FOUND",
                               ErrorCode::kNotFound},
                      CodeCase{"BookingNotFound", errors::booking_not_found(), "BOOKING_NOT_FOUND",
                               ErrorCode::kNotFound},
                      CodeCase{"EnrollmentNotFound", errors::enrollment_not_found(),
                               "ENROLLMENT_NOT_FOUND", ErrorCode::kNotFound},
                      CodeCase{"StudentNotFound", errors::student_not_found(), "STUDENT_NOT_FOUND",
                               ErrorCode::kNotFound},
                      CodeCase{"EnrollmentExists", errors::enrollment_exists(), "ENROLLMENT_EXISTS",
                               ErrorCode::kConflict},
                      CodeCase{"DuplicateRequest", errors::duplicate_request(), "DUPLICATE_REQUEST",
                               ErrorCode::kConflict},
                      CodeCase{"PendingBookingExists", errors::pending_booking_exists("b1"),
                               "PENDING_BOOKING_EXISTS", ErrorCode::kConflict},
                      CodeCase{"PendingLimitReached", errors::pending_limit_reached(),
                               "PENDING_LIMIT_REACHED", ErrorCode::kTooManyRequests},
                      CodeCase{"NotConfirmable", errors::not_confirmable("expired"),
                               "INVALID_STATUS", ErrorCode::kConflict},
                      CodeCase{"NotRejectable", errors::not_rejectable("confirmed"),
                               "INVALID_STATUS", ErrorCode::kConflict},
                      CodeCase{"NotYourBookings", errors::not_your_bookings(), "FORBIDDEN",
                               ErrorCode::kForbidden},
                      CodeCase{"CaptchaInvalid", errors::captcha_invalid("expired"),
                               "CAPTCHA_INVALID", ErrorCode::kBadRequest},
                      CodeCase{"CaptchaUnavailable", errors::captcha_unavailable(),
                               "CAPTCHA_UNAVAILABLE", ErrorCode::kUnavailable},
                      CodeCase{"CaptchaNotIssued", errors::captcha_not_issued("turnstile"),
                               "CAPTCHA_NOT_ISSUED", ErrorCode::kNotFound},
                      CodeCase{"InvalidUuidParam", errors::invalid_uuid_param("id"),
                               "VALIDATION_ERROR", ErrorCode::kValidation}),
    code_case_name);

TEST(CourseErrors, DuplicateRequestNamesTheFirstBookingWhenKnown) {
  EXPECT_TRUE(errors::duplicate_request().details().empty());
  EXPECT_EQ(errors::duplicate_request("b1").details(),
            (json::array{json::object{{"bookingId", "b1"}}}));
}

TEST(CourseErrors, CaptchaInvalidNamesTheTokenField) {
  EXPECT_EQ(
      errors::captcha_invalid("challenge expired").details(),
      (json::array{json::object{{"path", "captcha_token"}, {"message", "challenge expired"}}}));
}

}  // namespace
}  // namespace janji::courses
