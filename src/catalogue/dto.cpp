#include "catalogue/dto.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace janji::catalogue {

namespace json = boost::json;

namespace {
json::value opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}
}  // namespace

json::value to_json(const ServiceType& t) {
  return json::object{{"id", t.id},
                      {"package_id", t.package_id},
                      {"name", t.name},
                      {"description", opt(t.description)},
                      {"price", format_money(t.price)}};
}

json::value to_json(const Package& p) {
  json::array types;
  for (const auto& t : p.service_types) types.push_back(to_json(t));
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"description", opt(p.description)},
                      {"service_types", std::move(types)}};
}

}  // namespace janji::catalogue
