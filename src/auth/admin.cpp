#include "auth/admin.hpp"

#include "core/error.hpp"
#include "core/fields.hpp"
#include "infra/crypto/password.hpp"

#include <spdlog/spdlog.h>

namespace janji::auth {

NewAdmin check_admin(std::string name, std::string_view email, std::string password) {
  std::string why;
  auto normalized = normalize_email(email, why);
  if (!normalized) throw InvalidAdmin(InvalidAdmin::Field::kEmail, why);
  if (password.size() < kMinAdminPassword)
    throw InvalidAdmin(InvalidAdmin::Field::kPassword,
                       "must have at least " + std::to_string(kMinAdminPassword) + " characters");
  return {std::move(name), std::move(*normalized), std::move(password)};
}

namespace {

NewUser admin_user(const NewAdmin& admin) {
  return {admin.name, admin.email, std::nullopt, std::nullopt, "admin"};
}

}  // namespace

AdminOutcome create_or_promote_admin(db::Database& db, const NewAdmin& admin) {
  const auto hash = crypto::hash_password(admin.password);
  AdminOutcome outcome{};
  db.transaction(db::TxMode::kWrite, [&](db::Connection& c) {
    outcome = ensure_admin(c, admin_user(admin), hash, AdminPolicy::kCreateOrPromote);
  });
  return outcome;
}

void ensure_admin_exists(db::Database& db, const NewAdmin& admin) {
  try {
    db.transaction(db::TxMode::kWrite, [&](db::Connection& c) {
      // Looked up first: hashing is slow, and most starts find the admin there.
      if (find_user_by_email(c, admin.email)) return;
      const auto hash = crypto::hash_password(admin.password);
      ensure_admin(c, admin_user(admin), hash, AdminPolicy::kCreateOnly);
      spdlog::info("created admin {} from ADMIN_EMAIL", admin.email);
    });
  } catch (const ApiError& e) {
    // Another instance starting at the same time created it first (PostgreSQL runs both
    // transactions at once; the unique e-mail index lets one win). That is the goal.
    if (e.code() != ErrorCode::kBadRequest) throw;
    spdlog::info("admin {} was created by another instance", admin.email);
  }
  db.transaction(db::TxMode::kRead, [&](db::Connection& c) {
    if (auto u = find_user_by_email(c, admin.email); u && !u->is_admin())
      spdlog::warn(
          "ADMIN_EMAIL {} belongs to a customer account; not promoted (use `janji admin create`)",
          admin.email);
  });
}

}  // namespace janji::auth
