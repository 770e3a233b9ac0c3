#include "auth/admin.hpp"
#include "core/fields.hpp"
#include "infra/crypto/crypto.hpp"
#include "infra/db/migrations.hpp"

#include <gtest/gtest.h>

namespace janji::auth {
namespace {

InvalidAdmin::Field refused_field(std::string_view email, std::string password) {
  try {
    check_admin("Admin", email, std::move(password));
  } catch (const InvalidAdmin& e) {
    return e.field();
  }
  ADD_FAILURE() << "accepted " << email;
  return InvalidAdmin::Field::kEmail;
}

TEST(CheckAdmin, AcceptsEightCharactersAndNormalisesTheEmail) {
  const auto admin = check_admin("Owner", "Owner@Example.COM", "12345678");
  EXPECT_EQ(admin.name, "Owner");
  std::string why;
  EXPECT_EQ(admin.email, normalize_email("Owner@Example.COM", why));
  EXPECT_EQ(admin.password, "12345678");
}

TEST(CheckAdmin, RefusesAPasswordShorterThanEight) {
  EXPECT_EQ(refused_field("owner@example.com", "1234567"), InvalidAdmin::Field::kPassword);
  EXPECT_EQ(refused_field("owner@example.com", ""), InvalidAdmin::Field::kPassword);
}

TEST(CheckAdmin, RefusesAnAddressThatIsNotOne) {
  EXPECT_EQ(refused_field("not-an-address", "long enough"), InvalidAdmin::Field::kEmail);
}

TEST(CheckAdmin, ReasonNamesTheMinimum) {
  try {
    check_admin("Admin", "owner@example.com", "short");
    FAIL() << "accepted a short password";
  } catch (const InvalidAdmin& e) {
    EXPECT_NE(std::string(e.what()).find("8"), std::string::npos) << e.what();
  }
}

class AdminDbTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::init(); }
  AdminDbTest() : db_(db::open_database("sqlite://:memory:", 1)) { db::migrate(*db_); }
  std::optional<User> user(const std::string& email) {
    std::optional<User> u;
    db_->transaction(db::TxMode::kRead,
                     [&](db::Connection& c) { u = find_user_by_email(c, email); });
    return u;
  }
  std::unique_ptr<db::Database> db_;
};

TEST_F(AdminDbTest, ConfiguredAdminIsCreatedOnceAndNeverPromotesACustomer) {
  ensure_admin_exists(*db_, check_admin("Admin", "boss@example.com", "password1"));
  ASSERT_TRUE(user("boss@example.com"));
  EXPECT_TRUE(user("boss@example.com")->is_admin());
  ensure_admin_exists(*db_, check_admin("Admin", "boss@example.com", "password1"));

  db_->transaction(db::TxMode::kWrite, [](db::Connection& c) {
    insert_user(c, {"Cust", "cust@example.com", std::nullopt, std::nullopt, "customer"}, "!");
  });
  ensure_admin_exists(*db_, check_admin("Admin", "cust@example.com", "password1"));
  EXPECT_FALSE(user("cust@example.com")->is_admin());
}

TEST_F(AdminDbTest, AdminCreateCommandPromotesAnExistingCustomer) {
  db_->transaction(db::TxMode::kWrite, [](db::Connection& c) {
    insert_user(c, {"Cust", "cust@example.com", std::nullopt, std::nullopt, "customer"}, "!");
  });
  const auto admin = check_admin("Admin", "cust@example.com", "password1");
  EXPECT_EQ(create_or_promote_admin(*db_, admin), AdminOutcome::kPromoted);
  EXPECT_TRUE(user("cust@example.com")->is_admin());
  EXPECT_EQ(create_or_promote_admin(*db_, admin), AdminOutcome::kPasswordReset);
}

}  // namespace
}  // namespace janji::auth
