#include "infra/crypto/password.hpp"

#include <crypt.h>
#include <sodium.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace janji::crypto {

namespace {
// OWASP's Argon2id minimum: m = 19 MiB, t = 2, p = 1 (libsodium always runs one lane).
// libsodium's "interactive" limits (64 MiB, t = 2) took 125 ms a hash on this project's
// 2-core machine and let it do 6 logins a second; these take about a third of that
// (README, "Performance"). Hashes with other parameters are redone at the next login.
constexpr unsigned long long kOps = 2;
constexpr std::size_t kMem = std::size_t{19} << 20;
}  // namespace

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOps, kMem) != 0)
    throw std::runtime_error("argon2id hashing ran out of memory");
  return out;
}

namespace {

bool is_bcrypt(const std::string& encoded) {
  return encoded.size() > 4 && encoded[0] == '$' && encoded[1] == '2' &&
         (encoded[2] == 'a' || encoded[2] == 'b' || encoded[2] == 'y') && encoded[3] == '$';
}

// bcrypt hashes imported from the original backend, checked by libxcrypt.
bool bcrypt_matches(std::string_view password, const std::string& encoded) {
  if (password.find('\0') != std::string_view::npos) return false;  // crypt takes C strings
  auto data = std::make_unique<crypt_data>();
  const std::string pw(password);
  const char* out = crypt_rn(pw.c_str(), encoded.c_str(), data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') return false;
  const std::string_view got(out);
  return got.size() == encoded.size() &&
         sodium_memcmp(got.data(), encoded.data(), encoded.size()) == 0;
}

}  // namespace

PasswordCheck verify_password(std::string_view password, const std::string& encoded) {
  if (is_bcrypt(encoded))
    return bcrypt_matches(password, encoded) ? PasswordCheck::kMatchNeedsRehash
                                             : PasswordCheck::kMismatch;
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
