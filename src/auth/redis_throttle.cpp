#include "auth/redis_throttle.hpp"

#include "core/text.hpp"
#include "infra/crypto/crypto.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace janji::auth {

namespace {

// KEYS: e-mail set, address set. ARGV: the two limits, the window in microseconds.
// Returns the wait in microseconds (0: go ahead), as LoginThrottle decides it: with `max`
// failures inside the window, wait until the oldest of the newest `max` leaves it.
constexpr std::string_view kRetryAfterScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[3])
local wait = 0
for i = 1, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%d', now - window))
  local max = tonumber(ARGV[i])
  local n = redis.call('ZCARD', KEYS[i])
  if n >= max then
    local oldest = redis.call('ZRANGE', KEYS[i], n - max, n - max, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
  end
end
return string.format('%d', wait)
)lua";

// KEYS: e-mail set, address set. ARGV: the two limits, the window in microseconds, a
// random tag that keeps two failures in the same microsecond apart.
constexpr std::string_view kRecordFailureScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[3])
local at = string.format('%d', now)
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], at, at .. ':' .. ARGV[4])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%d', now - window))
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(tonumber(ARGV[i]) + 1))
  redis.call('PEXPIRE', KEYS[i], string.format('%d', math.ceil(window / 1000)))
end
return 1
)lua";

void log_refused(const redis::Error& e) {
  // Unreachable Redis is logged once per outage by the client; an error reply is not.
  if (!e.connection_lost()) spdlog::warn("login throttle: Redis refused a command: {}", e.what());
}

}  // namespace

RedisLoginLimiter::RedisLoginLimiter(redis::Client& client, int max_per_email, int max_per_address,
                                     std::chrono::seconds window)
    : client_(client),
      max_per_email_(max_per_email),
      max_per_address_(max_per_address),
      window_(window),
      fallback_(max_per_email, max_per_address, window) {}

std::string RedisLoginLimiter::email_key(std::string_view email) {
  return "janji:login_failures:email:" + crypto::hex(crypto::sha256(ascii_lower(email)));
}

std::string RedisLoginLimiter::address_key(std::string_view address) {
  return "janji:login_failures:address:" + std::string(address);
}

std::vector<std::string> RedisLoginLimiter::eval_args(std::string_view script,
                                                      std::string_view email,
                                                      std::string_view address) const {
  return {"EVAL",
          std::string(script),
          "2",
          email_key(email),
          address_key(address),
          std::to_string(max_per_email_),
          std::to_string(max_per_address_),
          std::to_string(std::chrono::microseconds(window_).count())};
}

boost::asio::awaitable<int> RedisLoginLimiter::retry_after(std::string email, std::string address) {
  try {
    auto eval = eval_args(kRetryAfterScript, email, address);
    const auto reply = co_await client_.call(std::move(eval));
    const long long wait_us = std::stoll(reply.str);
    if (wait_us <= 0) co_return 0;
    co_return static_cast<int>(std::max<long long>(1, (wait_us + 999'999) / 1'000'000));
  } catch (const redis::Error& e) {
    log_refused(e);
  } catch (const std::logic_error& e) {
    spdlog::warn("login throttle: unexpected Redis reply: {}", e.what());
  }
  co_return co_await fallback_.retry_after(std::move(email), std::move(address));
}

boost::asio::awaitable<void> RedisLoginLimiter::record_failure(std::string email,
                                                               std::string address) {
  try {
    auto eval = eval_args(kRecordFailureScript, email, address);
    eval.push_back(crypto::random_hex(8));
    co_await client_.call(std::move(eval));
    co_return;
  } catch (const redis::Error& e) {
    log_refused(e);
  }
  co_await fallback_.record_failure(std::move(email), std::move(address));
}

boost::asio::awaitable<void> RedisLoginLimiter::record_success(std::string email) {
  co_await fallback_.record_success(email);
  try {
    std::vector<std::string> del{"DEL", email_key(email)};
    co_await client_.call(std::move(del));
  } catch (const redis::Error& e) {
    log_refused(e);
  }
}

}  // namespace janji::auth
