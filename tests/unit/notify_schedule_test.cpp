#include "notify/schedule.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <stdexcept>

namespace janji::notify {
namespace {

namespace chr = std::chrono;
using chr::hours;
using chr::minutes;
using chr::seconds;

// DESIGN.md's defaults: NOTIFY_RETRY_MIN 1m, NOTIFY_RETRY_MAX 6h, NOTIFY_GIVE_UP 24h.
constexpr seconds kMin = minutes(1);
constexpr seconds kMax = hours(6);

Timestamp utc(std::string_view text) {
  const auto t = parse_datetime(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

TEST(RetryDelay, DoublesFromTheMinimumAfterEachFailedAttempt) {
  EXPECT_EQ(retry_delay(1, kMin, kMax), minutes(1));
  EXPECT_EQ(retry_delay(2, kMin, kMax), minutes(2));
  EXPECT_EQ(retry_delay(3, kMin, kMax), minutes(4));
  EXPECT_EQ(retry_delay(9, kMin, kMax), minutes(256));
}

TEST(RetryDelay, StopsAtTheMaximum) {
  EXPECT_EQ(retry_delay(10, kMin, kMax), hours(6));  // 512 minutes would be more
  EXPECT_EQ(retry_delay(11, kMin, kMax), hours(6));
}

TEST(RetryDelay, HugeAttemptCountsDoNotOverflow) {
  EXPECT_EQ(retry_delay(64, kMin, kMax), kMax);
  EXPECT_EQ(retry_delay(INT_MAX, kMin, kMax), kMax);
  const seconds huge_max{LLONG_MAX};
  EXPECT_EQ(retry_delay(INT_MAX, seconds(1), huge_max), huge_max);
  EXPECT_EQ(retry_delay(63, seconds(1), huge_max), seconds(1LL << 62));
}

TEST(RetryDelay, NoAttemptYetCountsAsOne) {
  EXPECT_EQ(retry_delay(0, kMin, kMax), kMin);
  EXPECT_EQ(retry_delay(-5, kMin, kMax), kMin);
}

TEST(RetryDelay, AMaximumBelowTheMinimumWins) {
  EXPECT_EQ(retry_delay(1, hours(1), minutes(10)), minutes(10));
  EXPECT_EQ(retry_delay(1, minutes(10), minutes(10)), minutes(10));
}

TEST(RetryDelay, ZeroOrNegativeBoundsMeanNoWait) {
  EXPECT_EQ(retry_delay(5, seconds(0), kMax), seconds(0));
  EXPECT_EQ(retry_delay(5, kMin, seconds(0)), seconds(0));
  EXPECT_EQ(retry_delay(5, seconds(-60), kMax), seconds(0));
}

TEST(GivenUp, NotBeforeTheGiveUpTimeHasPassed) {
  const auto queued = utc("2026-12-05T00:00:00Z");
  EXPECT_FALSE(given_up(queued, queued, hours(24)));
  EXPECT_FALSE(given_up(queued, queued + hours(24) - chr::microseconds(1), hours(24)));
}

TEST(GivenUp, FromTheInstantTheGiveUpTimeHasPassed) {
  const auto queued = utc("2026-12-05T00:00:00Z");
  EXPECT_TRUE(given_up(queued, queued + hours(24), hours(24)));
  EXPECT_TRUE(given_up(queued, queued + hours(48), hours(24)));
}

TEST(GivenUp, AClockThatWentBackDoesNotGiveUp) {
  const auto queued = utc("2026-12-05T00:00:00Z");
  EXPECT_FALSE(given_up(queued, queued - hours(1), hours(24)));
}

TEST(GivenUp, AHugeGiveUpTimeDoesNotOverflow) {
  const auto queued = utc("2026-12-05T00:00:00Z");
  EXPECT_FALSE(given_up(queued, queued + hours(24 * 365 * 100), seconds::max()));
}

TEST(ReminderDue, TheDayBeforeAtTheHourInMakassar) {
  const Zone makassar("Asia/Makassar");
  // 2026-12-04 09:00 WITA is 01:00 UTC.
  EXPECT_EQ(reminder_due("2026-12-05", 9, makassar), utc("2026-12-04T01:00:00Z"));
}

TEST(ReminderDue, AnEarlyHourFallsOnTheUtcDayBefore) {
  const Zone makassar("Asia/Makassar");
  EXPECT_EQ(reminder_due("2026-12-05", 7, makassar), utc("2026-12-03T23:00:00Z"));
  EXPECT_EQ(reminder_due("2026-12-05", 0, makassar), utc("2026-12-03T16:00:00Z"));
}

TEST(ReminderDue, CrossesMonthAndYearBoundaries) {
  const Zone jakarta("Asia/Jakarta");
  EXPECT_EQ(reminder_due("2027-01-01", 9, jakarta), utc("2026-12-31T02:00:00Z"));
  EXPECT_EQ(reminder_due("2028-03-01", 9, jakarta), utc("2028-02-29T02:00:00Z"));
}

TEST(ReminderDue, FollowsDaylightSavingTime) {
  const Zone amsterdam("Europe/Amsterdam");
  // The day before is in summer time (CEST, UTC+2) ...
  EXPECT_EQ(reminder_due("2026-03-30", 9, amsterdam), utc("2026-03-29T07:00:00Z"));
  // ... and here still in winter time (CET, UTC+1).
  EXPECT_EQ(reminder_due("2026-03-29", 9, amsterdam), utc("2026-03-28T08:00:00Z"));
}

TEST(ReminderDue, TakesACalendarDateToo) {
  const Zone makassar("Asia/Makassar");
  EXPECT_EQ(reminder_due(chr::year{2026} / 12 / 5, 9, makassar), utc("2026-12-04T01:00:00Z"));
}

TEST(ReminderDue, AServiceBookingsDayIsItsDateOnTheBusinessClocks) {
  const Zone makassar("Asia/Makassar");
  // The app sends tanggal_acara as naive midnight UTC: 08:00 on the same day in Makassar.
  const auto tanggal_acara = utc("2026-12-05T00:00:00");
  EXPECT_EQ(reminder_due(makassar.local(tanggal_acara).day, 9, makassar),
            utc("2026-12-04T01:00:00Z"));
}

TEST(ReminderDue, RefusesAnHourOutsideTheDay) {
  const Zone makassar("Asia/Makassar");
  EXPECT_THROW(reminder_due("2026-12-05", 24, makassar), std::invalid_argument);
  EXPECT_THROW(reminder_due("2026-12-05", -1, makassar), std::invalid_argument);
}

TEST(ReminderDue, RefusesADateThatIsNotYyyyMmDd) {
  const Zone makassar("Asia/Makassar");
  EXPECT_THROW(reminder_due("05-12-2026", 9, makassar), std::invalid_argument);
  EXPECT_THROW(reminder_due("2026-02-30", 9, makassar), std::invalid_argument);
  EXPECT_THROW(reminder_due("2026-12-05T00:00:00", 9, makassar), std::invalid_argument);
}

}  // namespace
}  // namespace janji::notify
