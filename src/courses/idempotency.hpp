#pragma once

#include "infra/redis/client.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
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

/// Keys remembered in this process only.
class LocalIdempotencyCache final : public IdempotencyCache {
 public:
  boost::asio::awaitable<std::optional<std::string>> find(std::string key) override;
  boost::asio::awaitable<void> remember(std::string key, std::string booking_id) override;

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::pair<std::string, std::chrono::steady_clock::time_point>>
      keys_;
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
