#include "infra/crypto/jwt.hpp"
#include "infra/crypto/crypto.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

namespace janji::crypto {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr std::string_view kSecret =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr std::int64_t kNowSeconds = 1'770'000'000;
const Timestamp kNow{seconds(kNowSeconds)};

class CryptoTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { init(); }
};

class JwtTest : public CryptoTest {};

std::string to_hex(std::string_view bytes) {
  return hex(bytes);
}

/// A token with arbitrary header and payload JSON, correctly signed with `secret`.
std::string signed_token(std::string_view header, std::string_view payload,
                         std::string_view secret = kSecret) {
  const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
  return input + "." + base64url_encode(hmac_sha256(secret, input));
}

std::vector<std::string> split_token(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto dot = token.find('.', start);
    parts.push_back(token.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

TEST_F(JwtTest, SignThenVerifyReturnsTheSameClaims) {
  const JwtClaims claims{"42", kNowSeconds - 10, kNowSeconds + 3600};
  const auto result = jwt_verify(jwt_sign(claims, kSecret), kSecret, kNow);
  ASSERT_TRUE(result.claims.has_value()) << static_cast<int>(result.error);
  EXPECT_EQ(result.claims->sub, "42");
  EXPECT_EQ(result.claims->iat, kNowSeconds - 10);
  EXPECT_EQ(result.claims->exp, kNowSeconds + 3600);
}

TEST_F(JwtTest, SignedTokenHasThreeBase64UrlParts) {
  const auto token = jwt_sign({"7", kNowSeconds, kNowSeconds + 60}, kSecret);
  const auto parts = split_token(token);
  ASSERT_EQ(parts.size(), 3u);
  for (const auto& p : parts) {
    EXPECT_FALSE(p.empty());
    EXPECT_EQ(p.find_first_of("+/="), std::string::npos) << p;
    EXPECT_TRUE(base64url_decode(p).has_value()) << p;
  }
  EXPECT_EQ(base64url_decode(parts[2])->size(), 32u);  // HMAC-SHA256
}

TEST_F(JwtTest, HeaderOfASignedTokenSaysHs256AndJwt) {
  const auto parts = split_token(jwt_sign({"7", kNowSeconds, kNowSeconds + 60}, kSecret));
  const auto header = json::parse(*base64url_decode(parts.at(0))).as_object();
  EXPECT_EQ(header.at("alg"), "HS256");
  EXPECT_EQ(header.at("typ"), "JWT");
}

TEST_F(JwtTest, PayloadOfASignedTokenCarriesSubExpIat) {
  const auto parts = split_token(jwt_sign({"user-9", 100, 200}, kSecret));
  const auto payload = json::parse(*base64url_decode(parts.at(1))).as_object();
  EXPECT_EQ(payload.at("sub"), "user-9");
  EXPECT_EQ(payload.at("iat"), 100);
  EXPECT_EQ(payload.at("exp"), 200);
}

TEST_F(JwtTest, ExpiryEqualToNowIsExpired) {
  const auto token = jwt_sign({"1", kNowSeconds - 60, kNowSeconds}, kSecret);
  const auto result = jwt_verify(token, kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kExpired);
}

TEST_F(JwtTest, ExpiryInThePastIsExpired) {
  const auto token = jwt_sign({"1", kNowSeconds - 120, kNowSeconds - 60}, kSecret);
  const auto result = jwt_verify(token, kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kExpired);
}

TEST_F(JwtTest, ExpiryOneSecondAheadIsStillValid) {
  const auto token = jwt_sign({"1", kNowSeconds, kNowSeconds + 1}, kSecret);
  EXPECT_TRUE(jwt_verify(token, kSecret, kNow).claims.has_value());
  // Half a second before expiry is still before it.
  EXPECT_TRUE(jwt_verify(token, kSecret, kNow + std::chrono::milliseconds(500)).claims.has_value());
  EXPECT_EQ(jwt_verify(token, kSecret, kNow + seconds(1)).error, JwtError::kExpired);
}

TEST_F(JwtTest, TamperedPayloadFailsTheSignature) {
  const auto token = jwt_sign({"42", kNowSeconds, kNowSeconds + 3600}, kSecret);
  auto parts = split_token(token);
  auto payload = *base64url_decode(parts.at(1));
  const auto pos = payload.find("42");
  ASSERT_NE(pos, std::string::npos);
  payload[pos] = '1';  // "sub":"12": someone else's account
  const auto forged = parts[0] + "." + base64url_encode(payload) + "." + parts[2];
  const auto result = jwt_verify(forged, kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kBadSignature);
}

TEST_F(JwtTest, TamperedSignatureIsRefused) {
  auto parts = split_token(jwt_sign({"42", kNowSeconds, kNowSeconds + 3600}, kSecret));
  auto sig = *base64url_decode(parts.at(2));
  sig[0] = static_cast<char>(sig[0] ^ 1);
  const auto result =
      jwt_verify(parts[0] + "." + parts[1] + "." + base64url_encode(sig), kSecret, kNow);
  EXPECT_EQ(result.error, JwtError::kBadSignature);
  EXPECT_FALSE(result.claims.has_value());
}

TEST_F(JwtTest, WrongSecretFailsTheSignature) {
  const auto token = jwt_sign({"42", kNowSeconds, kNowSeconds + 3600}, kSecret);
  const auto result = jwt_verify(token, "another-secret-another-secret-another-secret", kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kBadSignature);
}

TEST_F(JwtTest, AlgNoneWithEmptySignatureIsUnsupported) {
  const auto token = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                     base64url_encode(R"({"sub":"1","exp":9999999999})") + ".";
  const auto result = jwt_verify(token, kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kUnsupportedAlgorithm);
}

TEST_F(JwtTest, Hs512IsUnsupportedEvenWhenSignedWithTheSecret) {
  const auto token =
      signed_token(R"({"alg":"HS512","typ":"JWT"})", R"({"sub":"1","exp":9999999999})");
  const auto result = jwt_verify(token, kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kUnsupportedAlgorithm);
}

TEST_F(JwtTest, LowerCaseHs256IsRefused) {
  const auto token =
      signed_token(R"({"alg":"hs256","typ":"JWT"})", R"({"sub":"1","exp":9999999999})");
  const auto result = jwt_verify(token, kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kUnsupportedAlgorithm);
}

TEST_F(JwtTest, MissingOrNonStringAlgIsUnsupported) {
  for (const char* header : {R"({"typ":"JWT"})", R"({"alg":null})", R"({"alg":256})"}) {
    const auto result =
        jwt_verify(signed_token(header, R"({"sub":"1","exp":9999999999})"), kSecret, kNow);
    EXPECT_FALSE(result.claims.has_value()) << header;
    EXPECT_EQ(result.error, JwtError::kUnsupportedAlgorithm) << header;
  }
}

TEST_F(JwtTest, HandWrittenHs256TokenIsAccepted) {
  // The same check as SignThenVerify, but independent of jwt_sign's own encoding.
  const auto token =
      signed_token(R"({"typ":"JWT","alg":"HS256"})", R"({"exp":9999999999,"sub":"abc"})");
  const auto result = jwt_verify(token, kSecret, kNow);
  ASSERT_TRUE(result.claims.has_value()) << static_cast<int>(result.error);
  EXPECT_EQ(result.claims->sub, "abc");
  EXPECT_EQ(result.claims->iat, 0);  // absent iat defaults to 0
}

TEST_F(JwtTest, WrongNumberOfPartsIsMalformed) {
  const auto token = jwt_sign({"42", kNowSeconds, kNowSeconds + 3600}, kSecret);
  const auto parts = split_token(token);
  const std::vector<std::string> bad_tokens{
      "", "abc", parts[0] + "." + parts[1], token + "." + parts[2], token + ".", "..", "..."};
  for (const auto& bad : bad_tokens) {
    const auto result = jwt_verify(bad, kSecret, kNow);
    EXPECT_FALSE(result.claims.has_value()) << bad;
    EXPECT_EQ(result.error, JwtError::kMalformed) << bad;
  }
}

TEST_F(JwtTest, NonBase64OrNonJsonHeaderIsMalformed) {
  const auto payload = base64url_encode(R"({"sub":"1","exp":9999999999})");
  const std::vector<std::string> headers{"!!!!", "ey+J/", base64url_encode("not json"),
                                         base64url_encode("[1,2]")};
  for (const auto& header : headers) {
    const auto result = jwt_verify(header + "." + payload + ".AAAA", kSecret, kNow);
    EXPECT_FALSE(result.claims.has_value()) << header;
    EXPECT_EQ(result.error, JwtError::kMalformed) << header;
  }
}

TEST_F(JwtTest, NonBase64SignatureIsMalformed) {
  auto parts = split_token(jwt_sign({"42", kNowSeconds, kNowSeconds + 3600}, kSecret));
  const auto result = jwt_verify(parts[0] + "." + parts[1] + ".***", kSecret, kNow);
  EXPECT_EQ(result.error, JwtError::kMalformed);
}

TEST_F(JwtTest, SignedPayloadThatIsNotJsonIsMalformed) {
  const auto result = jwt_verify(signed_token(R"({"alg":"HS256"})", "not json"), kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kMalformed);
}

TEST_F(JwtTest, PayloadWithoutSubIsMissingClaim) {
  const auto result =
      jwt_verify(signed_token(R"({"alg":"HS256"})", R"({"exp":9999999999})"), kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kMissingClaim);
}

TEST_F(JwtTest, PayloadWithoutExpIsMissingClaim) {
  const auto result =
      jwt_verify(signed_token(R"({"alg":"HS256"})", R"({"sub":"1"})"), kSecret, kNow);
  EXPECT_FALSE(result.claims.has_value());
  EXPECT_EQ(result.error, JwtError::kMissingClaim);
}

TEST_F(JwtTest, WronglyTypedSubOrExpIsMissingClaim) {
  for (const char* payload : {R"({"sub":1,"exp":9999999999})", R"({"sub":"1","exp":"9999999999"})",
                              R"({"sub":"1","exp":null})", R"({"sub":null,"exp":9999999999})"}) {
    const auto result = jwt_verify(signed_token(R"({"alg":"HS256"})", payload), kSecret, kNow);
    EXPECT_FALSE(result.claims.has_value()) << payload;
    EXPECT_EQ(result.error, JwtError::kMissingClaim) << payload;
  }
}

TEST_F(CryptoTest, Base64UrlRoundTripsAllByteValues) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  const auto encoded = base64url_encode(all);
  EXPECT_EQ(
      encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(base64url_decode(encoded), all);
}

TEST_F(CryptoTest, Base64UrlRoundTripsShortLengthsWithoutPadding) {
  const std::string source("\xff\xfe\x00\x01\x7f", 5);
  const std::size_t expected_len[] = {0, 2, 3, 4, 6, 7};
  for (std::size_t n = 0; n <= 5; ++n) {
    const auto bytes = source.substr(0, n);
    const auto encoded = base64url_encode(bytes);
    EXPECT_EQ(encoded.size(), expected_len[n]) << n;
    EXPECT_EQ(base64url_decode(encoded), bytes) << n;
  }
}

TEST_F(CryptoTest, Base64UrlKnownVector) {
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_decode("Zm9vYg"), "foob");
}

TEST_F(CryptoTest, Base64UrlDecodeRefusesStandardAlphabetPaddingAndGarbage) {
  for (const char* text :
       {"+_8", "-/8", "Zm9vYg==", "Zm9vYg=", "Zm9v YmFy", "Zm9v\n", "é", "A", "Zm9vY", "!!!!"}) {
    EXPECT_FALSE(base64url_decode(text).has_value()) << text;
  }
}

TEST_F(CryptoTest, Base64StandardRoundTripsWithPadding) {
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64_decode("+/8="), "\xfb\xff");
  EXPECT_FALSE(base64_decode("-_8").has_value());
}

