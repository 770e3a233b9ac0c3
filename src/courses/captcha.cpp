#include "courses/captcha.hpp"

#include "infra/crypto/crypto.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace janji::courses {

namespace json = boost::json;

AltchaChallenge make_altcha_challenge(std::string_view secret, std::uint64_t maxnumber,
                                      std::chrono::seconds ttl, Timestamp now) {
  const auto expires =
      std::chrono::duration_cast<std::chrono::seconds>((now + ttl).time_since_epoch()).count();
  AltchaChallenge c;
  c.maxnumber = maxnumber;
  c.salt = crypto::random_hex(12) + "?expires=" + std::to_string(expires);
  std::uint64_t n = 0;
  const auto r = crypto::random_bytes(8);
  for (unsigned char b : r) n = (n << 8) | b;
  const auto number = n % (maxnumber + 1);
  c.challenge = crypto::hex(crypto::sha256(c.salt + std::to_string(number)));
  c.signature = crypto::hex(crypto::hmac_sha256(secret, c.challenge));
  return c;
}

json::object to_json(const AltchaChallenge& c) {
  return {{"algorithm", c.algorithm},
          {"challenge", c.challenge},
          {"salt", c.salt},
          {"signature", c.signature},
          {"maxnumber", c.maxnumber}};
}

std::optional<Timestamp> salt_expiry(std::string_view salt) {
  const auto q = salt.find("?expires=");
  if (q == std::string_view::npos) return std::nullopt;
  auto v = salt.substr(q + 9);
  if (const auto amp = v.find('&'); amp != std::string_view::npos) v = v.substr(0, amp);
  // No later than 9999-12-31T23:59:59: beyond that, seconds overflow a Timestamp's
  // microseconds long before they overflow a long long.
  constexpr long long kLatest = 253'402'300'799;
  long long secs = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
  if (ec != std::errc{} || end != v.data() + v.size() || secs <= 0 || secs > kLatest)
    return std::nullopt;
  return Timestamp{std::chrono::seconds(secs)};
}

std::optional<std::string> verify_altcha(std::string_view token, std::string_view secret,
                                         Timestamp now, std::string& why, Timestamp* expires_at) {
  auto fail = [&](const char* reason) -> std::optional<std::string> {
    why = reason;
    return std::nullopt;
  };
  if (token.empty() || token.size() > 4096) return fail("missing or oversized token");
  auto raw = crypto::base64_decode(token);
  if (!raw) raw = crypto::base64url_decode(token);
  if (!raw) return fail("token is not base64");
  boost::system::error_code ec;
  auto v = json::parse(*raw, ec);
  if (ec || !v.is_object()) return fail("token is not a JSON object");
  const auto& o = v.as_object();
  auto text = [&](std::string_view k) -> std::string {
    const auto* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->get_string()) : std::string();
  };
  const auto algorithm = text("algorithm"), challenge = text("challenge"), salt = text("salt"),
             signature = text("signature");
  const auto* number = o.if_contains("number");
  if (algorithm != "SHA-256") return fail("unsupported algorithm");
  if (challenge.empty() || salt.empty() || signature.empty() || !number)
    return fail("token lacks a field");
  std::string number_text;
  if (number->is_int64() && number->get_int64() >= 0)
    number_text = std::to_string(number->get_int64());
  else if (number->is_uint64())
    number_text = std::to_string(number->get_uint64());
  else
    return fail("number is not a non-negative integer");

  if (!crypto::constant_time_equal(crypto::hex(crypto::hmac_sha256(secret, challenge)), signature))
    return fail("signature does not match");
  if (!crypto::constant_time_equal(crypto::hex(crypto::sha256(salt + number_text)), challenge))
    return fail("number does not solve the challenge");
  const auto expiry = salt_expiry(salt);
  if (!expiry) return fail("salt carries no expiry");
  if (*expiry <= now) return fail("challenge expired");
  if (expires_at) *expires_at = *expiry;
  return challenge;
}

}  // namespace janji::courses

namespace janji::courses {

bool is_hosted_provider(std::string_view provider) {
  return provider == "turnstile" || provider == "hcaptcha" || provider == "recaptcha";
}

std::string_view default_verify_url(std::string_view provider) {
  if (provider == "turnstile") return "https://challenges.cloudflare.com/turnstile/v0/siteverify";
  if (provider == "hcaptcha") return "https://api.hcaptcha.com/siteverify";
  if (provider == "recaptcha") return "https://www.google.com/recaptcha/api/siteverify";
  return {};
}

namespace {
void form_encode(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}
}  // namespace

std::string siteverify_form(std::string_view secret, std::string_view response) {
  std::string out = "secret=";
  form_encode(out, secret);
  out += "&response=";
  form_encode(out, response);
  return out;
}

SiteverifyVerdict parse_siteverify(std::string_view body) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  const auto* o = ec ? nullptr : v.if_object();
  const auto* success = o ? o->if_contains("success") : nullptr;
  if (!success || !success->is_bool())
    throw std::invalid_argument("not a siteverify reply (no boolean \"success\")");
  SiteverifyVerdict verdict{success->as_bool(), {}};
  if (verdict.success) return verdict;
  if (const auto* codes = o->if_contains("error-codes"); codes && codes->is_array()) {
    for (const auto& c : codes->as_array()) {
      if (!c.is_string()) continue;
      if (!verdict.why.empty()) verdict.why += ", ";
      verdict.why += c.as_string();
    }
  }
  if (verdict.why.empty()) verdict.why = "rejected by the captcha provider";
  return verdict;
}

}  // namespace janji::courses
