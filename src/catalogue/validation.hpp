#pragma once

#include "catalogue/dto.hpp"

#include <boost/json/value.hpp>

namespace janji::catalogue {

// The bodies the catalogue routes accept, decoded and validated without any IO. Each throws
// one 422 ApiError listing every failing field.

/// POST /services/packages.
NewPackage parse_new_package(boost::json::value body);
/// PATCH /services/packages/{id}.
PackageChange parse_package_change(boost::json::value body);
/// POST /services/types (the id is left at 0).
ServiceType parse_new_service_type(boost::json::value body);
/// PATCH /services/types/{id}.
ServiceTypeChange parse_service_type_change(boost::json::value body);

}  // namespace janji::catalogue
