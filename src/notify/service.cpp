#include "notify/service.hpp"

#include "core/error.hpp"
#include "notify/webhook_sign.hpp"

namespace janji::notify {

namespace asio = boost::asio;

namespace {

ApiError webhook_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "WEBHOOK_NOT_FOUND", "Webhook endpoint not found");
}

ApiError delivery_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "NOTIFICATION_NOT_FOUND", "Notification not found");
}

}  // namespace

asio::awaitable<WebhookEndpoint> NotifyService::add_webhook(WebhookRequest request,
                                                            audit::Actor by) {
  WebhookEndpoint e;
  e.url = std::move(request.url);
  e.events = std::move(request.events);
  e.description = std::move(request.description);
  e.secret = new_webhook_secret();
  e.created_at = now_utc();
  co_return co_await store_.add_endpoint(std::move(e), by);
}

asio::awaitable<std::vector<WebhookEndpoint>> NotifyService::webhooks() {
  co_return co_await store_.endpoints();
}

asio::awaitable<WebhookEndpoint> NotifyService::webhook(std::int64_t id) {
  auto e = co_await store_.endpoint(id);
  if (!e) throw webhook_not_found();
  co_return std::move(*e);
}

asio::awaitable<void> NotifyService::remove_webhook(std::int64_t id, audit::Actor by) {
  const bool removed = co_await store_.remove_endpoint(id, now_utc(), by);
  if (!removed) throw webhook_not_found();
}

asio::awaitable<DeliveryPage> NotifyService::deliveries(DeliveryFilter filter) {
  co_return co_await store_.deliveries(std::move(filter));
}

asio::awaitable<DeliveryRecord> NotifyService::retry(std::int64_t id, audit::Actor by) {
  auto d = co_await store_.retry(id, now_utc(), by);
  if (!d) throw delivery_not_found();
  if (d->status == "sending")
    throw ApiError::coded(ErrorCode::kConflict, "INVALID_STATUS",
                          "The notification is being sent right now");
  if (d->status != "queued")
    throw ApiError::coded(ErrorCode::kConflict, "INVALID_STATUS",
                          d->channel == "wa_link" ? "A wa.me link is sent by hand, not retried"
                                                  : "The notification was sent already");
  sender_.wake();
  co_return std::move(*d);
}

}  // namespace janji::notify
