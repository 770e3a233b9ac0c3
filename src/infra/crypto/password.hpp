#pragma once

#include <string>
#include <string_view>

namespace janji::crypto {

/// Argon2id, m = 19 MiB, t = 2, p = 1; returns the encoded "$argon2id$v=19$m=19456,t=2,p=1$..."
/// string.
/// CPU- and memory-heavy: call it from a blocking pool, never an IO thread.
std::string hash_password(std::string_view password);

enum class PasswordCheck { kMismatch, kMatch, kMatchNeedsRehash };

/// Verifies against an Argon2id hash, or a bcrypt one ($2a$, $2b$, $2y$) imported from the
/// original backend. A match needs a rehash when it was bcrypt or Argon2id with other
/// parameters (libsodium's 64 MiB "interactive" ones, before). A hash Janji cannot read (including
/// the disabled marker "!") never matches.
PasswordCheck verify_password(std::string_view password, const std::string& encoded);

/// Spends the time of one verification so that unknown accounts cannot be told from wrong
/// passwords by timing.
void burn_password_check(std::string_view password);

}  // namespace janji::crypto
