#pragma once

#include "auth/dto.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/awaitable.hpp>

namespace janji::auth {

/// What login needs: the user and the stored hash. Never leaves the auth service.
struct Credentials {
  User user;
  std::string hashed_password;
};

enum class AdminOutcome { kCreated, kPromoted, kPasswordReset, kExists };
enum class AdminPolicy {
  kCreateOnly,       // ADMIN_EMAIL at start: never touch an existing account
  kCreateOrPromote,  // `janji admin create`: the operator's word also sets the password
};

/// A signed-in caller as the access check finds them, with the data's version read in the
/// same statement where every connection shares one (db::shared_data_version).
struct Caller {
  std::optional<User> user;
  std::optional<std::string> data_version;
};

/// Users in the store. Written once against the dialect seam: the statements are plain SQL
/// that SQLite and PostgreSQL both accept.
class UserStore {
 public:
  explicit UserStore(db::Runner& db);

  /// Throws a 400 "Email already registered" when the address is taken (case-insensitive).
  boost::asio::awaitable<User> create(NewUser user, std::string hashed_password);
  boost::asio::awaitable<Caller> find_caller(std::int64_t id);
  boost::asio::awaitable<std::optional<Credentials>> find_credentials(std::string email);
  boost::asio::awaitable<User> update_profile(std::int64_t id, ProfileUpdate update);
  boost::asio::awaitable<void> set_password_hash(std::int64_t id, std::string hashed_password);

 private:
  db::Runner& db_;
  const std::string select_caller_;  // the user by id, and the data's version beside
};

/// Blocking versions for command-line tools that run outside the server, and for writes
/// that look the user up inside their own transaction.
std::optional<User> find_user(db::Connection& c, std::int64_t id);
/// find_user, asked for soon (see db::Connection).
db::Soon<std::optional<User>> find_user_soon(db::Connection& c, std::int64_t id);
std::optional<User> find_user_by_email(db::Connection& c, const std::string& email);
User insert_user(db::Connection& c, const NewUser& user, const std::string& hashed_password);
/// Inserts `user` with the id `id` (an import keeps the ids it was given).
void insert_imported_user(db::Connection& c, std::int64_t id, const NewUser& user,
                          const std::string& hashed_password);
/// After inserts with ids of their own: new rows get ids past the largest.
void move_ids_past_imported(db::Connection& c);
AdminOutcome ensure_admin(db::Connection& c, NewUser user, const std::string& hashed_password,
                          AdminPolicy policy);

}  // namespace janji::auth
