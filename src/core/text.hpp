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

}  // namespace janji
