#pragma once

#include "events/bus.hpp"
#include "infra/redis/client.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <string>
#include <thread>
#include <vector>

namespace janji::events {

struct RedisBusOptions {
  std::string channel = "janji:events:0";           // the wake-up channel between instances
  std::string mirrored_prefix = "janji:mirrored:";  // + event id: sent once per cluster
  std::chrono::seconds mirrored_ttl{86400};
  std::size_t max_pending = 10000;  // mirrors queued while Redis is away; oldest dropped
  /// Events of `stream` with `type` are also published, payload only, on channel `type`
  /// (e.g. the course stream's booking.created, for consumers outside Janji).
  struct Mirror {
    std::string stream;
    std::string type;
  };
  std::vector<Mirror> mirrors;
};

/// Wake-ups between the instances on one Redis. `announce` returns at once; a publisher
/// thread PUBLISHes one wake-up for any number of announcements made meanwhile, in one
/// write with the mirrored events queued meanwhile, each guarded by a SET NX on its id so
/// only the first instance to offer it sends it. A subscriber thread reports what arrives
/// on the channel, and reports once after each (re)subscription, since wake-ups sent while
/// it was away are lost. While Redis is away both threads retry with backoff; nothing
/// blocks the caller, and the relay's polling still finds every event.
class RedisBus final : public Bus {
 public:
  RedisBus(redis::Client& client, RedisBusOptions options);
  ~RedisBus() override;

  void announce() override;
  void mirror(const Event& e) override;

  void start() override;
  /// Sends what is still queued if Redis answers, then stops both threads (idempotent).
  void stop() override;
  /// Whether the subscriber is listening now.
  bool subscribed() const override { return subscribed_.load(); }
  boost::asio::awaitable<bool> answers() override;
  /// Mirrors waiting to be sent.
  std::size_t pending() const;

 private:
  struct Pending {
    std::uint64_t id = 0;
    std::string channel;
    std::string data;
  };
  void publish_loop();
  void subscribe_loop();
  void listen(redis::Connection& conn);
  /// Sleeps up to `d` unless stop() is called; false once stopping.
  bool pause(std::chrono::milliseconds d);

  redis::Client& client_;
  RedisBusOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool announce_ = false;
  std::deque<Pending> queue_;
  std::size_t dropped_ = 0;
  bool stopping_ = false;

  int wake_fd_ = -1;  // an eventfd that interrupts the subscriber's poll
  std::atomic<bool> subscribed_{false};
  std::thread publisher_;
  std::thread subscriber_;
};

}  // namespace janji::events
