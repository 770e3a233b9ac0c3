#include "auth/throttle.hpp"

#include <gtest/gtest.h>

namespace janji::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using Clock = LoginThrottle::Clock;

const Clock::time_point kT0 = Clock::time_point{} + std::chrono::hours(1000);
constexpr auto kWindow = seconds(60);

TEST(LoginThrottle, NoFailuresMeansNoWait) {
  LoginThrottle t(3, 10, kWindow);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0), 0);
}

TEST(LoginThrottle, UnderTheEmailLimitMeansNoWait) {
  LoginThrottle t(3, 10, kWindow);
  t.record_failure("a@x.test", "10.0.0.1", kT0);
  t.record_failure("a@x.test", "10.0.0.1", kT0 + seconds(1));
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + seconds(2)), 0);
}

TEST(LoginThrottle, AtTheLimitWaitUntilTheOldestFailureLeavesTheWindow) {
  LoginThrottle t(3, 10, kWindow);
  t.record_failure("a@x.test", "10.0.0.1", kT0);
  t.record_failure("a@x.test", "10.0.0.1", kT0 + seconds(10));
  t.record_failure("a@x.test", "10.0.0.1", kT0 + seconds(20));
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + seconds(20)), 40);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + seconds(45)), 15);
}

TEST(LoginThrottle, PartialSecondsRoundUpAndNeverGoBelowOne) {
  LoginThrottle t(1, 10, kWindow);
  t.record_failure("a@x.test", "10.0.0.1", kT0);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + milliseconds(59'500)), 1);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + milliseconds(58'200)), 2);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + milliseconds(59'999)), 1);
}

TEST(LoginThrottle, AfterTheWindowPassesTheWaitIsZeroAgain) {
  LoginThrottle t(3, 10, kWindow);
  for (int i = 0; i < 3; ++i) t.record_failure("a@x.test", "10.0.0.1", kT0 + seconds(i));
  ASSERT_GT(t.retry_after("a@x.test", "10.0.0.1", kT0 + seconds(59)), 0);
  // The first failure leaves at kT0 + 60 s: two remain, under the limit.
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + seconds(60)), 0);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + minutes(10)), 0);
}

TEST(LoginThrottle, FailuresKeepCountingWhileThrottled) {
  LoginThrottle t(2, 10, kWindow);
  t.record_failure("a@x.test", "10.0.0.1", kT0);
  t.record_failure("a@x.test", "10.0.0.1", kT0 + seconds(1));
  t.record_failure("a@x.test", "10.0.0.1", kT0 + seconds(30));
  // The two newest failures (1 s and 30 s) decide: the one at 1 s leaves at 61 s.
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + seconds(31)), 30);
}

TEST(LoginThrottle, SuccessClearsTheEmailsFailuresButNotTheAddresss) {
  LoginThrottle t(3, 3, kWindow);
  for (int i = 0; i < 3; ++i) t.record_failure("a@x.test", "10.0.0.1", kT0);
  ASSERT_GT(t.retry_after("a@x.test", "10.0.0.2", kT0 + seconds(1)), 0);
  ASSERT_GT(t.retry_after("b@x.test", "10.0.0.1", kT0 + seconds(1)), 0);

  t.record_success("a@x.test");
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.2", kT0 + seconds(1)), 0);
  EXPECT_GT(t.retry_after("b@x.test", "10.0.0.1", kT0 + seconds(1)), 0);
}

TEST(LoginThrottle, EmailKeysAreCaseInsensitive) {
  LoginThrottle t(2, 100, kWindow);
  t.record_failure("User@Example.COM", "10.0.0.1", kT0);
  t.record_failure("user@example.com", "10.0.0.2", kT0);
  EXPECT_GT(t.retry_after("USER@EXAMPLE.COM", "10.0.0.3", kT0), 0);

  t.record_success("uSeR@eXaMpLe.CoM");
  EXPECT_EQ(t.retry_after("user@example.com", "10.0.0.3", kT0), 0);
}

TEST(LoginThrottle, AddressLimitIsIndependentOfTheEmail) {
  LoginThrottle t(100, 3, kWindow);
  t.record_failure("a@x.test", "10.0.0.1", kT0);
  t.record_failure("b@x.test", "10.0.0.1", kT0);
  EXPECT_EQ(t.retry_after("fresh@x.test", "10.0.0.1", kT0), 0);
  t.record_failure("c@x.test", "10.0.0.1", kT0);
  EXPECT_EQ(t.retry_after("fresh@x.test", "10.0.0.1", kT0 + seconds(10)), 50);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.9", kT0 + seconds(10)), 0);
}

TEST(LoginThrottle, EmailLimitAppliesFromAnyAddress) {
  LoginThrottle t(3, 100, kWindow);
  t.record_failure("a@x.test", "10.0.0.1", kT0);
  t.record_failure("a@x.test", "10.0.0.2", kT0);
  t.record_failure("a@x.test", "10.0.0.3", kT0);
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.4", kT0), 60);
  EXPECT_EQ(t.retry_after("b@x.test", "10.0.0.1", kT0), 0);
}

TEST(LoginThrottle, TheLongerOfTheTwoWaitsWins) {
  LoginThrottle t(2, 2, kWindow);
  t.record_failure("a@x.test", "10.0.0.1", kT0);  // address's oldest
  t.record_failure("a@x.test", "10.0.0.2", kT0 + seconds(20));
  t.record_failure("a@x.test", "10.0.0.2", kT0 + seconds(30));  // email now: 20 s and 30 s
  t.record_failure("b@x.test", "10.0.0.1", kT0 + seconds(30));  // address 10.0.0.1: 0 s, 30 s
  // email a: oldest 20 s → 50 s left at 30 s; address 10.0.0.1: oldest 0 s → 30 s left.
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.1", kT0 + seconds(30)), 50);
}

TEST(LoginThrottle, PruningOldKeysDoesNotForgetRecentFailures) {
  LoginThrottle t(2, 100, kWindow);
  t.record_failure("old@x.test", "10.0.0.1", kT0);
  t.record_failure("a@x.test", "10.0.0.2", kT0 + minutes(5));
  // This failure triggers a prune (more than a minute since the last one).
  t.record_failure("a@x.test", "10.0.0.2", kT0 + minutes(5) + seconds(1));
  EXPECT_EQ(t.retry_after("a@x.test", "10.0.0.3", kT0 + minutes(5) + seconds(2)), 58);
  EXPECT_EQ(t.retry_after("old@x.test", "10.0.0.3", kT0 + minutes(5) + seconds(2)), 0);
}

}  // namespace
}  // namespace janji::auth
