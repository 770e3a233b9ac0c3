#include "notify/phone.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <stdexcept>

namespace janji::notify {

namespace {

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The Indonesian mobile rule on the digits after the country code 62: 8, then 8 to 12 more.
std::optional<std::string> indonesian_mobile(std::string_view national) {
  if (national.size() < 9 || national.size() > 13 || national[0] != '8') return std::nullopt;
  return "+62" + std::string(national);
}

}  // namespace

std::optional<std::string> to_e164(std::string_view number) {
  std::string s;
  s.reserve(number.size());
  for (const char c : number)
    if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') s.push_back(c);
  const std::string_view v = s;

  if (v.starts_with('+')) {
    const auto digits = v.substr(1);
    if (!all_digits(digits) || digits.size() < 8 || digits.size() > 15 || digits[0] == '0')
      return std::nullopt;
    if (digits.starts_with("62")) {
      const auto national = digits.substr(2);
      if (national.starts_with('0')) return std::nullopt;
      // A +62 number that looks like a mobile one is held to the mobile rule, so a digit
      // too many or too few is caught; other +62 numbers (landlines) only to E.164's.
      if (national.starts_with('8')) return indonesian_mobile(national);
    }
    return std::string(v);
  }
  if (!all_digits(v)) return std::nullopt;
  if (v.starts_with("08")) return indonesian_mobile(v.substr(1));
  if (v.starts_with("628")) return indonesian_mobile(v.substr(2));
  return std::nullopt;
}

std::string wa_me_link(std::string_view e164, std::string_view text) {
  if (!e164.starts_with('+') || e164.size() < 2 || !all_digits(e164.substr(1)))
    throw std::invalid_argument("wa_me_link needs an E.164 number, got \"" + std::string(e164) +
                                "\"");
  std::string link = "https://wa.me/";
  link += e164.substr(1);
  if (text.empty()) return link;
  // Only the unreserved characters stay as they are: '&', '#', '+' or a newline in the
  // message must not end or alter the query.
  link += "?text=";
  link += boost::urls::encode(text, boost::urls::unreserved_chars);
  return link;
}

}  // namespace janji::notify
