#pragma once

#include <string>
#include <string_view>
#include <vector>

/// CSV for spreadsheets (RFC 4180): what the exports write. Pure.
namespace janji {

/// The UTF-8 byte order mark: without it Excel reads UTF-8 as the local code page.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// A text cell: a value starting with '=', '+', '-', '@', a tab or a carriage return is
/// prefixed with an apostrophe so a spreadsheet shows it instead of running it as a formula
/// (CSV injection); quoted when it holds a comma, a quote or a line break.
std::string csv_text(std::string_view value);

/// A number cell (an id, money as plain digits): written as it is.
std::string csv_number(std::string_view digits);

/// One record of already-made cells, ended with CRLF.
std::string csv_row(const std::vector<std::string>& cells);

/// Money in minor units as a plain number with two decimals ("1500000.00").
std::string csv_money(long long minor_units);

}  // namespace janji
