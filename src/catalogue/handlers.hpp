#pragma once

#include "catalogue/store.hpp"
#include "http/router.hpp"

namespace janji::catalogue {

/// /services/packages and /services/types (seed 004).
void add_routes(http::Router& router, CatalogueStore& store);

}  // namespace janji::catalogue
