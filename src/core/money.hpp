#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace janji {

/// Money in integer minor units (sen): 1500000.00 is 150000000.
using Money = std::int64_t;

/// Largest amount a NUMERIC(12,2) column holds: 9,999,999,999.99.
inline constexpr Money kMaxMoney = 999'999'999'999;

/// "1500000.00": always exactly two decimals, never a float.
std::string format_money(Money minor);

enum class MoneyParse { kOk, kNotDecimal, kTooManyPlaces, kNegative, kTooLarge };

/// Parses "1500000", "1500000.5", "1500000.00" exactly; no exponent, no thousands separators.
MoneyParse parse_money(std::string_view text, Money& out);

/// Accepts a JSON number (1500000.0) or a decimal string ("1500000.00").
MoneyParse parse_money(const boost::json::value& v, Money& out);

}  // namespace janji
