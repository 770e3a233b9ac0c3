#include "core/error.hpp"
#include "course_forms.hpp"
#include "courses/validation.hpp"
#include "infra/crypto/crypto.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace janji::courses {
namespace {

namespace json = boost::json;
const Timestamp kNow = *parse_datetime("2026-11-21T10:00:00Z");

json::object valid() {
  return forms::valid_registration();
}

// The paths of the failing fields, in order.
std::vector<std::string> failing(json::object body) {
  try {
    parse_registration(std::move(body), kNow);
  } catch (const ApiError& e) {
    std::vector<std::string> paths;
    for (const auto& f : e.fields()) paths.emplace_back(f.loc.at(1).as_string());
    return paths;
  }
  return {};
}

TEST(Registration, ValidFormParsesWithDefaults) {
  crypto::init();
  const auto r = parse_registration(valid(), kNow);
  EXPECT_EQ(r.email, "Budi@example.test");
  EXPECT_EQ(r.experience_level, "beginner");
  EXPECT_EQ(r.class_year, 7);
  EXPECT_EQ(r.preferred_days, (std::vector<std::string>{"monday", "wednesday"}));
  EXPECT_EQ(r.time_start, "15:00");
  EXPECT_FALSE(r.instrument_owned.has_value());
}

struct Case {
  const char* field;
  json::value bad;
  const char* why;  // with the field, names the test
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.field << " = " << json::serialize(c.bad);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return std::string(info.param.field) + "_" + info.param.why;
}

class RegistrationField : public ::testing::TestWithParam<Case> {};

TEST_P(RegistrationField, InvalidValueIsReportedOnItsPath) {
  auto body = valid();
  body[GetParam().field] = GetParam().bad;
  EXPECT_EQ(failing(body), std::vector<std::string>{GetParam().field});
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RegistrationField,
    ::testing::Values(
        Case{"full_name", "B", "TooShort"}, Case{"email", "not-an-email", "NoAtSign"},
        Case{"wa_number", "0812", "NotIndonesian"}, Case{"course_id", "abc", "NotAUuid"},
        Case{"address", "", "Empty"}, Case{"birth_place", "", "Empty"},
        Case{"birth_date", "2030-01-01", "InTheFuture"},
        Case{"birth_date", "2012-13-01", "MonthThirteen"}, Case{"school", 5, "Number"},
        Case{"class", 13, "AboveTwelve"}, Case{"class", 0, "Zero"},
        Case{"guardian_name", "I", "TooShort"},
        Case{"guardian_wa_number", "+1555123456", "NotIndonesian"},
        Case{"experience_level", "expert", "UnknownLevel"},
        Case{"preferred_days", json::array{}, "Empty"},
        Case{"preferred_days", json::array{"monday", "monday"}, "Repeated"},
        Case{"preferred_days", json::array{"someday"}, "UnknownDay"},
        Case{"preferred_time_range", json::object{{"start", "17:00"}, {"end", "15:00"}},
             "EndBeforeStart"},
        Case{"preferred_time_range", json::object{{"start", "5pm"}, {"end", "18:00"}}, "NotHhMm"},
        Case{"start_date_target", "2020-01-01", "InThePast"},
        Case{"instrument_owned", "yes", "Word"},
        Case{"notes", json::string(std::string(1001, 'x')), "TooLong"},
        Case{"referral_source", "radio", "UnknownSource"}, Case{"consent", false, "False"},
        Case{"captcha_token", "", "Empty"}, Case{"idempotency_key", "k1", "NotAUuid"}),
    case_name);

// The Zod original takes each JSON type for itself only: what Pydantic would coerce
// ("5" for 5, "true" for true) is refused on the course surface.
INSTANTIATE_TEST_SUITE_P(
    WrongJsonType, RegistrationField,
    ::testing::Values(
        Case{"class", "5", "NumericString"}, Case{"class", " 8 ", "PaddedNumericString"},
        Case{"class", true, "Boolean"}, Case{"class", 7.5, "FractionalNumber"},
        Case{"consent", "true", "StringTrue"}, Case{"consent", 1, "NumberOne"},
        Case{"instrument_owned", "true", "StringTrue"}, Case{"instrument_owned", 0, "NumberZero"},
        Case{"full_name", 12345, "Number"}, Case{"email", 5, "Number"},
        Case{"wa_number", 6281234567890, "Number"}, Case{"course_id", 42, "Number"},
        Case{"birth_date", 20120501, "Number"}, Case{"guardian_name", true, "Boolean"},
        Case{"guardian_wa_number", 6281234567891, "Number"}, Case{"experience_level", 1, "Number"},
        Case{"preferred_days", json::array{"monday", 2}, "NumberInList"},
        Case{"preferred_days", "monday", "StringNotList"},
        Case{"preferred_time_range", json::object{{"start", 1500}, {"end", 1700}}, "Numbers"},
        Case{"start_date_target", 20301231, "Number"}, Case{"notes", 5, "Number"},
        Case{"referral_source", 1, "Number"}, Case{"captcha_token", 5, "Number"},
        Case{"idempotency_key", 7, "Number"}),
    case_name);

TEST(Registration, ClassAsIntegralFloatIsTheInteger) {
  // JavaScript has one number type, so Zod's int() takes 7.0 as 7.
  auto body = valid();
  body["class"] = 7.0;
  EXPECT_EQ(parse_registration(body, kNow).class_year, 7);
}

TEST(Registration, MissingRequiredFieldsAreAllReported) {
  const auto paths = failing(json::object{});
  for (const char* f : {"full_name", "email", "course_id", "address", "birth_place", "birth_date",
                        "school", "class", "guardian_name", "guardian_wa_number", "preferred_days",
                        "preferred_time_range", "consent", "captcha_token", "idempotency_key"})
    EXPECT_NE(std::find(paths.begin(), paths.end(), f), paths.end()) << f;
  EXPECT_EQ(std::find(paths.begin(), paths.end(), "wa_number"), paths.end());
}

TEST(Registration, StartDateTodayIsNotInThePast) {
  auto body = valid();
  body["start_date_target"] = "2026-11-21";
  EXPECT_TRUE(failing(body).empty());
}

// -- the other course bodies --------------------------------------------------------------

json::object course() {
  return {{"title", "Piano"},
          {"description", "Weekly"},
          {"instrument", "piano"},
          {"level", "beginner"},
          {"price_per_session", 150000},
          {"duration_minutes", 60},
          {"max_students", 5},
          {"is_active", true}};
}

/// The paths of the failing fields of a body `parse` refuses (none when it accepts it).
template <class Parse>
std::vector<std::string> failing_paths(Parse parse) {
  try {
    parse();
  } catch (const ApiError& e) {
    std::vector<std::string> paths;
    for (const auto& f : e.fields()) paths.emplace_back(f.loc.at(1).as_string());
    return paths;
  }
  return {};
}

TEST(CourseBody, NumbersAndBooleansOfTheRightJsonTypeParse) {
  const auto c = parse_course(course(), false);
  EXPECT_EQ(c.price_per_session, 15'000'000);
  EXPECT_EQ(c.duration_minutes, 60);
  EXPECT_EQ(c.max_students, 5);
  EXPECT_TRUE(c.is_active);
}

class CourseField : public ::testing::TestWithParam<Case> {};

TEST_P(CourseField, WrongJsonTypeIsRefusedOnCreateAndUpdate) {
  auto body = course();
  body[GetParam().field] = GetParam().bad;
  EXPECT_EQ(failing_paths([&] { parse_course(body, false); }),
            std::vector<std::string>{GetParam().field});
  const json::object change{{GetParam().field, GetParam().bad}};
  CourseChange ignored;
  EXPECT_EQ(failing_paths([&] { parse_course(change, true, &ignored); }),
            std::vector<std::string>{GetParam().field});
}

INSTANTIATE_TEST_SUITE_P(
    WrongJsonType, CourseField,
    ::testing::Values(Case{"price_per_session", "150000", "NumericString"},
                      Case{"price_per_session", "150000.50", "DecimalString"},
                      Case{"duration_minutes", "60", "NumericString"},
                      Case{"max_students", "5", "NumericString"},
                      Case{"max_students", false, "Boolean"},
                      Case{"is_active", "true", "StringTrue"}, Case{"is_active", 1, "NumberOne"},
                      Case{"title", 5, "Number"}, Case{"description", 5, "Number"},
                      Case{"instrument", true, "Boolean"}, Case{"level", 1, "Number"}),
    case_name);

TEST(EnrollmentBody, StudentIdMustBeAJsonNumber) {
  const json::object number{{"course_id", "4e7daa1c-8185-43d7-a045-2eb69f2068e9"},
                            {"student_id", 3}};
  EXPECT_EQ(parse_new_enrollment(number).student_id, 3);
  auto text = number;
  text["student_id"] = "3";
  EXPECT_EQ(failing_paths([&] { parse_new_enrollment(text); }),
            std::vector<std::string>{"student_id"});
}

TEST(EnrollmentBody, RejectionReasonMustBeAString) {
  EXPECT_EQ(parse_rejection(json::object{{"reason", "full"}}), "full");
  EXPECT_EQ(failing_paths([] {
              parse_rejection(json::object{{"reason", 5}});
            }),
            std::vector<std::string>{"reason"});
}

TEST(EnrollmentQuery, QueryNumbersAreParsedFromTheirStrings) {
  const auto f = parse_enrollment_filter({{"student_id", "3"}, {"page", "2"}, {"limit", "50"}});
  EXPECT_EQ(f.student_id, 3);
  EXPECT_EQ(f.page, 2);
  EXPECT_EQ(f.limit, 50);
  EXPECT_EQ(failing_paths([] {
              parse_enrollment_filter({{"page", "two"}});
            }),
            std::vector<std::string>{"page"});
}

}  // namespace
}  // namespace janji::courses
