#include "catalogue/dto.hpp"

#include "core/json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

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

std::string to_json_text(const std::vector<Package>& packages) {
  json::array out;
  for (const auto& p : packages) out.push_back(to_json(p));
  return json::serialize(out);
}

}  // namespace janji::catalogue
