#include "courses/idempotency.hpp"

#include <spdlog/spdlog.h>

namespace janji::courses {

boost::asio::awaitable<std::optional<std::string>> LocalIdempotencyCache::find(std::string key) {
  std::lock_guard lock(mutex_);
  const auto it = keys_.find(key);
  // An expired key stays until it is the oldest; it is just not answered.
  if (it == keys_.end() || it->second.expires < Clock::now()) co_return std::nullopt;
  co_return it->second.booking_id;
}

boost::asio::awaitable<void> LocalIdempotencyCache::remember(std::string key,
                                                             std::string booking_id) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  // Each call forgets at most a few: every entry is queued exactly once.
  while (!order_.empty()) {
    const auto oldest = keys_.find(*order_.front());
    if (keys_.size() < capacity_ && oldest->second.expires >= now) break;
    keys_.erase(oldest);
    order_.pop_front();
  }
  const auto [it, inserted] =
      keys_.try_emplace(std::move(key), Entry{std::move(booking_id), now + kKeyLifetime});
  if (inserted) order_.push_back(&it->first);
  co_return;
}

std::size_t LocalIdempotencyCache::size() {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

std::string RedisIdempotencyCache::redis_key(std::string_view key) {
  return "course_registration:" + std::string(key);
}

boost::asio::awaitable<std::optional<std::string>> RedisIdempotencyCache::find(std::string key) {
  try {
    std::vector<std::string> get{"GET", redis_key(key)};
    auto r = co_await client_.call(std::move(get));
    if (r.type != redis::Reply::Type::kString) co_return std::nullopt;
    co_return std::move(r.str);
  } catch (const redis::Error& e) {
    // Unreachable Redis is logged once per outage by the client; an error reply is not.
    if (!e.connection_lost()) spdlog::warn("idempotency key lookup failed: {}", e.what());
    co_return std::nullopt;
  }
}

boost::asio::awaitable<void> RedisIdempotencyCache::remember(std::string key,
                                                             std::string booking_id) {
  try {
    // NX: the first booking stays named, whichever instance writes last.
    std::vector<std::string> set{
        "SET", redis_key(key), std::move(booking_id),
        "NX",  "EX",           std::to_string(std::chrono::seconds(kKeyLifetime).count())};
    co_await client_.call(std::move(set));
  } catch (const redis::Error& e) {
    if (!e.connection_lost()) spdlog::warn("remembering an idempotency key failed: {}", e.what());
  }
}

}  // namespace janji::courses
