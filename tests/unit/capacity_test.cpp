// The pure rules of seats, the waitlist, the calendar and self-service.
#include "bookings/self_service.hpp"
#include "calendar/rules.hpp"
#include "calendar/validation.hpp"
#include "core/error.hpp"
#include "courses/seats.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace janji {
namespace {

namespace chr = std::chrono;
using chr::hours;

Timestamp utc(std::string_view text) {
  const auto t = parse_datetime(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

// The first failing field's location, as the 422 reports it ("query.to"), or "" when none.
template <typename Fn>
std::string refused_at(Fn&& fn) {
  try {
    fn();
  } catch (const ApiError& e) {
    if (e.fields().empty()) return "?";
    std::string where;
    for (const auto& part : e.fields().front().loc) {
      if (!where.empty()) where += '.';
      where += part.is_string() ? std::string(part.get_string()) : "#";
    }
    return where;
  }
  return "";
}

TEST(Seats, ACourseIsFullWhenActiveEnrollmentsReachMaxStudents) {
  EXPECT_FALSE(courses::course_is_full(6, 5));
  EXPECT_TRUE(courses::course_is_full(6, 6));
  EXPECT_TRUE(courses::course_is_full(6, 7));  // max_students lowered below what is taken
}

TEST(Seats, OffersAreTheSeatsNeitherEnrolledNorPendingStandToTake) {
  EXPECT_EQ(courses::seats_to_offer(6, 5, 0), 1);
  EXPECT_EQ(courses::seats_to_offer(6, 4, 1), 1);
  EXPECT_EQ(courses::seats_to_offer(8, 5, 1), 2);
  EXPECT_EQ(courses::seats_to_offer(6, 6, 0), 0);
  EXPECT_EQ(courses::seats_to_offer(6, 5, 3), 0);  // never negative
}

TEST(Seats, OnlyPendingBookingsMoveToTheWaitlist) {
  EXPECT_TRUE(courses::can_waitlist("pending"));
  for (const auto* s : {"waitlisted", "confirmed", "rejected", "cancelled", "expired"})
    EXPECT_FALSE(courses::can_waitlist(s)) << s;
}

TEST(Seats, ApplicantsCancelPendingOrWaitlistedBookingsOnly) {
  EXPECT_TRUE(courses::applicant_can_cancel("pending"));
  EXPECT_TRUE(courses::applicant_can_cancel("waitlisted"));
  for (const auto* s : {"confirmed", "rejected", "cancelled", "expired"})
    EXPECT_FALSE(courses::applicant_can_cancel(s)) << s;
}

TEST(ManageToken, ShapeIsFortyThreeBase64UrlCharacters) {
  EXPECT_TRUE(courses::is_manage_token_shaped(std::string(43, 'a')));
  EXPECT_TRUE(courses::is_manage_token_shaped("AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZa"));
  EXPECT_FALSE(courses::is_manage_token_shaped(std::string(42, 'a')));
  EXPECT_FALSE(courses::is_manage_token_shaped(std::string(44, 'a')));
  EXPECT_FALSE(courses::is_manage_token_shaped(std::string(42, 'a') + "="));
  EXPECT_FALSE(courses::is_manage_token_shaped(std::string(42, 'a') + "/"));
}

TEST(ManageToken, LinkJoinsPublicUrlAndTokenOrIsEmptyWithoutIt) {
  EXPECT_EQ(courses::manage_link("https://kursus.example.id", "tok"),
            "https://kursus.example.id/register/status?token=tok");
  EXPECT_EQ(courses::manage_link("https://kursus.example.id//", "tok"),
            "https://kursus.example.id/register/status?token=tok");
  EXPECT_EQ(courses::manage_link("", "tok"), "");
}

TEST(Calendar, AnOverrideWinsOverTheDailyCapacity) {
  EXPECT_EQ(calendar::capacity_of(std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(calendar::capacity_of(std::nullopt, 10), 10);
  EXPECT_EQ(calendar::capacity_of(0, 10), 0);
  EXPECT_EQ(calendar::capacity_of(4, std::nullopt), 4);
}

TEST(Calendar, ABookingFitsUpToTheCapacityExactly) {
  EXPECT_TRUE(calendar::fits(std::nullopt, 1000, 1000));
  EXPECT_TRUE(calendar::fits(10, 7, 3));
  EXPECT_FALSE(calendar::fits(10, 8, 3));
  EXPECT_FALSE(calendar::fits(0, 0, 1));
}

TEST(Calendar, RemainingIsNeverNegativeAndNullWhenUnlimited) {
  EXPECT_EQ(calendar::remaining(std::nullopt, 5), std::nullopt);
  EXPECT_EQ(calendar::remaining(10, 4), 6);
  EXPECT_EQ(calendar::remaining(2, 5), 0);  // capacity lowered below what is booked
}

TEST(Calendar, DaysAreCountedInTheBusinessTimeZone) {
  const notify::Zone makassar("Asia/Makassar");
  const auto [start, end] = calendar::day_span(chr::year{2027} / 3 / 11, makassar);
  EXPECT_EQ(start, utc("2027-03-10T16:00:00Z"));
  EXPECT_EQ(end, utc("2027-03-11T16:00:00Z"));
  const notify::Zone berlin("Europe/Berlin");
  // The spring-forward day is 23 hours long.
  const auto [s2, e2] = calendar::day_span(chr::year{2027} / 3 / 28, berlin);
  EXPECT_EQ(e2 - s2, hours(23));
}

TEST(Calendar, FullyBookedNamesTheDate) {
  EXPECT_EQ(calendar::fully_booked(chr::year{2027} / 1 / 5), "2027-01-05 is fully booked");
  EXPECT_EQ(calendar::days_in({chr::year{2027} / 1 / 1, chr::year{2027} / 12 / 31}), 365);
}

TEST(CalendarRange, DefaultsToThirtyDaysFromToday) {
  const auto today = chr::year{2026} / 12 / 5;
  const auto r = calendar::parse_range({}, today);
  EXPECT_EQ(r.from, today);
  EXPECT_EQ(r.to, chr::year{2027} / 1 / 3);
  const auto r2 = calendar::parse_range({{"from", "2027-02-01"}}, today);
  EXPECT_EQ(r2.to, chr::year{2027} / 3 / 2);
}

TEST(CalendarRange, AtMost366DaysAndNeverBackwards) {
  const auto today = chr::year{2026} / 12 / 5;
  EXPECT_EQ(refused_at([&] {
              calendar::parse_range({{"from", "2027-01-01"}, {"to", "2028-01-01"}}, today);
            }),
            "");  // 366 days: 2027 has 365, plus the first of 2028
  EXPECT_EQ(refused_at([&] {
              calendar::parse_range({{"from", "2027-01-01"}, {"to", "2028-01-02"}}, today);
            }),
            "query.to");
  EXPECT_EQ(refused_at([&] {
              calendar::parse_range({{"from", "2027-01-02"}, {"to", "2027-01-01"}}, today);
            }),
            "query.to");
  EXPECT_EQ(refused_at([&] {
              calendar::parse_range({{"from", "2027-02-30"}}, today);
            }),
            "query.from");
}

TEST(CalendarInput, DatesAndCapacitiesAreChecked) {
  EXPECT_EQ(calendar::parse_day("2027-01-05"), chr::year{2027} / 1 / 5);
  EXPECT_EQ(refused_at([] { calendar::parse_day("05-01-2027"); }), "path.date");
  EXPECT_EQ(calendar::parse_capacity(boost::json::parse(R"({"capacity": 0})")), 0);
  EXPECT_EQ(refused_at([] { calendar::parse_capacity(boost::json::parse(R"({"capacity": -1})")); }),
            "body.capacity");
  EXPECT_EQ(refused_at([] { calendar::parse_capacity(boost::json::parse(R"({})")); }),
            "body.capacity");
}

TEST(SelfCancel, AllowedWhileOpenAndBeforeTheCutoff) {
  const auto now = utc("2027-01-01T00:00:00Z");
  const auto cutoff = chr::milliseconds(hours(48));
  for (const auto* s : {"pending", "confirmed", "dp"})
    EXPECT_EQ(bookings::cancel_refusal(s, now + hours(48), now, cutoff), std::nullopt) << s;
}

TEST(SelfCancel, RefusedAfterTheCutoffOrForTheOwnersStatuses) {
  const auto now = utc("2027-01-01T00:00:00Z");
  const auto cutoff = chr::milliseconds(hours(48));
  const auto late = bookings::cancel_refusal("pending", now + hours(47), now, cutoff);
  ASSERT_TRUE(late);
  EXPECT_EQ(*late, "Bookings can be cancelled only until 48 hours before the event");
  for (const auto* s : {"paid", "completed", "cancelled"})
    EXPECT_TRUE(bookings::cancel_refusal(s, now + hours(500), now, cutoff)) << s;
  EXPECT_EQ(*bookings::cancel_refusal("pending", now, now + hours(1), chr::hours(72)),
            "Bookings can be cancelled only until 3 days before the event");
}

}  // namespace
}  // namespace janji
