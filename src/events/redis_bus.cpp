#include "events/redis_bus.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <charconv>
#include <stdexcept>

namespace janji::events {

namespace {

// KEYS: counter, recent list. ARGV: body, channel, events to keep, mirror channel (or ""),
// mirror payload. The id is the counter plus one, lifted to Redis' clock in microseconds
// when that is larger: a Redis restarted without its data still hands out larger ids than
// before, as SSE clients holding a Last-Event-ID need. Lua numbers are doubles, exact up
// to 2^53, far above today's microsecond timestamps.
constexpr std::string_view kPublishScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local id = redis.call('INCR', KEYS[1])
if id < now then
  id = now
  redis.call('SET', KEYS[1], string.format('%d', id))
end
local msg = string.format('%d', id) .. '\n' .. ARGV[1]
redis.call('RPUSH', KEYS[2], msg)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('PUBLISH', ARGV[2], msg)
if ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
return id
)lua";

// Backoff between attempts while Redis is away.
constexpr std::chrono::milliseconds kMinBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};
// A quiet subscription is checked with a PING this often; no answer within kPingTimeout
// means the connection is dead even if the socket did not say so.
constexpr std::chrono::milliseconds kPingEvery{5000};
constexpr std::chrono::milliseconds kPingTimeout{3000};
// On shutdown, queued events get this long to reach Redis.
constexpr std::chrono::milliseconds kFlushOnStop{1000};

std::chrono::milliseconds next_backoff(std::chrono::milliseconds d) {
  return std::min(kMaxBackoff, d * 2);
}

bool valid_name(std::string_view s) {
  return !s.empty() && s.find('\n') == std::string_view::npos;
}

}  // namespace

std::string encode_body(std::string_view stream, std::string_view type, std::string_view data) {
  if (!valid_name(stream) || !valid_name(type))
    throw std::invalid_argument("event stream and type must be non-empty single lines");
  std::string out;
  out.reserve(stream.size() + type.size() + data.size() + 2);
  out.append(stream).append("\n").append(type).append("\n").append(data);
  return out;
}

std::optional<WireEvent> decode_message(std::string_view message) {
  const auto a = message.find('\n');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = message.find('\n', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  const auto c = message.find('\n', b + 1);
  if (c == std::string_view::npos) return std::nullopt;
  WireEvent e;
  const auto [end, ec] = std::from_chars(message.data(), message.data() + a, e.id);
  if (a == 0 || ec != std::errc{} || end != message.data() + a || e.id == 0) return std::nullopt;
  e.stream = message.substr(a + 1, b - a - 1);
  e.type = message.substr(b + 1, c - b - 1);
  if (e.stream.empty() || e.type.empty()) return std::nullopt;
  e.data = message.substr(c + 1);
  return e;
}

RedisBus::RedisBus(redis::Client& client, RedisBusOptions options)
    : client_(client), options_(std::move(options)) {
  options_.keep_recent = std::max<std::size_t>(1, options_.keep_recent);
  options_.max_pending = std::max<std::size_t>(1, options_.max_pending);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error("eventfd failed");
}

RedisBus::~RedisBus() {
  stop();
  ::close(wake_fd_);
}

void RedisBus::start() {
  publisher_ = std::thread([this] { publish_loop(); });
  subscriber_ = std::thread([this] { subscribe_loop(); });
}

void RedisBus::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !publisher_.joinable() && !subscriber_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
  if (publisher_.joinable()) publisher_.join();
  if (subscriber_.joinable()) subscriber_.join();
}

std::size_t RedisBus::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool RedisBus::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !cv_.wait_for(lock, d, [this] { return stopping_; });
}

void RedisBus::publish(std::string stream, std::string type, std::string data) {
  if (!valid_name(stream) || !valid_name(type)) {
    // A programming error, but a request handler must not fail because of it.
    spdlog::error("event bus: not publishing an event with stream '{}' and type '{}'", stream,
                  type);
    return;
  }
  const auto watched = stream;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(stream), std::move(type), std::move(data)});
    if (queue_.size() > options_.max_pending) {
      // Redis has been away long enough to fill the queue: the oldest events are the least
      // useful to a reconnecting client.
      queue_.pop_front();
      if (dropped_++ % 1000 == 0)
        spdlog::warn("event bus: {} events wait for Redis; dropped the oldest ({} so far)",
                     options_.max_pending, dropped_);
    }
  }
  cv_.notify_one();
  // Watchers here need not wait for Redis (nor for it to come back).
  changed(watched);
}

void RedisBus::send(redis::Connection& c, const Pending& p) {
  std::string mirror;
  for (const auto& m : options_.mirrors)
    if (m.stream == p.stream && m.type == p.type) mirror = m.type;
  c.command({"EVAL", kPublishScript, "2", options_.counter_key, options_.recent_key,
             encode_body(p.stream, p.type, p.data), options_.channel,
             std::to_string(options_.keep_recent), mirror, mirror.empty() ? "" : p.data});
}

