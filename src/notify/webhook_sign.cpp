#include "notify/webhook_sign.hpp"

#include "infra/crypto/crypto.hpp"

#include <stdexcept>

namespace janji::notify {

namespace {

constexpr std::string_view kPrefix = "whsec_";
constexpr std::size_t kNewSecretBytes = 32;
constexpr std::size_t kMinKeyBytes = 24;
constexpr std::size_t kMaxKeyBytes = 64;

std::string signing_key(std::string_view secret) {
  if (!secret.starts_with(kPrefix))
    throw std::invalid_argument("a webhook secret starts with \"whsec_\"");
  auto key = crypto::base64_decode(secret.substr(kPrefix.size()));
  if (!key) throw std::invalid_argument("a webhook secret is \"whsec_\" followed by base64");
  if (key->size() < kMinKeyBytes || key->size() > kMaxKeyBytes)
    throw std::invalid_argument("a webhook secret's key has 24 to 64 bytes, this one has " +
                                std::to_string(key->size()));
  return std::move(*key);
}

}  // namespace

std::string new_webhook_secret() {
  return std::string(kPrefix) + crypto::base64_encode(crypto::random_bytes(kNewSecretBytes));
}

std::string webhook_signature(std::string_view secret, std::string_view msg_id,
                              std::int64_t unix_seconds, std::string_view body) {
  if (msg_id.empty() || msg_id.find('.') != std::string_view::npos)
    throw std::invalid_argument("a webhook message id is not empty and has no '.'");
  const auto key = signing_key(secret);
  std::string content;
  content.reserve(msg_id.size() + 22 + body.size());
  content.append(msg_id).append(".").append(std::to_string(unix_seconds)).append(".").append(body);
  return "v1," + crypto::base64_encode(crypto::hmac_sha256(key, content));
}

}  // namespace janji::notify
