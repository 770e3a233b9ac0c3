#include "infra/crypto/password.hpp"
#include "infra/crypto/crypto.hpp"

#include <crypt.h>
#include <gtest/gtest.h>

#include <memory>

namespace janji::crypto {
namespace {

constexpr std::string_view kPassword = "correct horse battery staple";

// Argon2id takes ~40 ms per hash (far more under the sanitizers): the suite hashes the password
// twice and shares the result.
class PasswordTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    init();
    first_ = new std::string(hash_password(kPassword));
    second_ = new std::string(hash_password(kPassword));
  }
  static void TearDownTestSuite() {
    delete first_;
    delete second_;
    first_ = second_ = nullptr;
  }
  static std::string* first_;
  static std::string* second_;
};

std::string* PasswordTest::first_ = nullptr;
std::string* PasswordTest::second_ = nullptr;

TEST_F(PasswordTest, HashIsAnArgon2idEncodedString) {
  EXPECT_EQ(first_->rfind("$argon2id$", 0), 0u) << *first_;
  EXPECT_EQ(first_->find(kPassword), std::string::npos);
}

TEST_F(PasswordTest, HashUsesOwaspsArgon2idMinimum) {
  EXPECT_EQ(first_->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *first_;
}

TEST_F(PasswordTest, AHashWithOtherParametersMatchesAndAsksForARehash) {
  // libsodium's interactive limits (64 MiB, t = 2), as Janji hashed before; a real hash.
  const std::string old =
      "$argon2id$v=19$m=65536,t=2,p=1$uWDudAMWKcam3LPswnS0hw$"
      "5lFbJFDR7Wr6T5lspLpNh2UQk2dw3zFQqPqC637u8Mg";
  EXPECT_EQ(verify_password("kata-sandi-lama-123", old), PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(verify_password("kata-sandi-lama-12", old), PasswordCheck::kMismatch);
}

TEST_F(PasswordTest, TwoHashesOfOnePasswordDifferBecauseOfTheSalt) {
  EXPECT_NE(*first_, *second_);
}

TEST_F(PasswordTest, RightPasswordMatchesBothHashes) {
  EXPECT_EQ(verify_password(kPassword, *first_), PasswordCheck::kMatch);
  EXPECT_EQ(verify_password(kPassword, *second_), PasswordCheck::kMatch);
}

TEST_F(PasswordTest, WrongPasswordIsAMismatch) {
  EXPECT_EQ(verify_password("correct horse battery stapler", *first_), PasswordCheck::kMismatch);
  EXPECT_EQ(verify_password("", *first_), PasswordCheck::kMismatch);
}

TEST_F(PasswordTest, UnreadableHashesNeverMatch) {
  const std::string bcrypt = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
  for (const std::string& encoded :
       {std::string("!"), std::string(), bcrypt, std::string("$argon2id$"),
        std::string("$argon2id$v=19$m=65536,t=2,p=1$garbage"),
        first_->substr(0, first_->size() / 2), std::string(kPassword)}) {
    EXPECT_EQ(verify_password(kPassword, encoded), PasswordCheck::kMismatch) << encoded;
    EXPECT_EQ(verify_password("", encoded), PasswordCheck::kMismatch) << encoded;
  }
}

// A bcrypt hash as the original backend stored it, made here by libxcrypt (cost 4: quick).
std::string bcrypt(const std::string& password, const std::string& prefix) {
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(password.c_str(), (prefix + "04$abcdefghijklmnopqrstuv").c_str(),
                             data.get(), sizeof(crypt_data));
  return out ? std::string(out) : std::string();
}

TEST_F(PasswordTest, ImportedBcryptHashesMatchAndAskForARehash) {
  for (const std::string prefix : {"$2b$", "$2a$", "$2y$"}) {
    const auto hash = bcrypt(std::string(kPassword), prefix);
    ASSERT_EQ(hash.rfind(prefix, 0), 0u) << hash;
    EXPECT_EQ(verify_password(kPassword, hash), PasswordCheck::kMatchNeedsRehash) << hash;
    EXPECT_EQ(verify_password("correct horse battery stapl", hash), PasswordCheck::kMismatch);
    EXPECT_EQ(verify_password("", hash), PasswordCheck::kMismatch);
    // crypt() stops at a NUL: a password with one must not match its prefix's hash.
    EXPECT_EQ(verify_password(std::string(kPassword) + std::string(1, '\0') + "x", hash),
              PasswordCheck::kMismatch);
    EXPECT_EQ(verify_password(kPassword, hash.substr(0, 59)), PasswordCheck::kMismatch);
  }
}

TEST_F(PasswordTest, BurnPasswordCheckDoesNotThrow) {
  EXPECT_NO_THROW(burn_password_check("anything"));
  EXPECT_NO_THROW(burn_password_check(""));
}

}  // namespace
}  // namespace janji::crypto
