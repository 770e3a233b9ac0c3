// The pure parts of the Redis integration: REDIS_URL, the event wire format, the keys, the
// /health report, and the in-process fallbacks. Nothing here opens a socket.
#include "auth/redis_throttle.hpp"
#include "courses/idempotency.hpp"
#include "infra/crypto/crypto.hpp"
#include "infra/health.hpp"
#include "infra/redis/url.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <stdexcept>

namespace janji {
namespace {

// -- REDIS_URL -------------------------------------------------------------------------------

TEST(RedisUrl, HostPortAndDatabase) {
  const auto u = redis::parse_url("redis://127.0.0.1:6390/3");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 6390);
  EXPECT_EQ(u.db, 3);
  EXPECT_TRUE(u.username.empty());
  EXPECT_TRUE(u.password.empty());
  EXPECT_EQ(u.display(), "127.0.0.1:6390/3");
}

TEST(RedisUrl, DefaultsArePort6379AndDatabaseZero) {
  const auto u = redis::parse_url("redis://cache.internal");
  EXPECT_EQ(u.host, "cache.internal");
  EXPECT_EQ(u.port, 6379);
  EXPECT_EQ(u.db, 0);
  EXPECT_EQ(redis::parse_url("redis://h:1/").db, 0);
}

TEST(RedisUrl, PasswordWithoutUser) {
  const auto u = redis::parse_url("redis://:s3cret@localhost:6380/1");
  EXPECT_TRUE(u.username.empty());
  EXPECT_EQ(u.password, "s3cret");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, 6380);
  EXPECT_EQ(u.db, 1);
}

TEST(RedisUrl, UserAndPercentEncodedPassword) {
  const auto u = redis::parse_url("redis://janji:p%40ss%3Aword@10.0.0.5:6379/0");
  EXPECT_EQ(u.username, "janji");
  EXPECT_EQ(u.password, "p@ss:word");
  EXPECT_EQ(u.host, "10.0.0.5");
}

TEST(RedisUrl, DisplayNeverShowsThePassword) {
  const auto u = redis::parse_url("redis://:topsecret@localhost:6380/2");
  EXPECT_EQ(u.display().find("topsecret"), std::string::npos);
}

TEST(RedisUrl, Ipv6Host) {
  const auto u = redis::parse_url("redis://[::1]:6390/0");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 6390);
}

TEST(RedisUrl, RejectsWhatItCannotServe) {
  for (const char* bad : {"", "localhost:6379", "http://localhost:6379", "rediss://localhost:6379",
                          "redis://localhost:0", "redis://localhost:70000",
                          "redis://localhost:port", "redis://localhost/abc", "redis://localhost/-1",
                          "redis://localhost/1?timeout=3", "unix:///tmp/redis.sock"})
    EXPECT_THROW(redis::parse_url(bad), std::invalid_argument) << bad;
}

TEST(RedisUrl, TlsIsRefusedWithAClearMessage) {
  try {
    redis::parse_url("rediss://localhost:6379");
    FAIL() << "rediss:// accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("TLS"), std::string::npos) << e.what();
  }
}

TEST(RedisKeys, IdempotencyKeyUsesTheOriginalServicesName) {
  EXPECT_EQ(courses::RedisIdempotencyCache::redis_key("0b6f7a1e-0000-4000-8000-000000000001"),
            "course_registration:0b6f7a1e-0000-4000-8000-000000000001");
}

TEST(RedisKeys, LoginEmailKeyIgnoresCaseAndStaysShort) {
  crypto::init();
  const auto a = auth::RedisLoginLimiter::email_key("Ana@Example.TEST");
  EXPECT_EQ(a, auth::RedisLoginLimiter::email_key("ana@example.test"));
  EXPECT_NE(a, auth::RedisLoginLimiter::email_key("ana2@example.test"));
  EXPECT_EQ(a.find("ana"), std::string::npos);  // hashed, not the address itself
  EXPECT_LT(auth::RedisLoginLimiter::email_key(std::string(100000, 'x') + "@b.test").size(), 120u);
  EXPECT_NE(auth::RedisLoginLimiter::address_key("127.0.0.1"), a);
}

// -- /health ---------------------------------------------------------------------------------

TEST(Health, WithoutRedisTheBodyIsUnchanged) {
  const auto r = health_report({Probe::kOk, Probe::kNotConfigured});
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, (boost::json::object{{"status", "ok"}}));
}

