#pragma once

#include "infra/db/runner.hpp"
#include "notify/dto.hpp"

#include "audit/dto.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <vector>

namespace janji::notify {

/// Webhook endpoints and the outbox's deliveries, as admins see and change them.
class NotifyStore {
 public:
  explicit NotifyStore(db::Runner& db) : db_(db) {}

  /// Stores `e` (its id ignored) and returns it with its id.
  boost::asio::awaitable<WebhookEndpoint> add_endpoint(WebhookEndpoint e, audit::Actor by);
  boost::asio::awaitable<std::vector<WebhookEndpoint>> endpoints();
  boost::asio::awaitable<std::optional<WebhookEndpoint>> endpoint(std::int64_t id);
  /// False when there was no such endpoint. Its queued deliveries fail when their turn comes.
  boost::asio::awaitable<bool> remove_endpoint(std::int64_t id, Timestamp now, audit::Actor by);

  /// Newest first.
  boost::asio::awaitable<DeliveryPage> deliveries(DeliveryFilter filter);
  boost::asio::awaitable<std::optional<DeliveryRecord>> delivery(std::int64_t id);
  /// Makes a queued or failed delivery due at `now` (its next attempt, with the same id);
  /// nullopt when there is no such delivery. A delivery that is sent, or handed over as a
  /// wa.me link, is returned unchanged.
  boost::asio::awaitable<std::optional<DeliveryRecord>> retry(std::int64_t id, Timestamp now,
                                                              audit::Actor by);

 private:
  db::Runner& db_;
};

}  // namespace janji::notify
