#include "importer/mysql_dump.hpp"

#include "core/text.hpp"

namespace janji::importer {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Dump run() {
    Dump dump;
    for (;;) {
      skip_blank();
      if (at_end()) break;
      if (peek() == ';') {
        next();
        continue;
      }
      const auto start = line_;
      const auto word = ascii_lower(read_word());
      if (word == "create" && next_word_is("table")) {
        create_table(dump, start);
      } else if (word == "insert" || word == "replace") {
        insert(dump, start);
      } else {
        skip_statement(start);
      }
    }
    return dump;
  }

 private:
  // -- characters ----------------------------------------------------------------------
  bool at_end() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  char next() {
    const char c = s_[i_++];
    if (c == '\n') ++line_;
    return c;
  }
  [[noreturn]] void fail(const std::string& why) const { throw DumpError(line_, why); }
  [[noreturn]] void truncated(std::size_t started, const char* what) const {
    throw DumpError(started, std::string("the dump ends inside ") + what +
                                 " that starts here (is the file cut short?)");
  }

  // Whitespace and comments. "/*!40101 … */" is MySQL's versioned code: a comment to us.
  void skip_blank() {
    for (;;) {
      while (!at_end() && is_space(peek())) next();
      if (peek() == '#' ||
          (peek() == '-' && peek(1) == '-' && (is_space(peek(2)) || i_ + 2 == s_.size()))) {
        while (!at_end() && peek() != '\n') next();
      } else if (peek() == '/' && peek(1) == '*') {
        const auto started = line_;
        next();
        next();
        while (!at_end() && !(peek() == '*' && peek(1) == '/')) next();
        if (at_end()) truncated(started, "a comment");
        next();
        next();
      } else {
        return;
      }
    }
  }

  std::string read_word() {
    std::string w;
    while (!at_end() && is_word(peek())) w.push_back(next());
    if (w.empty()) fail(std::string("unexpected '") + peek() + "'");
    return w;
  }

  bool next_word_is(std::string_view expected) {
    skip_blank();
    const auto save_i = i_;
    const auto save_line = line_;
    std::string w;
    while (!at_end() && is_word(peek())) w.push_back(next());
    if (ascii_lower(w) == expected) return true;
    i_ = save_i;
    line_ = save_line;
    return false;
  }

  // A table or column name: `backquoted` (`` doubles a backquote) or bare; "db.table"
  // keeps the last part.
  std::string read_name() {
    std::string name;
    for (;;) {
      skip_blank();
      name.clear();
      if (peek() == '`') {
        const auto started = line_;
        next();
        for (;;) {
          if (at_end()) truncated(started, "a quoted name");
          const char c = next();
          if (c == '`') {
            if (peek() != '`') break;
            next();
          }
          name.push_back(c);
        }
      } else {
        name = read_word();
      }
      if (peek() != '.') return name;
      next();
    }
  }

  void expect(char c, const char* where) {
    skip_blank();
    if (peek() != c) {
      if (at_end()) fail(std::string("the dump ends where ") + where + " expected '" + c + "'");
      fail(std::string("expected '") + c + "' " + where + ", found '" + peek() + "'");
    }
    next();
  }

  // -- statements ----------------------------------------------------------------------
  // Skips to the ';' that ends the statement, stepping over strings, names and comments.
  void skip_statement(std::size_t started) {
    for (;;) {
      skip_blank();
      if (at_end()) truncated(started, "a statement");
      const char c = peek();
      if (c == ';') {
        next();
        return;
      }
      if (c == '\'' || c == '"') {
        (void)read_string();
      } else if (c == '`') {
        (void)read_name();
      } else {
        next();
      }
    }
  }

  void create_table(Dump& dump, std::size_t started) {
    if (next_word_is("if")) {
      if (!next_word_is("not") || !next_word_is("exists")) fail("expected IF NOT EXISTS");
    }
    const auto name = read_name();
    expect('(', "after the table name");
    std::vector<std::string> columns;
    // One definition per comma at depth 1: a column starts with its name, the rest
    // (PRIMARY KEY, KEY, UNIQUE, CONSTRAINT …) with a keyword.
    for (;;) {
      skip_blank();
      if (at_end()) truncated(started, "a CREATE TABLE");
      const bool quoted = peek() == '`';
      auto first = read_name();
      static const char* kKeywords[] = {"primary", "key",   "unique",   "index",  "constraint",
                                        "foreign", "check", "fulltext", "spatial"};
      bool keyword = false;
      if (!quoted)
        for (const char* k : kKeywords) keyword = keyword || ascii_lower(first) == k;
      if (!keyword) columns.push_back(std::move(first));
      // To the next ',' or ')' at this depth.
      int depth = 0;
      for (;;) {
        skip_blank();
        if (at_end()) truncated(started, "a CREATE TABLE");
        const char c = peek();
        if (c == '\'' || c == '"') {
          (void)read_string();
          continue;
        }
        if (c == '`') {
          (void)read_name();
          continue;
        }
        next();
        if (c == '(') ++depth;
        if (c == ')' && depth-- == 0) break;
        if (c == ',' && depth == 0) break;
      }
      if (s_[i_ - 1] == ')') break;
    }
    skip_statement(started);  // ENGINE=… DEFAULT CHARSET=…;
    auto& table = dump[name];
    if (table.line == 0) table.line = started;
    if (table.columns.empty()) table.columns = std::move(columns);
  }

