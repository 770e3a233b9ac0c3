#include "auth/service.hpp"

#include "http/body.hpp"
#include "infra/crypto/crypto.hpp"
#include "infra/crypto/jwt.hpp"
#include "infra/crypto/password.hpp"

#include <charconv>

namespace janji::auth {

AuthService::AuthService(UserStore& users, BlockingPool& hash_pool, std::string secret,
                         std::chrono::minutes token_ttl, LoginLimiter& throttle)
    : users_(users),
      hash_pool_(hash_pool),
      secret_(std::move(secret)),
      token_ttl_(token_ttl),
      throttle_(throttle) {}

template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> AuthService::hash_work(F fn) {
  if (pending_hashes_.fetch_add(1) >= kMaxPendingHashes) {
    pending_hashes_.fetch_sub(1);
    auto busy = ApiError::unavailable("Too many logins in progress; try again shortly");
    throw busy;
  }
  struct Release {
    std::atomic<int>& n;
    ~Release() { n.fetch_sub(1); }
  } release{pending_hashes_};
  co_return co_await hash_pool_.run(std::move(fn));
}

std::string AuthService::issue_token(const User& user) const {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(now_utc().time_since_epoch());
  return crypto::jwt_sign({std::to_string(user.id), now.count(), (now + token_ttl_).count()},
                          secret_);
}

boost::asio::awaitable<User> AuthService::register_user(NewUser user, std::string password) {
  user.role = "customer";
  auto hash = co_await hash_work([&] { return crypto::hash_password(password); });
  co_return co_await users_.create(std::move(user), std::move(hash));
}

boost::asio::awaitable<std::string> AuthService::login(std::string email, std::string password,
                                                       std::string client_address) {
  if (const int wait = co_await throttle_.retry_after(email, client_address))
    throw ApiError::too_many_requests("Too many failed login attempts; try again later", wait);

  auto creds = co_await users_.find_credentials(email);
  const auto check = co_await hash_work([&] {
    if (!creds) {
      crypto::burn_password_check(password);
      return crypto::PasswordCheck::kMismatch;
    }
    return crypto::verify_password(password, creds->hashed_password);
  });

  if (check == crypto::PasswordCheck::kMismatch) {
    co_await throttle_.record_failure(email, client_address);
    throw ApiError::unauthorized("Incorrect email or password");
  }
  co_await throttle_.record_success(email);
  if (check == crypto::PasswordCheck::kMatchNeedsRehash) {
    auto hash = co_await hash_work([&] { return crypto::hash_password(password); });
    co_await users_.set_password_hash(creds->user.id, std::move(hash));
  }
  co_return issue_token(creds->user);
}

std::int64_t AuthService::token_subject(const http::Request& req, bool allow_query_token) const {
  auto token = http::bearer_token(req);
  if (!token && allow_query_token) token = req.query_value("access_token");
  if (!token) throw ApiError::unauthorized("Not authenticated");

  const auto result = crypto::jwt_verify(*token, secret_, now_utc());
  std::int64_t id = 0;
  if (!result.claims) throw ApiError::unauthorized("Could not validate credentials");
  const auto& sub = result.claims->sub;
  if (std::from_chars(sub.data(), sub.data() + sub.size(), id).ec != std::errc{} || id <= 0)
    throw ApiError::unauthorized("Could not validate credentials");
  return id;
}

boost::asio::awaitable<void> AuthService::admit(http::Request& req, const http::RouteDoc& doc) {
  auto need = http::required_access(doc, req);
  if (need == http::Access::kPublic) co_return;
  if (need == http::Access::kMetrics) {
    const auto token = http::bearer_token(req);
    if (!metrics_token_.empty() && token && crypto::constant_time_equal(*token, metrics_token_))
      co_return;
    need = http::Access::kAdmin;
  }
  req.user_id = token_subject(req, doc.query_token);
  if (doc.token_only && need == http::Access::kUser) co_return;
  auto caller = co_await users_.find_caller(req.user_id);
  if (!caller.user) throw ApiError::unauthorized("Could not validate credentials");
  if (need == http::Access::kAdmin && !caller.user->is_admin())
    throw ApiError::forbidden("Not enough permissions");
  req.user = std::move(caller.user);
  req.data_version = std::move(caller.data_version);
}

boost::asio::awaitable<User> AuthService::update_profile(const User& user, ProfileUpdate update) {
  co_return co_await users_.update_profile(user.id, std::move(update));
}

}  // namespace janji::auth
