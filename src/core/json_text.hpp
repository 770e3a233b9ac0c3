#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace janji {

/// Writes JSON text straight onto the end of a string, key by key, with no tree in between:
/// for the rows of long lists, where building a value per row costs more than the row. The
/// text is what boost::json::serialize makes of the same object.
///
///   JsonText(out).object().field("id", 7).field("name", name).end();
///
/// Keys are names from the code and are written as they are; values are escaped.
class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  JsonText& object();
  /// Starts a nested object as the value of `key`.
  JsonText& object(std::string_view key);
  /// Closes the innermost open object.
  JsonText& end();

  JsonText& field(std::string_view key, std::string_view value);
  JsonText& field(std::string_view key, const std::string& value) {
    return field(key, std::string_view(value));
  }
  JsonText& field(std::string_view key, const char* value) {
    return field(key, std::string_view(value));
  }
  JsonText& field(std::string_view key, std::int64_t value);
  JsonText& field(std::string_view key, int value) {
    return field(key, static_cast<std::int64_t>(value));
  }
  /// The text, or null.
  JsonText& field(std::string_view key, const std::optional<std::string>& value);

 private:
  void key(std::string_view k);

  std::string& out_;
  bool first_ = true;  // no member written yet in the innermost object
};

/// Appends `s` as a JSON string, quotes included, escaped as boost::json::serialize does.
void append_json_string(std::string& out, std::string_view s);

}  // namespace janji
