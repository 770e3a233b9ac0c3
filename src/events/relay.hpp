#pragma once

#include "events/bus.hpp"
#include "events/log.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace janji::events {

/// Feeds this instance from the event log: reads the rows after the last one it delivered
/// and hands them, in id order, to the hub (SSE streams), the watchers and the bus's
/// mirror. It reads when this instance committed events, when the bus says another one did,
/// and every `poll` in any case, so a lost wake-up (Redis away) only delays an event.
class Relay {
 public:
  Relay(db::Runner& db, Bus& bus, boost::asio::any_io_executor executor,
        std::chrono::milliseconds poll, std::size_t replay_per_stream);

  Hub& hub() { return hub_; }
  /// Runs `fn` (which must return at once) when this instance committed events of `stream`
  /// and again when they, or another instance's, are delivered. Watch before start().
  void watch(std::string stream, std::function<void()> fn);

  /// After a commit that logged events of `stream`: tell the watchers (so reads that follow
  /// see the change), read the events now and tell the other instances.
  void committed(std::string_view stream);

  /// Starts after the newest logged event (older ones are replayed from the log on demand),
  /// with the bus. Reads the database: call before serving.
  void start();
  void stop();
  /// The id of the newest logged event this instance delivered.
  std::int64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }

 private:
  void wake();
  boost::asio::awaitable<void> drain();
  boost::asio::awaitable<void> poll_loop();
  boost::asio::awaitable<std::vector<EventPtr>> read(std::string stream, std::uint64_t after,
                                                     std::uint64_t upto);
  void deliver(LoggedEvent row);
  void notify_watchers(std::string_view stream);

  struct Watcher {
    std::string stream;
    std::function<void()> fn;
  };

  db::Runner& db_;
  Bus& bus_;
  Hub hub_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer poll_timer_;
  std::chrono::milliseconds poll_;
  std::vector<Watcher> watchers_;  // only added to before start()

  std::atomic<bool> posted_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> delivered_{0};
  // Strand only:
  std::int64_t last_ = 0;
  bool running_ = false;
  bool again_ = false;
  bool failing_ = false;
};

}  // namespace janji::events
