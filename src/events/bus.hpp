#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace janji::events {

/// One published event, immutable once made; every subscriber shares the same object.
struct Event {
  std::uint64_t id = 0;  // increasing; the SSE `id:` line
  std::string stream;    // "bookings", "segments", "course_bookings", ...
  std::string type;      // "booking_created", ...
  std::string data;      // the payload, already serialised as JSON text
  std::string frame;     // the whole SSE frame, built once
};
using EventPtr = std::shared_ptr<const Event>;

/// `id: N` + `data: {"type": ..., "data": "<payload as a JSON string>"}` on one line, as
/// seed 004's clients parse it.
std::string sse_frame(std::uint64_t id, std::string_view type, std::string_view data);

/// A subscriber's queue. Events are pushed from any thread; the owner waits on `wake`,
/// which lives on the owner's executor. A subscriber that falls more than `max_backlog`
/// events behind is marked overflowed and told to stop.
class Subscription : public std::enable_shared_from_this<Subscription> {
 public:
  Subscription(boost::asio::any_io_executor executor, std::size_t max_backlog);

  /// Takes every queued event (in order).
  std::vector<EventPtr> take();
  bool overflowed() const;
  /// Waits until an event arrives, `timeout` passes, or `stop()` is called.
  boost::asio::steady_timer& timer() { return timer_; }
  void stop();
  bool stopped() const;

 private:
  friend class Hub;
  void push(const EventPtr& e);

  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;
  std::size_t max_backlog_;
  mutable std::mutex mutex_;
  std::deque<EventPtr> queue_;
  bool overflowed_ = false;
  bool stopped_ = false;
};

/// Fans events out to this process's subscribers and keeps the recent ones of each stream
/// for `Last-Event-ID` replay. Bus implementations (in-process, Redis) feed it.
class Hub {
 public:
  /// `replay` events kept per stream (at least 1).
  explicit Hub(std::size_t replay_per_stream = 1000);

  /// Registers a subscriber; with `last_event_id`, the kept events after it are queued first.
  std::shared_ptr<Subscription> subscribe(const std::string& stream,
                                          boost::asio::any_io_executor ex,
                                          std::optional<std::uint64_t> last_event_id,
                                          std::size_t max_backlog);
  void unsubscribe(const std::string& stream, const std::shared_ptr<Subscription>& s);
  void deliver(const EventPtr& e);
  std::size_t subscribers(const std::string& stream);
  /// The newest kept event of `stream`, if any.
  EventPtr latest(const std::string& stream);
  /// Per-stream replay depth (the segments stream keeps only its latest snapshot).
  void set_replay(const std::string& stream, std::size_t n);

 private:
  struct Stream {
    std::deque<EventPtr> recent;
    std::size_t keep;
    std::vector<std::weak_ptr<Subscription>> subscribers;
  };
  Stream& stream_locked(const std::string& name);

  std::size_t default_replay_;
  std::mutex mutex_;
  std::unordered_map<std::string, Stream> streams_;
};

/// Where services publish. Publishing never blocks on subscribers.
class Bus {
 public:
  virtual ~Bus() = default;
  virtual void publish(std::string stream, std::string type, std::string data) = 0;
  Hub& hub() { return hub_; }

  /// Runs `fn` after an event of `stream` is published in this process, and, on a bus shared
  /// between instances, when one published by another instance arrives. An event of this
  /// process may be reported twice (once published, once back from the other instances'
  /// channel), on the publisher's thread or the bus's own: `fn` should only note that
  /// something changed, and return at once. Watch before start() and before any publish.
  void watch(std::string stream, std::function<void()> fn);

  /// Starts exchanging events with other instances (nothing to do in-process). Not in the
  /// constructor: watchers must not run before everything they call into exists.
  virtual void start() {}
  /// Stops exchanging events, sending what is still queued if it can (idempotent).
  virtual void stop() {}
  /// Whether events of other instances reach this one now; always for an in-process bus.
  virtual bool subscribed() const { return true; }
  /// For /health: whether the bus works now. A subscriber that is (re)connecting right now
  /// gets a moment, so a start-up does not look like an outage.
  virtual boost::asio::awaitable<bool> answers() { co_return true; }

 protected:
  /// An id larger than every id this process made before, close to the current time in
  /// microseconds, so ids keep increasing across restarts.
  std::uint64_t next_id();
  /// Runs the watchers of `stream`.
  void changed(std::string_view stream);
  Hub hub_;

 private:
  struct Watcher {
    std::string stream;
    std::function<void()> fn;
  };
  std::mutex id_mutex_;
  std::uint64_t last_id_ = 0;
  std::vector<Watcher> watchers_;  // only added to before the bus is in use
};

/// Events stay inside this process.
class LocalBus final : public Bus {
 public:
  void publish(std::string stream, std::string type, std::string data) override;
};

}  // namespace janji::events
