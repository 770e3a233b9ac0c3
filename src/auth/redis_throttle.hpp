#pragma once

#include "auth/throttle.hpp"
#include "infra/redis/client.hpp"

namespace janji::auth {

/// Failed logins counted in Redis, shared by every instance: one sorted set per e-mail and
/// per address holding the failures' times (Redis' clock, so instances need not agree on
/// theirs), trimmed to the window and to the limit, expiring with the window. While Redis
/// is away the failures are counted in this process instead.
class RedisLoginLimiter final : public LoginLimiter {
 public:
  RedisLoginLimiter(redis::Client& client, int max_per_email, int max_per_address,
                    std::chrono::seconds window);

  boost::asio::awaitable<int> retry_after(std::string email, std::string address) override;
  boost::asio::awaitable<void> record_failure(std::string email, std::string address) override;
  boost::asio::awaitable<void> record_success(std::string email) override;

  /// The keys used for an e-mail (case-insensitive; hashed, so any length is one short key)
  /// and for an address.
  static std::string email_key(std::string_view email);
  static std::string address_key(std::string_view address);

 private:
  // EVAL of `script` over the e-mail's and the address' keys, with the limits and window.
  std::vector<std::string> eval_args(std::string_view script, std::string_view email,
                                     std::string_view address) const;
  redis::Client& client_;
  int max_per_email_;
  int max_per_address_;
  std::chrono::seconds window_;
  LocalLoginLimiter fallback_;
};

}  // namespace janji::auth
