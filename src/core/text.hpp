#pragma once

#include <string>
#include <string_view>

namespace janji {

/// ASCII lower case, as used for e-mail keys and media types; other bytes are kept as they
/// are (the same as std::tolower in the C locale).
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// `s` with each invalid UTF-8 sequence replaced by U+FFFD, as Python's "replace" decoding
/// does (the original backend's framework decodes percent-escapes so). Percent-decoding
/// yields arbitrary bytes; text the service keeps, echoes in JSON or hands to PostgreSQL
/// must be UTF-8.
std::string to_valid_utf8(std::string_view s);

}  // namespace janji
