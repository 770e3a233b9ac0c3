#pragma once

#include "catalogue/service.hpp"
#include "http/router.hpp"

namespace janji::catalogue {

/// /services/packages and /services/types (seed 004).
void add_routes(http::Router& router, CatalogueService& catalogue);

}  // namespace janji::catalogue
