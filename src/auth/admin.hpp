#pragma once

#include "auth/store.hpp"
#include "infra/db/db.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace janji::auth {

/// An admin's password has at least this many bytes (a customer's, at least six characters).
inline constexpr std::size_t kMinAdminPassword = 8;

/// An admin account that passed `check_admin`: the e-mail normalised, the password long
/// enough.
struct NewAdmin {
  std::string name;
  std::string email;
  std::string password;
};

/// Why `check_admin` refused; `what()` is the reason without the field's name, so each
/// caller can name the field as its user knows it (--email, ADMIN_EMAIL).
class InvalidAdmin : public std::invalid_argument {
 public:
  enum class Field { kEmail, kPassword };
  InvalidAdmin(Field field, const std::string& why) : std::invalid_argument(why), field_(field) {}
  Field field() const { return field_; }

 private:
  Field field_;
};

/// The rules for an admin account, without IO; throws InvalidAdmin.
NewAdmin check_admin(std::string name, std::string_view email, std::string password);

/// `janji admin create`: creates the admin, or makes the account with that e-mail an admin
/// and sets its password (the operator's word). Blocking.
AdminOutcome create_or_promote_admin(db::Database& db, const NewAdmin& admin);

/// ADMIN_EMAIL at start-up: creates the admin when no account has the address, and never
/// touches an existing one (promoting whoever registered the address first would hand the
/// admin role to a stranger; that is logged instead). Blocking.
void ensure_admin_exists(db::Database& db, const NewAdmin& admin);

}  // namespace janji::auth
