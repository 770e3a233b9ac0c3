#include "notify/format.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace janji::notify {
namespace {

namespace chr = std::chrono;

Timestamp utc(std::string_view text) {
  const auto t = parse_datetime(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

TEST(Locale, ParsesTheTwoNamesOnly) {
  EXPECT_EQ(parse_locale("id"), Locale::kId);
  EXPECT_EQ(parse_locale("en"), Locale::kEn);
  EXPECT_EQ(parse_locale("ID"), std::nullopt);
  EXPECT_EQ(parse_locale("id-ID"), std::nullopt);
  EXPECT_EQ(parse_locale(""), std::nullopt);
}

TEST(Locale, NameRoundTrips) {
  EXPECT_EQ(parse_locale(locale_name(Locale::kId)), Locale::kId);
  EXPECT_EQ(parse_locale(locale_name(Locale::kEn)), Locale::kEn);
}

struct RupiahCase {
  const char* name;
  Money minor;
  const char* text;
};

class FormatRupiah : public testing::TestWithParam<RupiahCase> {};

TEST_P(FormatRupiah, Amount) {
  EXPECT_EQ(format_rupiah(GetParam().minor), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Amounts, FormatRupiah,
    testing::Values(RupiahCase{"Zero", 0, "Rp 0"}, RupiahCase{"OneRupiah", 100, "Rp 1"},
                    RupiahCase{"ThreeDigits", 50'000, "Rp 500"},
                    RupiahCase{"FourDigits", 150'000, "Rp 1.500"},
                    RupiahCase{"SixDigits", 20'000'000, "Rp 200.000"},
                    RupiahCase{"SevenDigits", 150'000'000, "Rp 1.500.000"},
                    RupiahCase{"LargestColumnValue", kMaxMoney, "Rp 9.999.999.999,99"},
                    RupiahCase{"FiftySen", 20'000'050, "Rp 200.000,50"},
                    RupiahCase{"FiveSen", 105, "Rp 1,05"}, RupiahCase{"OnlySen", 7, "Rp 0,07"},
                    RupiahCase{"Negative", -5'000'000, "Rp -50.000"},
                    RupiahCase{"NegativeWithSen", -150, "Rp -1,50"},
                    RupiahCase{"MostNegative", std::numeric_limits<Money>::min(),
                               "Rp -92.233.720.368.547.758,08"}),
    [](const testing::TestParamInfo<RupiahCase>& p) { return std::string(p.param.name); });

TEST(FormatDate, IndonesianLongDate) {
  EXPECT_EQ(format_date(chr::year{2026} / 12 / 5, Locale::kId), "Sabtu, 5 Desember 2026");
  EXPECT_EQ(format_date(chr::year{2026} / 8 / 17, Locale::kId), "Senin, 17 Agustus 2026");
  EXPECT_EQ(format_date(chr::year{2028} / 2 / 29, Locale::kId), "Selasa, 29 Februari 2028");
}

TEST(FormatDate, EnglishLongDate) {
  EXPECT_EQ(format_date(chr::year{2026} / 12 / 5, Locale::kEn), "Saturday, 5 December 2026");
  EXPECT_EQ(format_date(chr::year{2027} / 1 / 1, Locale::kEn), "Friday, 1 January 2027");
}

struct WeekdayCase {
  unsigned day;  // of December 2026, which starts its second week on Sunday the 6th
  const char* id;
  const char* en;
};

class FormatDateWeekday : public testing::TestWithParam<WeekdayCase> {};

TEST_P(FormatDateWeekday, NamedInBothLanguages) {
  const auto day = chr::year{2026} / 12 / GetParam().day;
  const auto n = std::to_string(GetParam().day);
  EXPECT_EQ(format_date(day, Locale::kId),
            std::string(GetParam().id) + ", " + n + " Desember 2026");
  EXPECT_EQ(format_date(day, Locale::kEn),
            std::string(GetParam().en) + ", " + n + " December 2026");
}

INSTANTIATE_TEST_SUITE_P(
    AWeek, FormatDateWeekday,
    testing::Values(WeekdayCase{6, "Minggu", "Sunday"}, WeekdayCase{7, "Senin", "Monday"},
                    WeekdayCase{8, "Selasa", "Tuesday"}, WeekdayCase{9, "Rabu", "Wednesday"},
                    WeekdayCase{10, "Kamis", "Thursday"}, WeekdayCase{11, "Jumat", "Friday"},
                    WeekdayCase{12, "Sabtu", "Saturday"}),
    [](const testing::TestParamInfo<WeekdayCase>& p) { return std::string(p.param.en); });

TEST(FormatDate, EveryIndonesianMonthName) {
  constexpr const char* kMonths[] = {"Januari",   "Februari", "Maret",    "April",
                                     "Mei",       "Juni",     "Juli",     "Agustus",
                                     "September", "Oktober",  "November", "Desember"};
  for (unsigned m = 1; m <= 12; ++m) {
    const auto text = format_date(chr::year{2026} / m / 1, Locale::kId);
    EXPECT_NE(text.find(std::string(" 1 ") + kMonths[m - 1] + " 2026"), std::string::npos) << text;
  }
}

TEST(FormatDate, OfAnInstantIsTheDateOnTheBusinessClocks) {
  const Zone makassar("Asia/Makassar");
  // 17:00 UTC on the 4th is already 01:00 on the 5th in Makassar.
  EXPECT_EQ(format_date(utc("2026-12-04T17:00:00Z"), makassar, Locale::kId),
            "Sabtu, 5 Desember 2026");
  const Zone amsterdam("Europe/Amsterdam");
  EXPECT_EQ(format_date(utc("2026-12-04T17:00:00Z"), amsterdam, Locale::kEn),
            "Friday, 4 December 2026");
}

TEST(FormatDate, OfADateTextNeedsNoZone) {
  EXPECT_EQ(format_date(std::string_view("2026-12-05"), Locale::kId), "Sabtu, 5 Desember 2026");
  EXPECT_EQ(format_date(std::string_view("2026-12-05"), Locale::kEn), "Saturday, 5 December 2026");
}

TEST(FormatDate, RefusesATextThatIsNotADate) {
  EXPECT_THROW(format_date(std::string_view("5 Desember 2026"), Locale::kId),
               std::invalid_argument);
  EXPECT_THROW(format_date(std::string_view("2026-02-30"), Locale::kId), std::invalid_argument);
}

TEST(FormatTime, IndonesianUsesAFullStopEnglishAColon) {
  const Zone makassar("Asia/Makassar");
  const auto t = utc("2026-12-05T01:00:00Z");
  EXPECT_EQ(format_time(t, makassar, Locale::kId), "09.00");
  EXPECT_EQ(format_time(t, makassar, Locale::kEn), "09:00");
}

TEST(FormatTime, TwoDigitHoursAndMinutesAroundTheClock) {
  const Zone utc_zone("UTC");
  EXPECT_EQ(format_time(utc("2026-12-05T00:00:00Z"), utc_zone, Locale::kId), "00.00");
  EXPECT_EQ(format_time(utc("2026-12-05T23:59:59Z"), utc_zone, Locale::kEn), "23:59");
  EXPECT_EQ(format_time(utc("2026-12-05T14:05:00Z"), utc_zone, Locale::kId), "14.05");
}

TEST(FormatTime, FollowsDaylightSavingTime) {
  const Zone amsterdam("Europe/Amsterdam");
  EXPECT_EQ(format_time(utc("2026-01-15T08:00:00Z"), amsterdam, Locale::kEn), "09:00");
  EXPECT_EQ(format_time(utc("2026-07-15T08:00:00Z"), amsterdam, Locale::kEn), "10:00");
}

TEST(FormatDateTime, DateTimeAndZoneAbbreviation) {
  const Zone makassar("Asia/Makassar");
  const auto t = utc("2026-12-05T01:00:00Z");
  EXPECT_EQ(format_date_time(t, makassar, Locale::kId), "Sabtu, 5 Desember 2026 pukul 09.00 WITA");
  EXPECT_EQ(format_date_time(t, makassar, Locale::kEn), "Saturday, 5 December 2026 at 09:00 WITA");
  EXPECT_EQ(format_date_time(t, Zone("Asia/Jakarta"), Locale::kId),
            "Sabtu, 5 Desember 2026 pukul 08.00 WIB");
}

}  // namespace
}  // namespace janji::notify
