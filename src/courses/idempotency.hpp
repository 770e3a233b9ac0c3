#pragma once

#include "infra/redis/client.hpp"

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace janji::courses {

/// How long a registration's idempotency key is remembered (seed 000: 24 hours).
inline constexpr std::chrono::hours kKeyLifetime{24};

/// The fast path for repeated idempotency keys: a key seen before names its booking without
/// a database round trip. Only a fast path: the store's unique key is the guard, so a
/// cache that misses (or is down) costs time, never a second booking.
class IdempotencyCache {
 public:
  virtual ~IdempotencyCache() = default;
  /// The booking id remembered for `key`, if any.
  virtual boost::asio::awaitable<std::optional<std::string>> find(std::string key) = 0;
  virtual boost::asio::awaitable<void> remember(std::string key, std::string booking_id) = 0;
};

/// Keys remembered in this process only: at most `capacity` of them, the oldest forgotten
/// first (they all live as long, so the oldest is also the first to expire).
class LocalIdempotencyCache final : public IdempotencyCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 100'000;
  explicit LocalIdempotencyCache(std::size_t capacity = kDefaultCapacity)
      : capacity_(std::max<std::size_t>(1, capacity)) {}

  boost::asio::awaitable<std::optional<std::string>> find(std::string key) override;
  /// Like Redis's SET NX: a key already remembered keeps its first booking.
  boost::asio::awaitable<void> remember(std::string key, std::string booking_id) override;
  std::size_t size();

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string booking_id;
    Clock::time_point expires;
  };
  const std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> keys_;
  // The keys (the map's own, which rehashing does not move), oldest first.
  std::deque<const std::string*> order_;
};

/// Keys shared by every instance in Redis, under the original service's
/// `course_registration:{key}` (SET NX EX 86400). With Redis away both calls do nothing:
/// the database decides alone.
class RedisIdempotencyCache final : public IdempotencyCache {
 public:
  explicit RedisIdempotencyCache(redis::Client& client) : client_(client) {}
  boost::asio::awaitable<std::optional<std::string>> find(std::string key) override;
  boost::asio::awaitable<void> remember(std::string key, std::string booking_id) override;

  static std::string redis_key(std::string_view key);

 private:
  redis::Client& client_;
};

}  // namespace janji::courses