void RedisBus::publish_loop() {
  auto backoff = kMinBackoff;
  std::optional<std::chrono::steady_clock::time_point> give_up_at;
  for (;;) {
    Pending p;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      if (stopping_ && !give_up_at) give_up_at = std::chrono::steady_clock::now() + kFlushOnStop;
      if (give_up_at && std::chrono::steady_clock::now() > *give_up_at) {
        spdlog::warn("event bus: {} event(s) not sent to Redis before shutdown", queue_.size());
        return;
      }
      p = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      auto work = [&](redis::Connection& c) { send(c, p); };
      client_.with_connection(work);
      backoff = kMinBackoff;
    } catch (const redis::Error& e) {
      if (!e.connection_lost())
        spdlog::error("event bus: Redis refused a {} event: {}", p.type, e.what());
      {
        std::lock_guard lock(mutex_);
        if (e.connection_lost()) {
          // Keep it first in line for when Redis is back.
          queue_.push_front(std::move(p));
          if (queue_.size() > options_.max_pending) queue_.pop_front();
        }
        if (stopping_) {
          spdlog::warn("event bus: {} event(s) not sent to Redis before shutdown", queue_.size());
          return;
        }
      }
      if (e.connection_lost()) {
        if (!pause(backoff)) continue;  // stopping: one more pass reports what is left
        backoff = next_backoff(backoff);
      }
    }
  }
}

void RedisBus::subscribe_loop() {
  auto backoff = kMinBackoff;
  bool lost_logged = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      auto conn = client_.connect();
      conn.command({"SUBSCRIBE", options_.channel});
      // Subscribed first, then read what was published meanwhile: an event in both is
      // delivered once (ids only grow), none falls between.
      catch_up();
      subscribed_ = true;
      if (lost_logged) spdlog::info("event bus: listening to Redis again");
      lost_logged = false;
      backoff = kMinBackoff;
      listen(conn);
      subscribed_ = false;
      return;  // listen returns only when stopping
    } catch (const redis::Error& e) {
      subscribed_ = false;
      // The client logs an unreachable Redis once; a dropped subscription gets its own line.
      if (!lost_logged && client_.healthy())
        spdlog::warn("event bus: lost the Redis subscription ({}); reconnecting", e.what());
      lost_logged = true;
    } catch (const std::exception& e) {
      subscribed_ = false;
      spdlog::error("event bus: subscriber failed: {}; reconnecting", e.what());
      lost_logged = true;
    }
    if (!pause(backoff)) return;
    backoff = next_backoff(backoff);
  }
}

void RedisBus::catch_up() {
  auto work = [this](redis::Connection& c) {
    return c.command({"LRANGE", options_.recent_key, "0", "-1"});
  };
  const auto recent = client_.with_connection(work);
  for (const auto& r : recent.elements) handle(r.str);
}

void RedisBus::listen(redis::Connection& conn) {
  using Clock = std::chrono::steady_clock;
  auto last_heard = Clock::now();
  std::optional<Clock::time_point> ping_sent;
  for (;;) {
    while (auto reply = conn.next_buffered_reply()) {
      last_heard = Clock::now();
      ping_sent.reset();
      const auto& el = reply->elements;
      if (el.size() == 3 && el[0].str == "message") handle(el[2].str);
    }
    pollfd fds[2] = {{conn.fd(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int n = ::poll(fds, 2, 500);
    if (n < 0 && errno != EINTR) throw std::runtime_error("poll failed");
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      conn.read_input();
      continue;
    }
    const auto now = Clock::now();
    if (ping_sent && now - *ping_sent > kPingTimeout)
      throw redis::Error("no answer to PING on the subscription", true);
    if (!ping_sent && now - last_heard > kPingEvery) {
      conn.append({"PING"});
      conn.flush();
      ping_sent = now;
    }
  }
}

void RedisBus::handle(std::string_view message) {
  auto w = decode_message(message);
  if (!w) {
    spdlog::warn("event bus: ignoring a malformed message on {}", options_.channel);
    return;
  }
  if (w->id <= last_delivered_) return;  // already delivered (catch-up overlap)
  last_delivered_ = w->id;
  auto e = std::make_shared<Event>();
  e->id = w->id;
  e->frame = sse_frame(e->id, w->type, w->data);
  e->stream = std::move(w->stream);
  e->type = std::move(w->type);
  e->data = std::move(w->data);
  hub_.deliver(e);
  changed(e->stream);
}

boost::asio::awaitable<bool> RedisBus::answers() {
  if (!co_await client_.ping()) co_return false;
  boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor);
  for (int i = 0; i < 20 && !subscribed(); ++i) {
    wait.expires_after(std::chrono::milliseconds(50));
    co_await wait.async_wait(boost::asio::use_awaitable);
  }
  co_return subscribed();
}

}  // namespace janji::events