  void insert(Dump& dump, std::size_t started) {
    (void)(next_word_is("ignore") || next_word_is("low_priority") || next_word_is("delayed") ||
           next_word_is("high_priority"));
    (void)next_word_is("ignore");
    if (!next_word_is("into")) fail("expected INTO after INSERT");
    const auto name = read_name();
    auto& table = dump[name];
    if (table.line == 0) table.line = started;
    skip_blank();
    std::vector<std::string> columns;
    if (peek() == '(') {
      next();
      for (;;) {
        columns.push_back(read_name());
        skip_blank();
        if (at_end()) truncated(started, "an INSERT");
        if (peek() == ',') {
          next();
          continue;
        }
        expect(')', "after the column list");
        break;
      }
      if (table.columns.empty()) table.columns = columns;
      if (columns != table.columns)
        fail("the INSERT's columns of `" + name + "` differ from those of its other statements");
    }
    if (!next_word_is("values") && !next_word_is("value")) {
      if (at_end()) truncated(started, "an INSERT");
      fail("expected VALUES in the INSERT into `" + name + "`");
    }
    for (;;) {
      skip_blank();
      if (at_end()) truncated(started, "an INSERT");
      DumpRow row;
      row.line = line_;
      expect('(', "at the start of a row");
      for (;;) {
        row.values.push_back(read_value(started));
        skip_blank();
        if (at_end()) truncated(started, "an INSERT");
        const char c = next();
        if (c == ')') break;
        if (c != ',') fail(std::string("expected ',' or ')' in a row, found '") + c + "'");
      }
      if (!table.columns.empty() && row.values.size() != table.columns.size())
        throw DumpError(row.line, "a row of `" + name + "` has " +
                                      std::to_string(row.values.size()) + " values for " +
                                      std::to_string(table.columns.size()) + " columns");
      table.rows.push_back(std::move(row));
      skip_blank();
      if (at_end()) truncated(started, "an INSERT");
      const char c = next();
      if (c == ';') return;
      if (c != ',') fail(std::string("expected ',' or ';' after a row, found '") + c + "'");
    }
  }

  // -- values --------------------------------------------------------------------------
  std::string read_string() {
    const auto started = line_;
    const char quote = next();
    std::string out;
    for (;;) {
      if (at_end()) truncated(started, "a string");
      const char c = next();
      if (c == quote) {
        if (peek() != quote) return out;
        out.push_back(next());  // a doubled quote
      } else if (c == '\\') {
        if (at_end()) truncated(started, "a string");
        const char e = next();
        switch (e) {
          case '0':
            out.push_back('\0');
            break;
          case 'b':
            out.push_back('\b');
            break;
          case 'n':
            out.push_back('\n');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'Z':
            out.push_back('\x1A');
            break;
          case '%':
          case '_':  // MySQL keeps the backslash of these two outside LIKE patterns
            out.push_back('\\');
            out.push_back(e);
            break;
          default:
            out.push_back(e);  // \' \" \\ and any other character stand for themselves
        }
      } else {
        out.push_back(c);
      }
    }
  }

  DumpValue read_value(std::size_t started) {
    skip_blank();
    if (at_end()) truncated(started, "an INSERT");
    const char c = peek();
    if (c == '\'' || c == '"') return read_string();
    if ((c == 'x' || c == 'X') && peek(1) == '\'') {
      next();
      return decode_hex(read_string());
    }
    if (c == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      next();
      next();
      std::string digits;
      while (!at_end() && hex_digit(peek()) >= 0) digits.push_back(next());
      return decode_hex(digits);
    }
    if (c == '_') {  // a character set introducer: _utf8mb4'…', _binary'…'
      (void)read_word();
      skip_blank();
      if (peek() != '\'' && peek() != '"') fail("expected a string after a character set name");
      return read_string();
    }
    std::string token;
    while (!at_end() && peek() != ',' && peek() != ')' && !is_space(peek()))
      token.push_back(next());
    const auto lower = ascii_lower(token);
    if (lower == "null") return std::nullopt;
    if (lower == "true") return "1";
    if (lower == "false") return "0";
    const bool number = !token.empty() &&
                        token.find_first_not_of("+-0123456789.eE") == std::string::npos &&
                        token.find_first_of("0123456789") != std::string::npos;
    if (!number) fail("unsupported value '" + token.substr(0, 40) + "'");
    return token;
  }

  std::string decode_hex(const std::string& digits) {
    if (digits.size() % 2 != 0) fail("a hex literal with an odd number of digits");
    std::string out;
    for (std::size_t k = 0; k < digits.size(); k += 2) {
      const int hi = hex_digit(digits[k]), lo = hex_digit(digits[k + 1]);
      if (hi < 0 || lo < 0) fail("a hex literal with a character that is not a hex digit");
      out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

Dump parse_mysql_dump(std::string_view text) {
  return Parser(text).run();
}

}  // namespace janji::importer
