#include "catalogue/dto.hpp"

#include <boost/json/array.hpp>
#include "core/json.hpp"

#include <boost/json/object.hpp>

namespace janji::catalogue {

namespace json = boost::json;

json::value to_json(const ServiceType& t) {
  return json::object{{"id", t.id},
                      {"package_id", t.package_id},
                      {"name", t.name},
                      {"description", json_or_null(t.description)},
                      {"price", format_money(t.price)}};
}

json::value to_json(const Package& p) {
  json::array types;
  for (const auto& t : p.service_types) types.push_back(to_json(t));
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"description", json_or_null(p.description)},
                      {"service_types", std::move(types)}};
}

}  // namespace janji::catalogue
