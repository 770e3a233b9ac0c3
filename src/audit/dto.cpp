#include "audit/dto.hpp"

#include <boost/json.hpp>

namespace janji::audit {

namespace json = boost::json;

namespace {

json::value embedded(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  return ec ? json::value(*text) : v;
}

}  // namespace

json::value to_json(const Entry& e) {
  return json::object{{"id", e.id},
                      {"at", format_iso_z(e.at)},
                      {"actor_id", e.actor_id ? json::value(*e.actor_id) : json::value(nullptr)},
                      {"action", e.action},
                      {"subject_type", e.subject_type},
                      {"subject_id", e.subject_id},
                      {"before", embedded(e.before)},
                      {"after", embedded(e.after)}};
}

}  // namespace janji::audit
