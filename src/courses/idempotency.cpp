#include "courses/idempotency.hpp"

#include <spdlog/spdlog.h>

namespace janji::courses {

boost::asio::awaitable<std::optional<std::string>> LocalIdempotencyCache::find(std::string key) {
  std::lock_guard lock(mutex_);
  const auto it = keys_.find(key);
  if (it == keys_.end()) co_return std::nullopt;
  if (it->second.second < std::chrono::steady_clock::now()) {
    keys_.erase(it);
    co_return std::nullopt;
  }
  co_return it->second.first;
}

boost::asio::awaitable<void> LocalIdempotencyCache::remember(std::string key,
                                                             std::string booking_id) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (keys_.size() > 100000)
    std::erase_if(keys_, [now](const auto& kv) { return kv.second.second < now; });
  keys_[std::move(key)] = {std::move(booking_id), now + kKeyLifetime};
  co_return;
}

std::string RedisIdempotencyCache::redis_key(std::string_view key) {
  return "course_registration:" + std::string(key);
}

boost::asio::awaitable<std::optional<std::string>> RedisIdempotencyCache::find(std::string key) {
  try {
    auto work = [k = redis_key(key)](redis::Connection& c) -> std::optional<std::string> {
      auto r = c.command({"GET", k});
      if (r.type != redis::Reply::Type::kString) return std::nullopt;
      return std::move(r.str);
    };
    co_return co_await client_.run(std::move(work));
  } catch (const redis::Error& e) {
    // Unreachable Redis is logged once per outage by the client; an error reply is not.
    if (!e.connection_lost()) spdlog::warn("idempotency key lookup failed: {}", e.what());
    co_return std::nullopt;
  }
}

boost::asio::awaitable<void> RedisIdempotencyCache::remember(std::string key,
                                                             std::string booking_id) {
  try {
    const auto ttl = std::to_string(std::chrono::seconds(kKeyLifetime).count());
    auto work = [k = redis_key(key), v = std::move(booking_id), ttl](redis::Connection& c) {
      // NX: the first booking stays named, whichever instance writes last.
      c.command({"SET", k, v, "NX", "EX", ttl});
    };
    co_await client_.run(std::move(work));
  } catch (const redis::Error& e) {
    if (!e.connection_lost()) spdlog::warn("remembering an idempotency key failed: {}", e.what());
  }
}

}  // namespace janji::courses
