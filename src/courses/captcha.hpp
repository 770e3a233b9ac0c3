#pragma once

#include "core/error.hpp"
#include "core/time.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace janji::courses {

/// An ALTCHA proof-of-work challenge: the client must find `number` in [0, maxnumber] with
/// hex SHA-256(salt + number) == challenge. The salt ends in "?expires=<unix seconds>" and
/// the signature is hex HMAC-SHA256(secret, challenge), so the server keeps no state.
struct AltchaChallenge {
  std::string algorithm = "SHA-256";
  std::string challenge;
  std::string salt;
  std::string signature;
  std::uint64_t maxnumber = 0;
};

AltchaChallenge make_altcha_challenge(std::string_view secret, std::uint64_t maxnumber,
                                      std::chrono::seconds ttl, Timestamp now);
boost::json::object to_json(const AltchaChallenge& c);

/// Checks a client's token: base64 of {"algorithm", "challenge", "number", "salt",
/// "signature"}. Returns the challenge (to be recorded as used) or nullopt with `why`.
/// Single use is the caller's job.
std::optional<std::string> verify_altcha(std::string_view token, std::string_view secret,
                                         Timestamp now, std::string& why,
                                         Timestamp* expires_at = nullptr);

/// An ALTCHA challenge a registration spends: each can be used once, until it expires.
struct SpentCaptcha {
  std::string challenge;
  Timestamp expires_at;
};

/// The expiry written into an ALTCHA salt ("...?expires=1795293270"), if any.
std::optional<Timestamp> salt_expiry(std::string_view salt);

/// Hosted providers (turnstile, hcaptcha, recaptcha) check a widget's token when the server
/// POSTs `secret` and `response` to their siteverify URL.
bool is_hosted_provider(std::string_view provider);
/// The provider's public siteverify URL; empty for altcha and none.
std::string_view default_verify_url(std::string_view provider);
/// The application/x-www-form-urlencoded body siteverify expects.
std::string siteverify_form(std::string_view secret, std::string_view response);

struct SiteverifyVerdict {
  bool success = false;
  std::string why;  // the provider's error codes, for the client's `details`
};
/// Reads a siteverify reply ({"success": bool, "error-codes": [...]}); throws
/// std::invalid_argument when it is not one.
SiteverifyVerdict parse_siteverify(std::string_view body);

}  // namespace janji::courses
