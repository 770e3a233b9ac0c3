#pragma once

#include "audit/store.hpp"
#include "http/router.hpp"

namespace janji::audit {

/// GET /api/admin/audit (admin, course envelope).
void add_routes(http::Router& router, AuditStore& audit);

}  // namespace janji::audit
