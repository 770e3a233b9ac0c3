#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace janji::importer {

/// One value of an INSERT row: nullopt is SQL NULL; otherwise the text, unescaped for a
/// quoted string and as written for a number.
using DumpValue = std::optional<std::string>;

struct DumpRow {
  std::size_t line = 0;  // where the row's "(" is, 1-based
  std::vector<DumpValue> values;
};

struct DumpTable {
  std::vector<std::string> columns;  // from CREATE TABLE or the INSERT's column list
  std::vector<DumpRow> rows;
  std::size_t line = 0;  // the first statement that named the table
};

/// The tables of a phpMyAdmin / mysqldump SQL dump, by name. Only CREATE TABLE (for the
/// column order) and INSERT INTO … VALUES (…),(…); are read; every other statement and
/// comment is skipped.
using Dump = std::map<std::string, DumpTable>;

/// A dump that cannot be read: where and why.
class DumpError : public std::runtime_error {
 public:
  DumpError(std::size_t line, const std::string& reason)
      : std::runtime_error("line " + std::to_string(line) + ": " + reason),
        line_(line),
        reason_(reason) {}
  std::size_t line() const { return line_; }
  const std::string& reason() const { return reason_; }

 private:
  std::size_t line_;
  std::string reason_;
};

/// Parses `text`. Strings take MySQL's escapes (\0 \' \" \b \n \r \t \Z \\ \% \_ and a
/// doubled quote); backquoted names; `--`, `#` and `/* */` comments. Throws DumpError on
/// anything malformed or truncated (a statement or string that never ends, a row whose
/// width differs from its columns).
Dump parse_mysql_dump(std::string_view text);

}  // namespace janji::importer
