#pragma once

#include "http/router.hpp"
#include "notify/service.hpp"

namespace janji::notify {

/// The admin API of notifications (course envelope): /api/admin/webhooks and
/// /api/admin/notifications. Webhook URLs to private addresses are refused unless
/// `allow_private` (WEBHOOK_ALLOW_PRIVATE).
void add_routes(http::Router& router, NotifyService& notify, bool allow_private);

}  // namespace janji::notify
