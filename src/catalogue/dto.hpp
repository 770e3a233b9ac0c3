#pragma once

#include "core/money.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace janji::catalogue {

struct ServiceType {
  std::int64_t id = 0;
  std::int64_t package_id = 0;
  std::string name;
  std::optional<std::string> description;
  Money price = 0;
};

struct Package {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> description;
  std::vector<ServiceType> service_types;
};

struct NewPackage {
  std::string name;
  std::optional<std::string> description;
};

struct PackageChange {
  std::optional<std::string> name;
  bool set_description = false;
  std::optional<std::string> description;
};

struct ServiceTypeChange {
  std::optional<std::string> name;
  bool set_description = false;
  std::optional<std::string> description;
  std::optional<Money> price;
};

/// PackageRead: prices as two-decimal strings, types ordered by id.
boost::json::value to_json(const Package& p);
boost::json::value to_json(const ServiceType& t);
/// The PackageRead list as GET /services/packages answers it.
std::string to_json_text(const std::vector<Package>& packages);

}  // namespace janji::catalogue
