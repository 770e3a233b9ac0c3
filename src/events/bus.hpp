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
#include <utility>
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

/// An event with its frame built.
EventPtr make_event(std::uint64_t id, std::string stream, std::string type, std::string data);

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
  /// The ids (after, upto] to read from the log before what is queued, when the replay
  /// reaches back further than the hub keeps.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> log_replay() const { return log_replay_; }

 private:
  friend class Hub;
  void push(const EventPtr& e);

  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;
  std::size_t max_backlog_;
  mutable std::mutex mutex_;
  std::deque<EventPtr> queue_;
  bool overflowed_ = false;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> log_replay_;
  bool stopped_ = false;
};

/// Reads the logged events of `stream` with ids in (after, upto], oldest first.
using LogReader = std::function<boost::asio::awaitable<std::vector<EventPtr>>(
    std::string stream, std::uint64_t after, std::uint64_t upto)>;

/// Fans events out to this process's subscribers and keeps the recent ones of each stream,
/// so most `Last-Event-ID` replays need no read. Events are delivered in id order (the
/// relay reads them from the log). A replay that reaches further back than what is kept is
/// read from the log, when the hub has a reader and the stream is durable.
class Hub {
 public:
  /// `replay` events kept per stream (at least 1).
  explicit Hub(std::size_t replay_per_stream = 1000);

  /// Registers a subscriber; with `last_event_id`, the kept events after it are queued first,
  /// or, when older ones are needed, the range to read from the log is noted on it.
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
  /// A stream whose replay never goes to the log (a snapshot stream: only the latest counts).
  void set_transient(const std::string& stream);
  /// Where the log is read for replays older than what is kept, and the id of the newest
  /// event that was logged before this hub started (older ones were never delivered here).
  void set_log(LogReader reader, std::uint64_t logged_before_start);
  /// Events of `stream` in (after, upto] from the log (empty without a reader).
  boost::asio::awaitable<std::vector<EventPtr>> read_log(std::string stream, std::uint64_t after,
                                                         std::uint64_t upto);

 private:
  struct Stream {
    std::deque<EventPtr> recent;
    std::size_t keep;
    // Every event of the stream with an id above this one is in `recent` or still to come.
    std::uint64_t complete_after = 0;
    bool transient = false;
    std::vector<std::weak_ptr<Subscription>> subscribers;
  };
  Stream& stream_locked(const std::string& name);

  std::size_t default_replay_;
  std::mutex mutex_;
  std::unordered_map<std::string, Stream> streams_;
  std::uint64_t delivered_ = 0;  // the newest id delivered (or logged before the start)
  LogReader reader_;
};

/// How instances tell each other that events were logged. The events themselves are always
/// read from the log; a bus only carries wake-ups (and mirrors chosen events to outsiders).
class Bus {
 public:
  virtual ~Bus() = default;
  /// Tells the other instances that this one logged events.
  virtual void announce() {}
  /// Runs `fn` when another instance announced events, and whenever announcements may
  /// have been missed (after a reconnect). `fn` must return at once. Set before start().
  void on_announce(std::function<void()> fn) { on_announce_ = std::move(fn); }
  /// Offers a logged event to consumers outside Janji (on Redis, the booking.created
  /// channel). Every instance offers every event; the bus sends each one once.
  virtual void mirror(const Event&) {}

  /// Starts exchanging wake-ups with other instances (nothing to do in-process).
  virtual void start() {}
  /// Stops, sending what is still queued if it can (idempotent).
  virtual void stop() {}
  /// Whether wake-ups of other instances reach this one now; always for an in-process bus.
  virtual bool subscribed() const { return true; }
  /// For /health: whether the bus works now. A subscriber that is (re)connecting right now
  /// gets a moment, so a start-up does not look like an outage.
  virtual boost::asio::awaitable<bool> answers() { co_return true; }

 protected:
  void announced() {
    if (on_announce_) on_announce_();
  }

 private:
  std::function<void()> on_announce_;
};

/// One instance alone: nobody else to tell.
class LocalBus final : public Bus {};

}  // namespace janji::events
