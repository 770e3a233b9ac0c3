#pragma once

#include "auth/store.hpp"
#include "auth/throttle.hpp"
#include "http/message.hpp"
#include "infra/blocking_pool.hpp"

#include <atomic>
#include <chrono>

namespace janji::auth {

/// Registration, login, tokens and the checks every protected route makes.
class AuthService {
 public:
  AuthService(UserStore& users, BlockingPool& hash_pool, std::string secret,
              std::chrono::minutes token_ttl, LoginLimiter& throttle);

  boost::asio::awaitable<User> register_user(NewUser user, std::string password);
  /// Returns a fresh access token; 401 on bad credentials, 429 once throttled.
  boost::asio::awaitable<std::string> login(std::string email, std::string password,
                                            std::string client_address);

  /// The user behind the request's Bearer token (or `?access_token=` when allowed); 401
  /// with "Not authenticated" when there is none, "Could not validate credentials" when it
  /// is invalid, expired or names a user that no longer exists.
  boost::asio::awaitable<User> authenticate(const http::Request& req,
                                            bool allow_query_token = false);
  /// The id of the user the request's token names, checking the token but not that the
  /// user still exists: for a write that looks the user up in its own transaction (and
  /// answers 401 itself when it is gone), saving a database round trip.
  std::int64_t token_subject(const http::Request& req, bool allow_query_token = false) const;
  /// As authenticate, then 403 unless the user is an admin.
  boost::asio::awaitable<User> require_admin(const http::Request& req,
                                             bool allow_query_token = false);

  boost::asio::awaitable<User> update_profile(const User& user, ProfileUpdate update);

  std::string issue_token(const User& user) const;

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
};

}  // namespace janji::auth
