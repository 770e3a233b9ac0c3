#include "notify/zone.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace janji::notify {
namespace {

namespace chr = std::chrono;
using chr::hours;
using chr::minutes;

Timestamp utc(std::string_view text) {
  const auto t = parse_datetime(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

TEST(Zone, MakassarIsEightHoursAheadOfUtc) {
  const Zone z("Asia/Makassar");
  const auto l = z.local(utc("2026-12-05T01:00:00Z"));
  EXPECT_EQ(l.day, chr::year{2026} / 12 / 5);
  EXPECT_EQ(l.time_of_day, hours(9));
  EXPECT_EQ(l.abbreviation, "WITA");
}

TEST(Zone, LocalDateChangesAtLocalMidnightNotAtUtcMidnight) {
  const Zone z("Asia/Makassar");
  EXPECT_EQ(z.local(utc("2026-12-04T15:59:00Z")).day, chr::year{2026} / 12 / 4);
  EXPECT_EQ(z.local(utc("2026-12-04T16:00:00Z")).day, chr::year{2026} / 12 / 5);
  EXPECT_EQ(z.local(utc("2026-12-04T16:00:00Z")).time_of_day, minutes(0));
}

TEST(Zone, SecondsAreDroppedFromTheTimeOfDay) {
  const Zone z("Asia/Makassar");
  EXPECT_EQ(z.local(utc("2026-12-05T01:30:59.999999Z")).time_of_day, hours(9) + minutes(30));
}

TEST(Zone, JakartaIsSevenHoursAhead) {
  const Zone z("Asia/Jakarta");
  const auto l = z.local(utc("2026-12-05T02:00:00Z"));
  EXPECT_EQ(l.time_of_day, hours(9));
  EXPECT_EQ(l.abbreviation, "WIB");
}

TEST(Zone, AmsterdamFollowsDaylightSavingTime) {
  const Zone z("Europe/Amsterdam");
  const auto winter = z.local(utc("2026-01-15T08:00:00Z"));
  EXPECT_EQ(winter.time_of_day, hours(9));
  EXPECT_EQ(winter.abbreviation, "CET");
  const auto summer = z.local(utc("2026-07-15T07:00:00Z"));
  EXPECT_EQ(summer.time_of_day, hours(9));
  EXPECT_EQ(summer.abbreviation, "CEST");
}

TEST(Zone, ToUtcIsTheInverseOfLocal) {
  const Zone z("Asia/Makassar");
  EXPECT_EQ(z.to_utc(chr::year{2026} / 12 / 4, hours(9)), utc("2026-12-04T01:00:00Z"));
  EXPECT_EQ(z.to_utc(chr::year{2026} / 12 / 5, hours(0)), utc("2026-12-04T16:00:00Z"));
  const Zone ams("Europe/Amsterdam");
  EXPECT_EQ(ams.to_utc(chr::year{2026} / 7 / 15, hours(9)), utc("2026-07-15T07:00:00Z"));
  EXPECT_EQ(ams.to_utc(chr::year{2026} / 1 / 15, hours(9)), utc("2026-01-15T08:00:00Z"));
}

// 2026-03-29: Amsterdam's clocks go from 02:00 CET straight to 03:00 CEST (01:00 UTC).
TEST(Zone, ATimeSkippedBySpringForwardIsTheInstantTheClocksJump) {
  const Zone z("Europe/Amsterdam");
  EXPECT_EQ(z.to_utc(chr::year{2026} / 3 / 29, hours(2) + minutes(30)),
            utc("2026-03-29T01:00:00Z"));
  EXPECT_EQ(z.to_utc(chr::year{2026} / 3 / 29, hours(3)), utc("2026-03-29T01:00:00Z"));
}

// 2026-10-25: Amsterdam's clocks show 02:00-03:00 twice, first in CEST (00:00-01:00 UTC).
TEST(Zone, ATimeThatOccursTwiceIsTheFirstOccurrence) {
  const Zone z("Europe/Amsterdam");
  EXPECT_EQ(z.to_utc(chr::year{2026} / 10 / 25, hours(2) + minutes(30)),
            utc("2026-10-25T00:30:00Z"));
}

TEST(Zone, UtcIsAZoneToo) {
  const Zone z("UTC");
  EXPECT_EQ(z.local(utc("2026-12-05T09:00:00Z")).time_of_day, hours(9));
}

TEST(Zone, KeepsTheNameItWasGiven) {
  EXPECT_EQ(Zone("Asia/Makassar").name(), "Asia/Makassar");
}

TEST(Zone, UnknownNameIsAnInvalidArgumentThatNamesIt) {
  try {
    Zone z("Asia/Atlantis");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"Asia/Atlantis\""), std::string::npos) << e.what();
  }
}

TEST(Zone, NamesAreCaseSensitiveAndNotPaths) {
  EXPECT_THROW(Zone(""), std::invalid_argument);
  EXPECT_THROW(Zone("asia/makassar"), std::invalid_argument);
  EXPECT_THROW(Zone("../../../etc/passwd"), std::invalid_argument);
  EXPECT_THROW(Zone("/usr/share/zoneinfo/Asia/Makassar"), std::invalid_argument);
}

}  // namespace
}  // namespace janji::notify
