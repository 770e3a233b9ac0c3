#pragma once

#include "auth/store.hpp"
#include "auth/throttle.hpp"
#include "http/router.hpp"
#include "infra/blocking_pool.hpp"

#include <atomic>
#include <chrono>

namespace janji::auth {

/// Registration, login, tokens, and the access check the dispatcher makes for every route.
class AuthService final : public http::AccessGuard {
 public:
  AuthService(UserStore& users, BlockingPool& hash_pool, std::string secret,
              std::chrono::minutes token_ttl, LoginLimiter& throttle);

  boost::asio::awaitable<User> register_user(NewUser user, std::string password);
  /// Returns a fresh access token; 401 on bad credentials, 429 once throttled.
  boost::asio::awaitable<std::string> login(std::string email, std::string password,
                                            std::string client_address);

  /// The route's access check: the user behind the request's Bearer token (or
  /// `?access_token=` where the route allows it); 401 "Not authenticated" when there is
  /// none, "Could not validate credentials" when it is invalid, expired or names a user
  /// that no longer exists; 403 when an admin route is called by a customer. A public
  /// route with an `admin_flag` identifies a caller who sends a token.
  boost::asio::awaitable<void> admit(http::Request& req, const http::RouteDoc& doc) override;

  boost::asio::awaitable<User> update_profile(const User& user, ProfileUpdate update);

  /// Lets a scraper that sends `token` as its bearer token read routes declared
  /// Access::kMetrics (METRICS_TOKEN); empty: admins only.
  void accept_metrics_token(std::string token) { metrics_token_ = std::move(token); }
  /// Password hashes waiting or being computed now.
  int pending_hashes() const { return pending_hashes_.load(std::memory_order_relaxed); }

  std::string issue_token(const User& user) const;
  /// The id of the user a token names; checks the token but not that the user exists.
  std::int64_t token_subject(const http::Request& req, bool allow_query_token) const;

  /// Password work waiting or running at most; beyond it requests get a fast 503 rather than
  /// queueing without bound behind a login flood.
  static constexpr int kMaxPendingHashes = 64;

 private:
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> hash_work(F fn);

  UserStore& users_;
  BlockingPool& hash_pool_;
  std::string secret_;
  std::chrono::minutes token_ttl_;
  LoginLimiter& throttle_;
  std::atomic<int> pending_hashes_{0};
  std::string metrics_token_;
};

}  // namespace janji::auth
