#include "infra/crypto/password.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>

namespace janji::crypto {

namespace {
constexpr unsigned long long kOps = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}  // namespace

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOps, kMem) != 0)
    throw std::runtime_error("argon2id hashing ran out of memory");
  return out;
}

PasswordCheck verify_password(std::string_view password, const std::string& encoded) {
  if (encoded.rfind("$argon2id$", 0) != 0) return PasswordCheck::kMismatch;
  if (crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) != 0)
    return PasswordCheck::kMismatch;
  return crypto_pwhash_str_needs_rehash(encoded.c_str(), kOps, kMem) != 0
             ? PasswordCheck::kMatchNeedsRehash
             : PasswordCheck::kMatch;
}

void burn_password_check(std::string_view password) {
  static std::once_flag once;
  static std::string dummy;
  std::call_once(once, [] { dummy = hash_password("janji-timing-equaliser"); });
  (void)verify_password(password, dummy);
}

}  // namespace janji::crypto
