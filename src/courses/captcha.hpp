#pragma once

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

/// The expiry written into an ALTCHA salt ("...?expires=1795293270"), if any.
std::optional<Timestamp> salt_expiry(std::string_view salt);

}  // namespace janji::courses
