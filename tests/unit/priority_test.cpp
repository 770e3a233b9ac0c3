#include "bookings/priority.hpp"

#include <gtest/gtest.h>

namespace janji::bookings {
namespace {

using std::chrono::hours;

const PriorityRules kRules{};
const Timestamp kNow = *parse_datetime("2026-03-01T12:00:00");

Priority at_days(double days, std::string_view status = "pending", Money price = 50'000'000,
                 long long clients = 1) {
  const auto acara = kNow + std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::duration<double, std::ratio<86400>>(days));
  return compute_priority(kRules, acara, kNow, status, price, clients);
}

TEST(DiffDays, FloorsPartialDaysAndNeverGoesNegative) {
  EXPECT_EQ(diff_days(kNow + hours(47), kNow), 1);
  EXPECT_EQ(diff_days(kNow + hours(48), kNow), 2);
  EXPECT_EQ(diff_days(kNow - hours(1), kNow), 0);
  EXPECT_EQ(diff_days(kNow - hours(24 * 30), kNow), 0);
}

TEST(Urgency, TwoDaysIsUrgentThreeIsSoon) {
  EXPECT_EQ(at_days(2).urgency, "urgent");
  EXPECT_EQ(at_days(2.99).urgency, "urgent");  // floor(2.99) = 2
  EXPECT_EQ(at_days(3).urgency, "soon");
}

TEST(Urgency, SevenDaysIsSoonEightIsUpcoming) {
  EXPECT_EQ(at_days(7).urgency, "soon");
  EXPECT_EQ(at_days(7.99).urgency, "soon");
  EXPECT_EQ(at_days(8).urgency, "upcoming");
}

TEST(Urgency, PastEventsAreUrgent) {
  EXPECT_EQ(at_days(-3).urgency, "urgent");
}

TEST(Monetary, BoundariesAtOneAndAHalfAndThreeMillion) {
  EXPECT_EQ(at_days(30, "pending", 149'999'999).monetary, "regular");
  EXPECT_EQ(at_days(30, "pending", 150'000'000).monetary, "premium");
  EXPECT_EQ(at_days(30, "pending", 299'999'999).monetary, "premium");
  EXPECT_EQ(at_days(30, "pending", 300'000'000).monetary, "vip");
}

TEST(Score, AddsTheFourRules) {
  // upcoming 10 + pending 5 + regular 5 + 1 client 5
  EXPECT_EQ(at_days(30).score, 25);
  // urgent 40 + paid 30 + vip 30 + 3 clients 15
  EXPECT_EQ(at_days(1, "paid", 300'000'000, 3).score, 115);
  // soon 25 + dp 20 + premium 15 + 2 clients 5
  EXPECT_EQ(at_days(5, "dp", 150'000'000, 2).score, 65);
}

TEST(Score, ThreeClientsIsAGroupTwoIsNot) {
  EXPECT_EQ(at_days(30, "pending", 0, 2).score, 25);
  EXPECT_EQ(at_days(30, "pending", 0, 3).score, 35);
}

TEST(Score, OtherStatusesScoreFive) {
  for (auto s : {"pending", "confirmed", "completed", "cancelled"})
    EXPECT_EQ(at_days(30, s).score, 25) << s;
  EXPECT_EQ(at_days(30, "dp").score, 40);
  EXPECT_EQ(at_days(30, "paid").score, 50);
}

TEST(Segment, BoundariesAtFiftyAndEighty) {
  EXPECT_EQ(segment_for_score(kRules, 49), "low");
  EXPECT_EQ(segment_for_score(kRules, 50), "medium");
  EXPECT_EQ(segment_for_score(kRules, 79), "medium");
  EXPECT_EQ(segment_for_score(kRules, 80), "high");
  EXPECT_EQ(at_days(30, "paid").segment, "medium");     // 50
  EXPECT_EQ(at_days(1, "paid", 0, 1).segment, "high");  // 40+30+5+5 = 80
  EXPECT_EQ(at_days(1, "dp", 0, 1).segment, "medium");  // 70
}

TEST(Rules, ThresholdsAreConfigurable) {
  PriorityRules r;
  r.urgent_days = 5;
  r.vip_min = 100;
  const auto p = compute_priority(r, kNow + hours(24 * 4), kNow, "pending", 100, 1);
  EXPECT_EQ(p.urgency, "urgent");
  EXPECT_EQ(p.monetary, "vip");
}

}  // namespace
}  // namespace janji::bookings
