#include "catalogue/validation.hpp"

#include "core/fields.hpp"

#include <cstdint>

namespace janji::catalogue {

namespace json = boost::json;

namespace {
constexpr std::size_t kNameMax = 120;
constexpr std::size_t kDescriptionMax = 2000;
}  // namespace

NewPackage parse_new_package(json::value body) {
  Fields f(std::move(body));
  f.forbid_unknown({"name", "description"});
  NewPackage p;
  p.name = f.required_string("name", 1, kNameMax);
  p.description = f.optional_string("description", kDescriptionMax);
  f.finish();
  return p;
}

PackageChange parse_package_change(json::value body) {
  Fields f(std::move(body));
  f.forbid_unknown({"name", "description"});
  PackageChange ch;
  ch.name = f.patch_string("name", 1, kNameMax).value;
  auto d = f.patch_string("description", 0, kDescriptionMax);
  ch.set_description = d.present;
  ch.description = d.value;
  f.finish();
  return ch;
}

ServiceType parse_new_service_type(json::value body) {
  Fields f(std::move(body));
  f.forbid_unknown({"package_id", "name", "description", "price"});
  ServiceType t;
  t.package_id = f.required_int("package_id", 1, INT64_MAX);
  t.name = f.required_string("name", 1, kNameMax);
  t.description = f.optional_string("description", kDescriptionMax);
  t.price = f.required_money("price");
  f.finish();
  return t;
}

ServiceTypeChange parse_service_type_change(json::value body) {
  Fields f(std::move(body));
  f.forbid_unknown({"name", "description", "price"});
  ServiceTypeChange ch;
  ch.name = f.patch_string("name", 1, kNameMax).value;
  auto d = f.patch_string("description", 0, kDescriptionMax);
  ch.set_description = d.present;
  ch.description = d.value;
  ch.price = f.patch_money("price").value;
  f.finish();
  return ch;
}

}  // namespace janji::catalogue
