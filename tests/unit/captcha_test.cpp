#include "courses/captcha.hpp"
#include "courses/validation.hpp"
#include "infra/crypto/crypto.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace janji::courses {
namespace {

namespace json = boost::json;
constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";

class Altcha : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::init(); }

  // Finds the number by brute force, as a browser would.
  static std::string solve(const AltchaChallenge& c, std::int64_t* number = nullptr) {
    for (std::uint64_t n = 0; n <= c.maxnumber; ++n) {
      if (crypto::hex(crypto::sha256(c.salt + std::to_string(n))) == c.challenge) {
        if (number) *number = static_cast<std::int64_t>(n);
        return token(c, static_cast<std::int64_t>(n));
      }
    }
    return {};
  }
  static std::string token(const AltchaChallenge& c, std::int64_t n,
                           std::string_view alg = "SHA-256") {
    const json::object p{{"algorithm", alg},
                         {"challenge", c.challenge},
                         {"number", n},
                         {"salt", c.salt},
                         {"signature", c.signature}};
    return crypto::base64_encode(json::serialize(p));
  }

  const Timestamp now_ = *parse_datetime("2026-11-21T10:00:00Z");
};

TEST_F(Altcha, ChallengeIsSignedAndCarriesItsExpiry) {
  const auto c = make_altcha_challenge(kSecret, 500, std::chrono::seconds(600), now_);
  EXPECT_EQ(c.algorithm, "SHA-256");
  EXPECT_EQ(c.maxnumber, 500u);
  EXPECT_EQ(c.signature, crypto::hex(crypto::hmac_sha256(kSecret, c.challenge)));
  ASSERT_TRUE(salt_expiry(c.salt).has_value());
  EXPECT_EQ(*salt_expiry(c.salt), now_ + std::chrono::seconds(600));
}

TEST_F(Altcha, SolvedTokenIsAcceptedAndNamesItsChallenge) {
  const auto c = make_altcha_challenge(kSecret, 300, std::chrono::seconds(600), now_);
  const auto t = solve(c);
  ASSERT_FALSE(t.empty());
  std::string why;
  Timestamp expires{};
  const auto accepted = verify_altcha(t, kSecret, now_, why, &expires);
  ASSERT_TRUE(accepted.has_value()) << why;
  EXPECT_EQ(*accepted, c.challenge);
  EXPECT_EQ(expires, now_ + std::chrono::seconds(600));
}

TEST_F(Altcha, WrongNumberIsRefused) {
  const auto c = make_altcha_challenge(kSecret, 300, std::chrono::seconds(600), now_);
  std::int64_t n = 0;
  ASSERT_FALSE(solve(c, &n).empty());
  std::string why;
  EXPECT_FALSE(verify_altcha(token(c, n + 1), kSecret, now_, why));
  EXPECT_NE(why.find("solve"), std::string::npos);
}

TEST_F(Altcha, ExpiredChallengeIsRefused) {
  const auto c = make_altcha_challenge(kSecret, 200, std::chrono::seconds(60), now_);
  const auto t = solve(c);
  std::string why;
  EXPECT_FALSE(verify_altcha(t, kSecret, now_ + std::chrono::seconds(61), why));
  EXPECT_NE(why.find("expired"), std::string::npos);
}

TEST_F(Altcha, OtherSecretsSignatureIsRefused) {
  const auto c = make_altcha_challenge("another secret of thirty-two chars!", 200,
                                       std::chrono::seconds(60), now_);
  std::string why;
  EXPECT_FALSE(verify_altcha(solve(c), kSecret, now_, why));
  EXPECT_NE(why.find("signature"), std::string::npos);
}

TEST_F(Altcha, MalformedTokensAreRefusedWithoutThrowing) {
  const auto c = make_altcha_challenge(kSecret, 100, std::chrono::seconds(60), now_);
  std::int64_t n = 0;
  solve(c, &n);
  std::string why;
  for (const std::string& t : {std::string(), std::string("%%%"), crypto::base64_encode("not json"),
                               crypto::base64_encode("[1,2]"), crypto::base64_encode("{}"),
                               token(c, n, "SHA-512"), token(c, -1), std::string(5000, 'A')}) {
    EXPECT_FALSE(verify_altcha(t, kSecret, now_, why)) << t;
    EXPECT_FALSE(why.empty());
  }
}

TEST(SaltExpiry, ReadsTheUnixSecondsAfterExpires) {
  EXPECT_EQ(salt_expiry("abc?expires=100"), Timestamp{std::chrono::seconds(100)});
  EXPECT_FALSE(salt_expiry("abc"));
  EXPECT_FALSE(salt_expiry("abc?expires=soon"));
  EXPECT_FALSE(salt_expiry("abc?expires=0"));
}

