#include "core/time.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace janji {
namespace {

namespace chr = std::chrono;
using chr::hours;
using chr::microseconds;
using chr::minutes;
using chr::seconds;

// 2026-02-11T00:00:00Z
const Timestamp kDay = Timestamp{chr::sys_days{chr::year{2026} / 2 / 11}};

Timestamp parse_ok(std::string_view text) {
  std::string error;
  const auto t = parse_datetime(text, &error);
  EXPECT_TRUE(t.has_value()) << '"' << text << "\": " << error;
  EXPECT_TRUE(error.empty()) << '"' << text << "\": " << error;
  return t.value_or(Timestamp{});
}

TEST(FormatNaive, WholeSecondsHaveNoFractionAndNoZone) {
  EXPECT_EQ(format_naive(kDay + hours(12)), "2026-02-11T12:00:00");
  EXPECT_EQ(format_naive(kDay + hours(23) + minutes(59) + seconds(59)), "2026-02-11T23:59:59");
}

TEST(FormatNaive, MicrosecondsAreWrittenAsSixDigits) {
  EXPECT_EQ(format_naive(kDay + hours(12) + microseconds(123)), "2026-02-11T12:00:00.000123");
  EXPECT_EQ(format_naive(kDay + microseconds(500'000)), "2026-02-11T00:00:00.500000");
}

TEST(FormatNaive, DatesBeforeTheEpochAreCalendarDates) {
  const Timestamp t{chr::sys_days{chr::year{1969} / 12 / 31} + hours(23)};
  EXPECT_EQ(format_naive(t), "1969-12-31T23:00:00");
}

TEST(FormatNaive, YearsOfOneToThreeDigitsArePaddedAndFiveDigitYearsWritten) {
  EXPECT_EQ(format_naive(Timestamp{chr::sys_days{chr::year{33} / 1 / 2} + seconds(5)}),
            "0033-01-02T00:00:05");
  EXPECT_EQ(format_naive(Timestamp{chr::sys_days{chr::year{12026} / 3 / 4}}),
            "12026-03-04T00:00:00");
}

TEST(FormatIsoZ, AlwaysMillisecondsAndZ) {
  EXPECT_EQ(format_iso_z(kDay + hours(12)), "2026-02-11T12:00:00.000Z");
  EXPECT_EQ(format_iso_z(kDay + microseconds(123'456)), "2026-02-11T00:00:00.123Z");
  EXPECT_EQ(format_iso_z(kDay + microseconds(999)), "2026-02-11T00:00:00.000Z");
}

TEST(ParseDatetime, DateAloneIsMidnightUtc) {
  EXPECT_EQ(parse_ok("2026-02-11"), kDay);
}

TEST(ParseDatetime, HoursAndMinutesWithoutSeconds) {
  EXPECT_EQ(parse_ok("2026-02-11T12:00"), kDay + hours(12));
  EXPECT_EQ(parse_ok("2026-02-11T07:45"), kDay + hours(7) + minutes(45));
}

TEST(ParseDatetime, FullTimeWithTOrSpaceSeparator) {
  EXPECT_EQ(parse_ok("2026-02-11T12:00:00"), kDay + hours(12));
  EXPECT_EQ(parse_ok("2026-02-11 12:00:00"), kDay + hours(12));
  EXPECT_EQ(parse_ok("2026-02-11T12:34:56"), kDay + hours(12) + minutes(34) + seconds(56));
}

TEST(ParseDatetime, MillisecondFraction) {
  EXPECT_EQ(parse_ok("2026-02-11T00:00:00.000"), kDay);
  EXPECT_EQ(parse_ok("2026-02-11T00:00:00.250"), kDay + microseconds(250'000));
  EXPECT_EQ(parse_ok("2026-02-11T00:00:00.5"), kDay + microseconds(500'000));
}

TEST(ParseDatetime, NanosecondFractionIsTruncatedToMicroseconds) {
  EXPECT_EQ(parse_ok("2026-02-11T00:00:00.123456789"), kDay + microseconds(123'456));
  EXPECT_EQ(parse_ok("2026-02-11T00:00:00.000000999"), kDay);
}

TEST(ParseDatetime, ZSuffixMeansUtc) {
  EXPECT_EQ(parse_ok("2026-02-11T12:00:00Z"), kDay + hours(12));
  EXPECT_EQ(parse_ok("2026-02-11T12:00:00.123Z"), kDay + hours(12) + microseconds(123'000));
}

TEST(ParseDatetime, PositiveOffsetIsSubtractedToGetUtc) {
  EXPECT_EQ(parse_ok("2026-02-11T12:00:00+07:00"), kDay + hours(5));
  // Crossing midnight backwards.
  EXPECT_EQ(parse_ok("2026-02-11T03:00:00+07:00"), kDay - hours(4));
}

TEST(ParseDatetime, NegativeOffsetWithMinutesIsAddedToGetUtc) {
  EXPECT_EQ(parse_ok("2026-02-11T12:00:00-03:30"), kDay + hours(15) + minutes(30));
}

TEST(ParseDatetime, OffsetWithoutColon) {
  EXPECT_EQ(parse_ok("2026-02-11T12:00:00+0700"), kDay + hours(5));
  EXPECT_EQ(parse_ok("2026-02-11T12:00:00-0330"), kDay + hours(15) + minutes(30));
}

TEST(ParseDatetime, OffsetAfterHoursAndMinutesOnly) {
  EXPECT_EQ(parse_ok("2026-02-11T12:00+07:00"), kDay + hours(5));
}

TEST(ParseDatetime, LeapDayExistsOnlyInLeapYears) {
  EXPECT_EQ(parse_ok("2024-02-29"), Timestamp{chr::sys_days{chr::year{2024} / 2 / 29}});
  EXPECT_FALSE(parse_datetime("2026-02-29").has_value());
}

class ParseDatetimeRejects : public testing::TestWithParam<const char*> {};

// The input spelt with letters, digits and '_' (a test name allows no more), e.g.
// "2026-02-11T12:00:00+7" -> "2026_02_11T12_00_00plus7", "" -> "empty".
std::string input_name(const testing::TestParamInfo<const char*>& info) {
  std::string name;
  for (const char* p = info.param; *p; ++p) {
    const char c = *p;
    if (std::isalnum(static_cast<unsigned char>(c)))
      name += c;
    else if (c == '-' || c == ':')
      name += '_';
    else if (c == '+')
      name += "plus";
    else if (c == '.')
      name += "dot";
    else if (c == '/')
      name += "slash";
    else if (c == ' ')
      name += "space";
    else
      name += 'x';
  }
  return name.empty() ? "empty" : name;
}

TEST_P(ParseDatetimeRejects, InvalidInputWithAnExplanation) {
  std::string error;
  const auto t = parse_datetime(GetParam(), &error);
  EXPECT_FALSE(t.has_value()) << "parsed as " << format_naive(*t);
  EXPECT_FALSE(error.empty());
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, ParseDatetimeRejects,
    testing::Values("2026-02-30", "2026-13-01", "2026-00-10", "2026-02-00", "2026-02-11T25:00:00",
                    "2026-02-11T24:00:00", "2026-02-11T12:60:00", "2026-02-11T12:00:60",
                    "2026-02-11T12:00:00+", "2026-02-11T12:00:00+7", "2026-02-11T12:00:00+07:0",
                    "2026-02-11T12:00:00+24:00", "2026-02-11T12:00:00+07:60", "garbage",
                    "2026-02-11T12:00:00Zjunk", "", "2026-02-11T", "2026-02-11T12",
                    "2026-02-11T12:00:", "2026-02-11T12:00:00.", "2026-02-11T12:00:00.1234567890",
                    "2026-02-11X12:00:00", "2026-2-11", "26-02-11", "2026/02/11", "0000-01-01",
                    "2026-02-11Z", "2026-02-11T12:00:00 "),
    input_name);

TEST(ParseDatetime, OffsetWithADanglingColonIsRejected) {
  // "+HH:" is none of the documented offset forms (+HH:MM, -HH:MM, +HHMM).
  std::string error;
  const auto t = parse_datetime("2026-02-11T12:00:00+07:", &error);
  EXPECT_FALSE(t.has_value()) << "parsed as " << format_naive(*t);
  EXPECT_FALSE(error.empty());
}

TEST(ParseDatetime, NullErrorPointerIsAllowed) {
  EXPECT_FALSE(parse_datetime("garbage").has_value());
  EXPECT_TRUE(parse_datetime("2026-02-11").has_value());
}

TEST(ParseDatetime, ErrorNamesTheProblem) {
  std::string error;
  ASSERT_FALSE(parse_datetime("2026-02-11T12:00:00Zjunk", &error));
  EXPECT_NE(error.find("extra characters"), std::string::npos) << error;
  ASSERT_FALSE(parse_datetime("2026-02-11T25:00:00", &error));
  EXPECT_NE(error.find("outside expected range"), std::string::npos) << error;
}

TEST(ParseDatetime, RoundTripsFormatNaive) {
  for (const Timestamp t : {kDay, kDay + hours(12), kDay + hours(12) + microseconds(123),
                            kDay + hours(23) + minutes(59) + seconds(59) + microseconds(999'999),
                            Timestamp{chr::sys_days{chr::year{1999} / 12 / 31}}}) {
    const auto text = format_naive(t);
    const auto back = parse_datetime(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, t) << text;
  }
}

TEST(ParseDatetime, RoundTripsFormatIsoZAtMillisecondPrecision) {
  const Timestamp t = kDay + hours(8) + microseconds(42'000);
  EXPECT_EQ(parse_datetime(format_iso_z(t)), t);
}

TEST(FloorDaysBetween, JustUnderADayIsZero) {
  EXPECT_EQ(floor_days_between(kDay, kDay + hours(23) + minutes(59)), 0);
  EXPECT_EQ(floor_days_between(kDay, kDay + hours(24) - microseconds(1)), 0);
}

TEST(FloorDaysBetween, ExactlyADayIsOne) {
  EXPECT_EQ(floor_days_between(kDay, kDay + hours(24)), 1);
  EXPECT_EQ(floor_days_between(kDay, kDay + hours(24 * 30 + 5)), 30);
}

TEST(FloorDaysBetween, EarlierLaterRoundsTowardsMinusInfinity) {
  EXPECT_EQ(floor_days_between(kDay, kDay - hours(1)), -1);
  EXPECT_EQ(floor_days_between(kDay, kDay - hours(24)), -1);
  EXPECT_EQ(floor_days_between(kDay, kDay - hours(25)), -2);
}

TEST(FloorDaysBetween, SameInstantIsZero) {
  EXPECT_EQ(floor_days_between(kDay, kDay), 0);
}

TEST(ParseDate, ReadsAYearMonthAndDay) {
  EXPECT_EQ(parse_date("2026-12-05"), chr::year{2026} / 12 / 5);
  EXPECT_EQ(parse_date("0001-01-01"), chr::year{1} / 1 / 1);
  EXPECT_EQ(parse_date("9999-12-31"), chr::year{9999} / 12 / 31);
}

TEST(ParseDate, LeapDayOnlyInALeapYear) {
  EXPECT_EQ(parse_date("2028-02-29"), chr::year{2028} / 2 / 29);
  EXPECT_EQ(parse_date("2026-02-29"), std::nullopt);
}

struct DateReject {
  const char* name;
  const char* text;
};

class ParseDateRejects : public testing::TestWithParam<DateReject> {};

TEST_P(ParseDateRejects, Input) {
  EXPECT_EQ(parse_date(GetParam().text), std::nullopt) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    NotADate, ParseDateRejects,
    testing::Values(DateReject{"Empty", ""}, DateReject{"YearZero", "0000-01-01"},
                    DateReject{"MonthThirteen", "2026-13-01"}, DateReject{"DayZero", "2026-01-00"},
                    DateReject{"ThirtyFirstOfApril", "2026-04-31"},
                    DateReject{"UnpaddedMonth", "2026-1-05"}, DateReject{"Slashes", "2026/12/05"},
                    DateReject{"WithTime", "2026-12-05T00:00:00"},
                    DateReject{"TrailingSpace", "2026-12-05 "},
                    DateReject{"SignedYear", "+2026-12-05"}, DateReject{"DayFirst", "05-12-2026"}),
    [](const testing::TestParamInfo<DateReject>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace janji
