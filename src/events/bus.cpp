#include "events/bus.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>

namespace janji::events {

std::string sse_frame(std::uint64_t id, std::string_view type, std::string_view data) {
  // The payload travels as a JSON string inside the envelope; JSON escapes every newline,
  // so the frame is one `data:` line whatever the payload holds.
  std::string frame = "id: " + std::to_string(id) + "\ndata: {\"type\": ";
  frame += boost::json::serialize(boost::json::string(type));
  frame += ", \"data\": ";
  frame += boost::json::serialize(boost::json::string(data));
  frame += "}\n\n";
  return frame;
}

EventPtr make_event(std::uint64_t id, std::string stream, std::string type, std::string data) {
  auto e = std::make_shared<Event>();
  e->id = id;
  e->frame = sse_frame(id, type, data);
  e->stream = std::move(stream);
  e->type = std::move(type);
  e->data = std::move(data);
  return e;
}

Subscription::Subscription(boost::asio::any_io_executor executor, std::size_t max_backlog)
    : executor_(executor), timer_(executor), max_backlog_(max_backlog) {}

std::vector<EventPtr> Subscription::take() {
  std::lock_guard lock(mutex_);
  std::vector<EventPtr> out(std::make_move_iterator(queue_.begin()),
                            std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

bool Subscription::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

bool Subscription::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

void Subscription::push(const EventPtr& e) {
  {
    std::lock_guard lock(mutex_);
    if (overflowed_ || stopped_) return;
    if (queue_.size() >= max_backlog_) {
      // A reader this far behind is not reading; drop it rather than grow without bound.
      overflowed_ = true;
      queue_.clear();
    } else {
      queue_.push_back(e);
    }
  }
  // Wake the owner on its own executor; the timer is only touched there.
  boost::asio::post(executor_, [self = shared_from_this()] { self->timer_.cancel(); });
}

void Subscription::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  timer_.cancel();
}

Hub::Hub(std::size_t replay_per_stream)
    : default_replay_(std::max<std::size_t>(1, replay_per_stream)) {}

Hub::Stream& Hub::stream_locked(const std::string& name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) {
    // What was delivered before the stream was first named here is not kept.
    it = streams_.emplace(name, Stream{{}, default_replay_, delivered_, false, {}}).first;
  }
  return it->second;
}

void Hub::set_replay(const std::string& stream, std::size_t n) {
  std::lock_guard lock(mutex_);
  stream_locked(stream).keep = std::max<std::size_t>(1, n);
}

void Hub::set_transient(const std::string& stream) {
  std::lock_guard lock(mutex_);
  stream_locked(stream).transient = true;
}

void Hub::set_log(LogReader reader, std::uint64_t logged_before_start) {
  std::lock_guard lock(mutex_);
  reader_ = std::move(reader);
  delivered_ = std::max(delivered_, logged_before_start);
  for (auto& [name, s] : streams_) s.complete_after = std::max(s.complete_after, delivered_);
}

boost::asio::awaitable<std::vector<EventPtr>> Hub::read_log(std::string stream, std::uint64_t after,
                                                            std::uint64_t upto) {
  LogReader reader;
  {
    std::lock_guard lock(mutex_);
    reader = reader_;
  }
  if (!reader || upto <= after) co_return std::vector<EventPtr>{};
  co_return co_await reader(std::move(stream), after, upto);
}

std::shared_ptr<Subscription> Hub::subscribe(const std::string& stream,
                                             boost::asio::any_io_executor ex,
                                             std::optional<std::uint64_t> last_event_id,
                                             std::size_t max_backlog) {
  auto sub = std::make_shared<Subscription>(ex, max_backlog);
  std::lock_guard lock(mutex_);
  auto& s = stream_locked(stream);
  if (last_event_id) {
    std::lock_guard sub_lock(sub->mutex_);
    if (reader_ && !s.transient && *last_event_id < s.complete_after) {
      // Older than what is kept: all of it up to the newest delivered comes from the log;
      // what is delivered from now on is queued as usual.
      if (delivered_ > *last_event_id) sub->log_replay_ = {*last_event_id, delivered_};
    } else {
      for (const auto& e : s.recent)
        if (e->id > *last_event_id) sub->queue_.push_back(e);
    }
  }
  std::erase_if(s.subscribers, [](const auto& w) { return w.expired(); });
  s.subscribers.push_back(sub);
  return sub;
}

void Hub::unsubscribe(const std::string& stream, const std::shared_ptr<Subscription>& sub) {
  std::lock_guard lock(mutex_);
  auto& s = stream_locked(stream);
  std::erase_if(s.subscribers, [&](const auto& w) {
    auto p = w.lock();
    return !p || p == sub;
  });
}

void Hub::deliver(const EventPtr& e) {
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    std::lock_guard lock(mutex_);
    auto& s = stream_locked(e->stream);
    // Keep `recent` sorted even if an event arrives out of order.
    auto pos = std::upper_bound(s.recent.begin(), s.recent.end(), e->id,
                                [](std::uint64_t id, const EventPtr& x) { return id < x->id; });
    s.recent.insert(pos, e);
    while (s.recent.size() > s.keep) {
      s.complete_after = std::max(s.complete_after, s.recent.front()->id);
      s.recent.pop_front();
    }
    delivered_ = std::max(delivered_, e->id);
    targets.reserve(s.subscribers.size());
    for (const auto& w : s.subscribers)
      if (auto p = w.lock()) targets.push_back(std::move(p));
  }
  for (const auto& t : targets) t->push(e);
}

std::size_t Hub::subscribers(const std::string& stream) {
  std::lock_guard lock(mutex_);
  auto& s = stream_locked(stream);
  return static_cast<std::size_t>(std::count_if(s.subscribers.begin(), s.subscribers.end(),
                                                [](auto& w) { return !w.expired(); }));
}

EventPtr Hub::latest(const std::string& stream) {
  std::lock_guard lock(mutex_);
  auto& s = stream_locked(stream);
  return s.recent.empty() ? nullptr : s.recent.back();
}

}  // namespace janji::events