// fuzz/regressions/captcha: seconds that fit a long long but not a Timestamp's microseconds
// overflowed (undefined behaviour) instead of being refused.
TEST(SaltExpiry, RefusesAnExpiryPastTheYear9999) {
  EXPECT_EQ(salt_expiry("abc?expires=253402300799"),
            Timestamp{std::chrono::seconds(253'402'300'799)});
  EXPECT_FALSE(salt_expiry("abc?expires=253402300800"));
  EXPECT_FALSE(salt_expiry("abc?expires=77777777777777"));
  EXPECT_FALSE(salt_expiry("abc?expires=9223372036854775807"));
}

TEST_F(Altcha, SolvedChallengeWithAnOverflowingExpiryIsRefused) {
  AltchaChallenge c;
  c.salt = "0123456789abcdef?expires=77777777777777";
  c.challenge = crypto::hex(crypto::sha256(c.salt + "7"));
  c.signature = crypto::hex(crypto::hmac_sha256(kSecret, c.challenge));
  std::string why;
  EXPECT_FALSE(verify_altcha(token(c, 7), kSecret, now_, why));
  EXPECT_EQ(why, "salt carries no expiry");
}

TEST(CourseFields, WaNumbersFollowThePlus62Rule) {
  EXPECT_TRUE(is_wa_number("+62812345678"));       // 9 digits
  EXPECT_TRUE(is_wa_number("+62812345678901"));    // 12 digits
  EXPECT_FALSE(is_wa_number("+6281234567"));       // 8 digits
  EXPECT_FALSE(is_wa_number("+628123456789012"));  // 13 digits
  EXPECT_FALSE(is_wa_number("0812345678901"));
  EXPECT_FALSE(is_wa_number("+62 812345678"));
}

TEST(CourseFields, DatesTimesAndUuids) {
  EXPECT_TRUE(is_date("2012-02-29"));
  EXPECT_FALSE(is_date("2013-02-29"));
  EXPECT_FALSE(is_date("2012-2-1"));
  EXPECT_TRUE(is_time_of_day("00:00"));
  EXPECT_TRUE(is_time_of_day("23:59"));
  EXPECT_FALSE(is_time_of_day("24:00"));
  EXPECT_FALSE(is_time_of_day("9:30"));
  const auto id = new_uuid();
  EXPECT_TRUE(is_uuid(id));
  EXPECT_EQ(id[14], '7');  // version 7
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
  EXPECT_NE(new_uuid(), id);
  // The time comes first, so later ids sort after earlier ones.
  const auto at = parse_datetime("2026-12-05T10:00:00Z").value();
  const auto earlier = uuid_v7(crypto::time_ordered_bytes(at, 0) + std::string(10, '\xff'));
  const auto later = uuid_v7(crypto::time_ordered_bytes(at + std::chrono::milliseconds(1), 0) +
                             std::string(10, '\0'));
  EXPECT_EQ(earlier.substr(0, 13), "01a245a5-7100");
  EXPECT_LT(earlier, later);
  EXPECT_EQ(later, "01a245a5-7101-7000-8000-000000000000");
  EXPECT_FALSE(is_uuid("not-a-uuid"));
}

TEST(Siteverify, ProvidersAndTheirUrls) {
  for (const char* p : {"turnstile", "hcaptcha", "recaptcha"}) {
    EXPECT_TRUE(is_hosted_provider(p)) << p;
    EXPECT_TRUE(default_verify_url(p).starts_with("https://")) << p;
  }
  for (const char* p : {"altcha", "none", "", "Turnstile"}) {
    EXPECT_FALSE(is_hosted_provider(p)) << p;
    EXPECT_TRUE(default_verify_url(p).empty()) << p;
  }
}

TEST(Siteverify, FormEncodesSecretAndResponse) {
  EXPECT_EQ(siteverify_form("abc", "XYZ-0.9_~"), "secret=abc&response=XYZ-0.9_~");
  EXPECT_EQ(siteverify_form("a b&c=d+e", "x/y%z\xc3\xa9"),
            "secret=a%20b%26c%3Dd%2Be&response=x%2Fy%25z%C3%A9");
  EXPECT_EQ(siteverify_form("", ""), "secret=&response=");
}

TEST(Siteverify, ReadsTheVerdict) {
  EXPECT_TRUE(parse_siteverify(R"({"success":true,"error-codes":[]})").success);
  const auto no = parse_siteverify(
      R"({"success":false,"error-codes":["invalid-input-response","timeout-or-duplicate"]})");
  EXPECT_FALSE(no.success);
  EXPECT_EQ(no.why, "invalid-input-response, timeout-or-duplicate");
  EXPECT_FALSE(parse_siteverify(R"({"success":false})").why.empty());
  for (const char* bad : {"", "<html>", "[]", "{}", R"({"success":"true"})", R"({"success":1})"})
    EXPECT_THROW(parse_siteverify(bad), std::invalid_argument) << bad;
}

}  // namespace
}  // namespace janji::courses
