#include "core/json_text.hpp"

#include <charconv>

namespace janji {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of characters copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(escaped, sizeof escaped);
      }
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

JsonText& JsonText::object() {
  out_ += '{';
  first_ = true;
  return *this;
}

JsonText& JsonText::object(std::string_view k) {
  key(k);
  return object();
}

JsonText& JsonText::end() {
  out_ += '}';
  first_ = false;  // the closed object was a member (or the whole text) of what encloses it
  return *this;
}

void JsonText::key(std::string_view k) {
  if (!first_) out_ += ',';
  first_ = false;
  out_ += '"';
  out_ += k;
  out_ += "\":";
}

JsonText& JsonText::field(std::string_view k, std::string_view value) {
  key(k);
  append_json_string(out_, value);
  return *this;
}

JsonText& JsonText::field(std::string_view k, std::int64_t value) {
  key(k);
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
  out_.append(buf, end);
  return *this;
}

JsonText& JsonText::field(std::string_view k, const std::optional<std::string>& value) {
  if (value) return field(k, std::string_view(*value));
  key(k);
  out_ += "null";
  return *this;
}

}  // namespace janji
