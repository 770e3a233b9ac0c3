#include "core/money.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace janji {

std::string format_money(Money minor) {
  const bool negative = minor < 0;
  const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(minor) : minor;
  // Every booking of a long list has one: no printf.
  char buf[32];
  char* p = buf;
  if (negative) *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, abs / 100).ptr;
  const auto cents = static_cast<unsigned>(abs % 100);
  *p++ = '.';
  *p++ = static_cast<char>('0' + cents / 10);
  *p++ = static_cast<char>('0' + cents % 10);
  return std::string(buf, p);
}

MoneyParse parse_money(std::string_view text, Money& out) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::int64_t whole = 0;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (whole > kMaxMoney / 100) return MoneyParse::kTooLarge;
    whole = whole * 10 + (text[i] - '0');
  }
  std::int64_t fraction = 0;
  std::size_t places = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      // Trailing zeros beyond two places are harmless ("1.500"); other digits are not.
      if (places >= 2) {
        if (text[i] != '0') return MoneyParse::kTooManyPlaces;
        continue;
      }
      fraction = fraction * 10 + (text[i] - '0');
      ++places;
      ++digits;
    }
  }
  if (digits == 0 || i != text.size()) return MoneyParse::kNotDecimal;
  for (; places < 2; ++places) fraction *= 10;
  const std::int64_t minor = whole * 100 + fraction;
  if (minor > kMaxMoney) return MoneyParse::kTooLarge;
  if (negative && minor != 0) return MoneyParse::kNegative;
  out = minor;
  return MoneyParse::kOk;
}

MoneyParse parse_money(const boost::json::value& v, Money& out) {
  if (v.is_string()) return parse_money(std::string_view(v.get_string()), out);
  if (v.is_int64() || v.is_uint64()) {
    if (v.is_int64() && v.get_int64() < 0) return MoneyParse::kNegative;
    const auto whole = v.is_int64() ? static_cast<std::uint64_t>(v.get_int64()) : v.get_uint64();
    if (whole > static_cast<std::uint64_t>(kMaxMoney / 100)) return MoneyParse::kTooLarge;
    out = static_cast<Money>(whole) * 100;
    return MoneyParse::kOk;
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (!std::isfinite(d)) return MoneyParse::kNotDecimal;
    if (d < 0) return MoneyParse::kNegative;
    if (d > static_cast<double>(kMaxMoney) / 100.0) return MoneyParse::kTooLarge;
    const double scaled = d * 100.0;
    const double rounded = std::round(scaled);
    // A double holds two decimals only approximately; more places show as a real remainder.
    if (std::fabs(scaled - rounded) > std::max(1e-6, std::fabs(scaled) * 1e-15))
      return MoneyParse::kTooManyPlaces;
    out = static_cast<Money>(rounded);
    return MoneyParse::kOk;
  }
  return MoneyParse::kNotDecimal;
}

}  // namespace janji
