#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace janji {

/// A nullable text field as JSON: the string, or null.
inline boost::json::value json_or_null(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

}  // namespace janji
