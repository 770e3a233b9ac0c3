#include "core/csv.hpp"

#include <cstdio>
#include <cstdlib>

namespace janji {

std::string csv_text(std::string_view value) {
  std::string cell;
  if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                         value.front() == '@' || value.front() == '\t' || value.front() == '\r'))
    cell += '\'';
  cell += value;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char ch : cell) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  quoted += '"';
  return quoted;
}

std::string csv_number(std::string_view digits) {
  return std::string(digits);
}

std::string csv_row(const std::vector<std::string>& cells) {
  std::string row;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) row += ',';
    row += cells[i];
  }
  row += "\r\n";
  return row;
}

std::string csv_money(long long minor_units) {
  char out[32];
  std::snprintf(out, sizeof out, "%s%lld.%02lld", minor_units < 0 ? "-" : "",
                std::llabs(minor_units) / 100, std::llabs(minor_units) % 100);
  return out;
}

}  // namespace janji
