#pragma once

#include "notify/sender.hpp"
#include "notify/store.hpp"

namespace janji::notify {

/// Webhook endpoints and deliveries for admins: secrets are made here and shown once; a
/// retry wakes the sender.
class NotifyService {
 public:
  NotifyService(NotifyStore& store, Sender& sender) : store_(store), sender_(sender) {}

  /// The endpoint with its new secret (the only time it is shown).
  boost::asio::awaitable<WebhookEndpoint> add_webhook(WebhookRequest request, audit::Actor by);
  boost::asio::awaitable<std::vector<WebhookEndpoint>> webhooks();
  /// 404 when absent.
  boost::asio::awaitable<WebhookEndpoint> webhook(std::int64_t id);
  boost::asio::awaitable<void> remove_webhook(std::int64_t id, audit::Actor by);

  boost::asio::awaitable<DeliveryPage> deliveries(DeliveryFilter filter);
  /// Sends a queued or failed delivery now (one more attempt, same id); 404 when absent,
  /// 409 when it was sent already or is a wa.me link.
  boost::asio::awaitable<DeliveryRecord> retry(std::int64_t id, audit::Actor by);

 private:
  NotifyStore& store_;
  Sender& sender_;
};

}  // namespace janji::notify
