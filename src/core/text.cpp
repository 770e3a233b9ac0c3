#include "core/text.hpp"

namespace janji {

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      out.push_back(s[i++]);
      continue;
    }
    // Continuation bytes the lead byte announces, and the range of the first of them
    // (narrower after E0, ED, F0 and F4: no overlong forms, surrogates or code points
    // past U+10FFFF).
    std::size_t follow = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      follow = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      follow = 2;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      follow = 3;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    }
    std::size_t len = 1;
    for (; follow > 0 && len <= follow && i + len < s.size(); ++len) {
      const auto b = static_cast<unsigned char>(s[i + len]);
      if (b < (len == 1 ? lo : 0x80) || b > (len == 1 ? hi : 0xBF)) break;
    }
    if (follow > 0 && len == follow + 1)
      out.append(s.substr(i, len));
    else
      out += "\xEF\xBF\xBD";  // U+FFFD for the longest broken start of a sequence
    i += len;
  }
  return out;
}

}  // namespace janji
