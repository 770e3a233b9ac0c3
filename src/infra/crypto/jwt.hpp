#pragma once

#include "core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace janji::crypto {

struct JwtClaims {
  std::string sub;
  std::int64_t iat = 0;  // Unix seconds
  std::int64_t exp = 0;  // Unix seconds
};

/// Signs the claims as a compact HS256 JWT.
std::string jwt_sign(const JwtClaims& claims, std::string_view secret);

enum class JwtError { kMalformed, kUnsupportedAlgorithm, kBadSignature, kExpired, kMissingClaim };

struct JwtResult {
  std::optional<JwtClaims> claims;
  JwtError error = JwtError::kMalformed;
};

/// Verifies an HS256 token: the header must say exactly "HS256" (no "none", no other
/// algorithm), the signature must match in constant time, and `exp` must be after `now`.
JwtResult jwt_verify(std::string_view token, std::string_view secret, Timestamp now);

}  // namespace janji::crypto
