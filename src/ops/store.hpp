#pragma once

#include "infra/db/db.hpp"
#include "ops/metrics.hpp"

namespace janji::ops {

/// The notification queue by channel and status, and the newest logged event's id, from
/// the database into `s`.
void read_queues(db::Connection& c, Snapshot& s);

}  // namespace janji::ops