TEST_F(CryptoTest, HmacSha256MatchesRfc4231TestCase2) {
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(CryptoTest, HmacSha256MatchesRfc4231TestCase1) {
  EXPECT_EQ(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST_F(CryptoTest, Sha256OfAbcIsTheFips180Digest) {
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(CryptoTest, ConstantTimeEqualComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret!"));
  EXPECT_FALSE(constant_time_equal("secret", ""));
  EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_F(CryptoTest, RandomHexHasTwoLowercaseHexCharsPerByteAndVaries) {
  const auto a = random_hex(16);
  const auto b = random_hex(16);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST_F(CryptoTest, RandomIdHexStaysDistinctAcrossBufferRefills) {
  // 8 bytes an id and 4096 a buffer: 3000 ids cross several refills, on two threads.
  std::set<std::string> seen;
  std::mutex m;
  auto draw = [&] {
    for (int i = 0; i < 1500; ++i) {
      auto id = random_id_hex(8);
      ASSERT_EQ(id.size(), 16u);
      ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
      std::lock_guard lock(m);
      seen.insert(std::move(id));
    }
  };
  std::thread other(draw);
  draw();
  other.join();
  EXPECT_EQ(seen.size(), 3000u);
  EXPECT_EQ(random_id_hex(5000).size(), 10000u);  // longer than a buffer: drawn directly
}

}  // namespace
}  // namespace janji::crypto
