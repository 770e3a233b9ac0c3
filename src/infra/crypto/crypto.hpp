#pragma once

#include "core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace janji::crypto {

/// Must run once before any other function here (initialises libsodium).
void init();

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string hex(std::string_view bytes);
/// Cryptographically random bytes.
std::string random_bytes(std::size_t n);
/// Random lowercase hex string of 2*n characters.
std::string random_hex(std::size_t n);
/// The same for identifiers (request ids) made on every request: drawn from a per-thread
/// buffer of the system generator's bytes, refilled now and then, instead of a system
/// call each time. Not for keys: the buffer outlives the call.
std::string random_id_hex(std::size_t n);
/// 6 bytes of `at` in Unix milliseconds (big-endian), then `random` random bytes: values
/// made one after another sort by time, so a key made of them lands at the end of its
/// index instead of on a random page (UUIDv7 ids, manage tokens, message ids).
std::string time_ordered_bytes(Timestamp at, std::size_t random);

std::string hmac_sha256(std::string_view key, std::string_view message);
std::string sha256(std::string_view message);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace janji::crypto
