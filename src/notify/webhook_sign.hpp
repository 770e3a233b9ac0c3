#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace janji::notify {

/// A webhook endpoint's signing secret as the Standard Webhooks spec serialises it:
/// "whsec_" + base64 of 32 random bytes. Needs crypto::init().
std::string new_webhook_secret();

/// The `webhook-signature` header of one delivery (Standard Webhooks, symmetric scheme):
/// "v1," + base64 HMAC-SHA256(key, msg_id + "." + unix_seconds + "." + body), where key is
/// the base64-decoded part of `secret` after "whsec_". `body` must be the exact bytes sent.
/// Throws std::invalid_argument when `secret` is not "whsec_" + base64 of 24 to 64 bytes
/// (the spec's bounds), or when `msg_id` is empty or has a '.', which would make the
/// signed content ambiguous.
std::string webhook_signature(std::string_view secret, std::string_view msg_id,
                              std::int64_t unix_seconds, std::string_view body);

}  // namespace janji::notify
