// Access tokens: the Bearer header and the HS256 JWT verifier. The first byte picks how the
// rest becomes a token:
//   0  the Authorization header value, as a client sends it;
//   1  a signing input ("header.payload" in base64url) that gets a valid signature;
//   2  header JSON and payload JSON (split at the first NUL), encoded and signed,
// so that the claims are reached even though the fuzzer cannot forge a signature.
// jwt_verify reports every refusal as a JwtError and must never throw.

#include "infra/crypto/jwt.hpp"
#include "check.hpp"
#include "http/body.hpp"
#include "infra/crypto/crypto.hpp"

namespace janji::fuzz {
namespace {

using namespace crypto;

constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef0123456789abcdef";
constexpr std::string_view kOtherSecret = "another-secret-0123456789abcdef0123456789ab";
constexpr std::int64_t kNowSeconds = 1'770'000'000;
const Timestamp kNow{std::chrono::seconds(kNowSeconds)};

std::string signed_token(std::string_view signing_input) {
  return std::string(signing_input) + "." + base64url_encode(hmac_sha256(kSecret, signing_input));
}

void verify(std::string_view token) {
  const auto result = jwt_verify(token, kSecret, kNow);
  if (!result.claims) return;
  const auto& claims = *result.claims;
  FUZZ_CHECK(claims.exp > kNowSeconds);
  // Another key never accepts it.
  FUZZ_CHECK(jwt_verify(token, kOtherSecret, kNow).error == JwtError::kBadSignature);
  // What was accepted signs again to a token with the same claims.
  const auto again = jwt_verify(jwt_sign(claims, kSecret), kSecret, kNow);
  FUZZ_CHECK(again.claims && again.claims->sub == claims.sub && again.claims->exp == claims.exp &&
             again.claims->iat == claims.iat);
}

}  // namespace
}  // namespace janji::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace janji;
  const auto in = fuzz::choose(data, size);
  if (!in) return 0;
  const auto rest = in->rest;
  switch (in->pick % 3) {
    case 0: {
      http::Request req;
      req.raw.set(http::bhttp::field::authorization, rest);
      if (const auto token = http::bearer_token(req)) fuzz::verify(*token);
      break;
    }
    case 1:
      fuzz::verify(fuzz::signed_token(rest));
      break;
    case 2: {
      const auto nul = rest.find('\0');
      const auto header = rest.substr(0, nul);
      const auto payload =
          nul == std::string_view::npos ? std::string_view{} : rest.substr(nul + 1);
      fuzz::verify(fuzz::signed_token(crypto::base64url_encode(header) + "." +
                                      crypto::base64url_encode(payload)));
      break;
    }
  }
  return 0;
}
