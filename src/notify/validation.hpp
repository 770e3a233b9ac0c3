#pragma once

#include "http/message.hpp"
#include "notify/dto.hpp"

#include <boost/json/value.hpp>

namespace janji::notify {

/// The body of POST /api/admin/webhooks: an http(s) `url` (at most 2,000 characters),
/// `events` a non-empty list of known event types or ["*"], an optional `description`.
/// Refuses a URL whose host is a loopback or private address, or "localhost", unless
/// `allow_private` (WEBHOOK_ALLOW_PRIVATE); a name that resolves to one is refused when sent.
WebhookRequest parse_webhook_request(boost::json::value body, bool allow_private);

/// ?status=&channel=&page=&limit= of the delivery list.
DeliveryFilter parse_delivery_filter(const http::Pairs& query);

}  // namespace janji::notify
