#pragma once

#include "events/bus.hpp"
#include "infra/redis/client.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace janji::events {

/// One event as it travels on the internal channel: "<id>\n<stream>\n<type>\n<data>". The id
/// is put in front inside Redis, so the publisher sends only `encode_body`'s part.
struct WireEvent {
  std::uint64_t id = 0;
  std::string stream;
  std::string type;
  std::string data;
};

/// "<stream>\n<type>\n<data>"; throws std::invalid_argument when the stream or the type is
/// empty or holds a newline (the data may hold anything).
std::string encode_body(std::string_view stream, std::string_view type, std::string_view data);
/// The inverse of "<id>\n" + encode_body(...); nullopt when `message` is not one.
std::optional<WireEvent> decode_message(std::string_view message);

struct RedisBusOptions {
  std::string channel = "janji:events:0";            // the internal pub/sub channel
  std::string counter_key = "janji:events:last_id";  // the last id handed out
  std::string recent_key = "janji:events:recent";    // the newest events, for catch-up
  std::size_t keep_recent = 1000;                    // events kept under recent_key
  std::size_t max_pending = 10000;  // publishes queued while Redis is away; oldest dropped
  /// Events of `stream` with `type` are also published, payload only, on channel `type`
  /// (e.g. the course stream's booking.created, for consumers outside Janji).
  struct Mirror {
    std::string stream;
    std::string type;
  };
  std::vector<Mirror> mirrors;
};

/// The event bus shared by every instance on one Redis. `publish` queues the event and
/// returns; a publisher thread sends it with one script that takes the next id (never below
/// Redis' clock in microseconds, so ids keep increasing even when Redis lost its data),
/// keeps it in a capped list and PUBLISHes it. A subscriber thread delivers what arrives on
/// the channel to this process's Hub, so every instance sees every event in the same order
/// with the same id; watchers hear of an event when it is published here and again when it
/// arrives, from this instance or another. After a reconnect the subscriber first reads the capped
/// list, so events published while it was away are not lost. While Redis is away, publishes wait in
/// a bounded queue and both threads retry with backoff; nothing blocks the caller.
class RedisBus final : public Bus {
 public:
  RedisBus(redis::Client& client, RedisBusOptions options);
  ~RedisBus() override;

  void publish(std::string stream, std::string type, std::string data) override;

  void start() override;
  /// Sends what is still queued if Redis answers, then stops both threads (idempotent).
  void stop() override;
  /// Whether the subscriber is listening now.
  bool subscribed() const override { return subscribed_.load(); }
  boost::asio::awaitable<bool> answers() override;
  /// Publishes waiting to be sent.
  std::size_t pending() const;

 private:
  struct Pending {
    std::string stream;
    std::string type;
    std::string data;
  };
  void publish_loop();
  void send(redis::Connection& c, const Pending& p);
  void subscribe_loop();
  void listen(redis::Connection& conn);
  void catch_up();
  void handle(std::string_view message);
  /// Sleeps up to `d` unless stop() is called; false once stopping.
  bool pause(std::chrono::milliseconds d);

  redis::Client& client_;
  RedisBusOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  std::size_t dropped_ = 0;
  bool stopping_ = false;

  int wake_fd_ = -1;  // an eventfd that interrupts the subscriber's poll
  std::atomic<bool> subscribed_{false};
  std::uint64_t last_delivered_ = 0;  // subscriber thread only
  std::thread publisher_;
  std::thread subscriber_;
};

}  // namespace janji::events
