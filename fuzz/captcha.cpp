// Captcha tokens. The first byte picks the surface; the rest is its input:
//   0  a client's captcha_token (base64 of the ALTCHA payload), as sent;
//   1  the payload JSON, which the target base64-encodes;
//   2  a salt: the target makes the token a browser would send for it (a solved challenge
//      signed with the server's key), so the salt's expiry is read after the checks pass;
//   3  a salt alone, for its "?expires=" part;
//   4  a hosted provider's siteverify reply, and the form that asks for it.
// verify_altcha never throws; parse_siteverify throws std::invalid_argument on a reply that
// is not one, and nothing else.

#include "courses/captcha.hpp"
#include "check.hpp"
#include "core/text.hpp"
#include "http/body.hpp"
#include "infra/crypto/crypto.hpp"

#include <boost/json/object.hpp>

#include <stdexcept>

namespace janji::fuzz {
namespace {

namespace json = boost::json;

constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef0123456789abcdef";
constexpr std::string_view kOtherSecret = "another-secret-0123456789abcdef0123456789ab";
const Timestamp kNow{std::chrono::seconds(1'770'000'000)};

void verify(std::string_view token) {
  std::string why;
  Timestamp expires{};
  const auto challenge = courses::verify_altcha(token, kSecret, kNow, why, &expires);
  if (!challenge) {
    FUZZ_CHECK(!why.empty());
    return;
  }
  FUZZ_CHECK(expires > kNow);
  std::string other_why;
  FUZZ_CHECK(!courses::verify_altcha(token, kOtherSecret, kNow, other_why));
}

// The token a browser sends after solving a challenge with this salt.
std::string solved_token(std::string_view salt, std::uint64_t number) {
  const auto challenge = crypto::hex(crypto::sha256(std::string(salt) + std::to_string(number)));
  const json::object payload{{"algorithm", "SHA-256"},
                             {"challenge", challenge},
                             {"number", number},
                             {"salt", salt},
                             {"signature", crypto::hex(crypto::hmac_sha256(kSecret, challenge))}};
  return crypto::base64_encode(json::serialize(payload));
}

void siteverify(std::string_view reply) {
  try {
    const auto verdict = courses::parse_siteverify(reply);
    FUZZ_CHECK(verdict.success || !verdict.why.empty());
  } catch (const std::invalid_argument&) {
  }
  // The form that carries a token decodes back to it (as UTF-8, which form decoding keeps to).
  http::Request req;
  req.raw.body() = courses::siteverify_form(kSecret, reply);
  const auto form = http::form_body(req);
  FUZZ_CHECK(form.size() == 2 && form[0].second == kSecret && form[1].first == "response" &&
             form[1].second == to_valid_utf8(reply));
}

}  // namespace
}  // namespace janji::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace janji;
  const auto in = fuzz::choose(data, size);
  if (!in) return 0;
  const auto rest = in->rest;
  switch (in->pick % 5) {
    case 0:
      fuzz::verify(rest);
      break;
    case 1:
      fuzz::verify(crypto::base64_encode(rest));
      break;
    case 2:
      // Any number solves it; the server never learns which one it chose.
      fuzz::verify(fuzz::solved_token(rest, size));
      break;
    case 3:
      if (const auto t = courses::salt_expiry(rest)) FUZZ_CHECK(t->time_since_epoch().count() > 0);
      break;
    case 4:
      fuzz::siteverify(rest);
      break;
  }
  return 0;
}
