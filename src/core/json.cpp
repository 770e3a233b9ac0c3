#include "core/json.hpp"

#include <boost/json/serializer.hpp>

namespace janji {

void serialize_into(std::string& out, const boost::json::value& v) {
  boost::json::serializer sr;
  sr.reset(&v);
  char chunk[4096];
  while (!sr.done()) out += sr.read(chunk, sizeof chunk);
}

void JsonArrayText::append(const boost::json::value& element) {
  const bool first = text_.size() == 1;
  if (!first) text_ += ',';
  serialize_into(text_, element);
  if (first && expected_ > 1) {
    // Elements of one list are alike in size; an eighth more for those that are longer.
    const auto each = text_.size();
    text_.reserve(each + (expected_ - 1) * (each + each / 8 + 1) + 1);
  }
}

std::string JsonArrayText::finish() && {
  text_ += ']';
  return std::move(text_);
}

}  // namespace janji
