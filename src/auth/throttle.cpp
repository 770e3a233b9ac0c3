#include "auth/throttle.hpp"

#include <algorithm>
#include <cctype>

namespace janji::auth {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

LoginThrottle::LoginThrottle(int max_per_email, int max_per_address, std::chrono::seconds window)
    : max_per_email_(max_per_email), max_per_address_(max_per_address), window_(window) {}

int LoginThrottle::wait_for(std::unordered_map<std::string, Failures>& map, const std::string& key,
                            int max, Clock::time_point now) {
  auto it = map.find(key);
  if (it == map.end()) return 0;
  auto& q = it->second;
  while (!q.empty() && q.front() + window_ <= now) q.pop_front();
  if (static_cast<int>(q.size()) < max) return 0;
  const auto wait = std::chrono::ceil<std::chrono::seconds>(q.front() + window_ - now).count();
  return static_cast<int>(std::max<long long>(1, wait));
}

int LoginThrottle::retry_after(std::string_view email, std::string_view address,
                               Clock::time_point now) {
  std::lock_guard lock(mutex_);
  return std::max(wait_for(by_email_, lower(email), max_per_email_, now),
                  wait_for(by_address_, std::string(address), max_per_address_, now));
}

void LoginThrottle::record_failure(std::string_view email, std::string_view address,
                                   Clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune(now);
  // Keep at most `max` entries per key: older ones cannot matter to the decision.
  auto add = [&](Failures& q, int max) {
    q.push_back(now);
    while (static_cast<int>(q.size()) > max) q.pop_front();
  };
  add(by_email_[lower(email)], max_per_email_);
  add(by_address_[std::string(address)], max_per_address_);
}

void LoginThrottle::record_success(std::string_view email) {
  std::lock_guard lock(mutex_);
  by_email_.erase(lower(email));
}

void LoginThrottle::prune(Clock::time_point now) {
  // Forget keys whose failures all left the window, at most once a minute.
  if (now - last_prune_ < std::chrono::minutes(1)) return;
  last_prune_ = now;
  for (auto* map : {&by_email_, &by_address_})
    std::erase_if(*map,
                  [&](auto& kv) { return kv.second.empty() || kv.second.back() + window_ <= now; });
}

boost::asio::awaitable<int> LocalLoginLimiter::retry_after(std::string email, std::string address) {
  co_return throttle_.retry_after(email, address, LoginThrottle::Clock::now());
}

boost::asio::awaitable<void> LocalLoginLimiter::record_failure(std::string email,
                                                               std::string address) {
  throttle_.record_failure(email, address, LoginThrottle::Clock::now());
  co_return;
}

boost::asio::awaitable<void> LocalLoginLimiter::record_success(std::string email) {
  throttle_.record_success(email);
  co_return;
}

}  // namespace janji::auth
