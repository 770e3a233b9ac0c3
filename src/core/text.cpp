#include "core/text.hpp"

namespace janji {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 if there is none
// (the table of well-formed byte sequences in Unicode 15, section 3.9).
std::size_t sequence_length(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0;  // no overlong forms
    else if (c == 0xED)
      hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;  // no overlong forms
    else if (c == 0xF4)
      hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  return n;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  while (!s.empty()) {
    const auto n = sequence_length(s);
    if (n == 0) return false;
    s.remove_prefix(n);
  }
  return true;
}

std::string to_valid_utf8(std::string_view s) {
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
