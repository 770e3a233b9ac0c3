#pragma once

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

}  // namespace janji::auth