TEST(Health, RedisUpIsOkAndNamesEachPart) {
  const auto r = health_report({Probe::kOk, Probe::kOk});
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, (boost::json::object{{"status", "ok"}, {"database", "ok"}, {"redis", "ok"}}));
}

TEST(Health, RedisDownIsDegradedButStill200) {
  const auto r = health_report({Probe::kOk, Probe::kUnavailable});
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, (boost::json::object{
                        {"status", "degraded"}, {"database", "ok"}, {"redis", "unavailable"}}));
}

TEST(Health, DatabaseDownIs503WhateverRedisSays) {
  for (auto redis : {Probe::kNotConfigured, Probe::kOk, Probe::kUnavailable}) {
    const auto r = health_report({Probe::kUnavailable, redis});
    EXPECT_EQ(r.status, 503u);
    EXPECT_EQ(r.body.at("status"), "unavailable");
    EXPECT_EQ(r.body.at("database"), "unavailable");
  }
}

// -- in-process fallbacks ---------------------------------------------------------------------

template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> a) {
  auto f = boost::asio::co_spawn(io, std::move(a), boost::asio::use_future);
  io.restart();
  io.run();
  return f.get();
}

TEST(LocalIdempotencyCache, RemembersTheFirstBookingOfAKey) {
  boost::asio::io_context io;
  courses::LocalIdempotencyCache cache;
  EXPECT_FALSE(run(io, cache.find("k1")).has_value());
  run(io, [&]() -> boost::asio::awaitable<int> {
    co_await cache.remember("k1", "booking-1");
    co_return 0;
  }());
  EXPECT_EQ(run(io, cache.find("k1")), std::optional<std::string>("booking-1"));
  EXPECT_FALSE(run(io, cache.find("k2")).has_value());
}

TEST(LocalIdempotencyCache, KeepsTheFirstBookingLikeSetNx) {
  boost::asio::io_context io;
  courses::LocalIdempotencyCache cache;
  run(io, [&]() -> boost::asio::awaitable<int> {
    co_await cache.remember("k1", "booking-1");
    co_await cache.remember("k1", "booking-2");
    co_return 0;
  }());
  EXPECT_EQ(run(io, cache.find("k1")), std::optional<std::string>("booking-1"));
  EXPECT_EQ(cache.size(), 1u);
}

TEST(LocalIdempotencyCache, ForgetsTheOldestKeysBeyondItsCapacity) {
  boost::asio::io_context io;
  courses::LocalIdempotencyCache cache(1000);
  run(io, [&]() -> boost::asio::awaitable<int> {
    for (int i = 0; i < 5000; ++i)
      co_await cache.remember("key-" + std::to_string(i), "booking-" + std::to_string(i));
    co_return 0;
  }());
  EXPECT_EQ(cache.size(), 1000u);
  EXPECT_FALSE(run(io, cache.find("key-0")).has_value());
  EXPECT_FALSE(run(io, cache.find("key-3999")).has_value());
  EXPECT_EQ(run(io, cache.find("key-4000")), std::optional<std::string>("booking-4000"));
  EXPECT_EQ(run(io, cache.find("key-4999")), std::optional<std::string>("booking-4999"));
}

TEST(LocalLoginLimiter, CountsFailuresLikeTheThrottle) {
  boost::asio::io_context io;
  auth::LocalLoginLimiter limiter(2, 100, std::chrono::seconds(60));
  auto fail = [&]() -> boost::asio::awaitable<int> {
    co_await limiter.record_failure("a@b.test", "10.0.0.1");
    co_return 0;
  };
  EXPECT_EQ(run(io, limiter.retry_after("a@b.test", "10.0.0.1")), 0);
  run(io, fail());
  EXPECT_EQ(run(io, limiter.retry_after("A@B.test", "10.0.0.2")), 0);
  run(io, fail());
  const int wait = run(io, limiter.retry_after("A@B.test", "10.0.0.2"));
  EXPECT_GE(wait, 59);
  EXPECT_LE(wait, 60);
  run(io, [&]() -> boost::asio::awaitable<int> {
    co_await limiter.record_success("a@b.test");
    co_return 0;
  }());
  EXPECT_EQ(run(io, limiter.retry_after("a@b.test", "10.0.0.1")), 0);
}

}  // namespace
}  // namespace janji
