#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace janji::auth {

/// Counts failed logins per e-mail and per client address in a sliding window. Once a key
/// has `max` failures inside the window it must wait until the oldest one leaves it.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  LoginThrottle(int max_per_email, int max_per_address, std::chrono::seconds window);

  /// Seconds to wait before another try is allowed; 0 when it may go ahead.
  int retry_after(std::string_view email, std::string_view address, Clock::time_point now);
  void record_failure(std::string_view email, std::string_view address, Clock::time_point now);
  /// A successful login forgives the e-mail's failures, not the address's.
  void record_success(std::string_view email);

 private:
  using Failures = std::deque<Clock::time_point>;
  int wait_for(std::unordered_map<std::string, Failures>& map, const std::string& key, int max,
               Clock::time_point now);
  void prune(Clock::time_point now);

  int max_per_email_;
  int max_per_address_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> by_email_;
  std::unordered_map<std::string, Failures> by_address_;
  Clock::time_point last_prune_{};
};

/// Where failed logins are counted before a login is refused with 429: in this process, or
/// in Redis so that any number of instances together allow what one would.
class LoginLimiter {
 public:
  virtual ~LoginLimiter() = default;
  /// Seconds to wait before another try is allowed; 0 when it may go ahead.
  virtual boost::asio::awaitable<int> retry_after(std::string email, std::string address) = 0;
  virtual boost::asio::awaitable<void> record_failure(std::string email, std::string address) = 0;
  /// A successful login forgives the e-mail's failures, not the address's.
  virtual boost::asio::awaitable<void> record_success(std::string email) = 0;
};

/// A LoginThrottle of this process, on the steady clock.
class LocalLoginLimiter final : public LoginLimiter {
 public:
  LocalLoginLimiter(int max_per_email, int max_per_address, std::chrono::seconds window)
      : throttle_(max_per_email, max_per_address, window) {}

  boost::asio::awaitable<int> retry_after(std::string email, std::string address) override;
  boost::asio::awaitable<void> record_failure(std::string email, std::string address) override;
  boost::asio::awaitable<void> record_success(std::string email) override;

 private:
  LoginThrottle throttle_;
};

}  // namespace janji::auth
