#include "events/redis_bus.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <optional>
#include <stdexcept>
#include <utility>

namespace janji::events {

namespace {

// KEYS: the event's "sent" marker. ARGV: its lifetime in seconds, channel, payload.
// Every instance offers each event; the first to set the marker publishes it.
constexpr std::string_view kMirrorScript = R"lua(
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
)lua";

// Backoff between attempts while Redis is away.
constexpr std::chrono::milliseconds kMinBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};
// A quiet subscription is checked with a PING this often; no answer within kPingTimeout
// means the connection is dead even if the socket did not say so.
constexpr std::chrono::milliseconds kPingEvery{5000};
constexpr std::chrono::milliseconds kPingTimeout{3000};
// On shutdown, queued mirrors get this long to reach Redis.
constexpr std::chrono::milliseconds kFlushOnStop{1000};

std::chrono::milliseconds next_backoff(std::chrono::milliseconds d) {
  return std::min(kMaxBackoff, d * 2);
}

}  // namespace

RedisBus::RedisBus(redis::Client& client, RedisBusOptions options)
    : client_(client), options_(std::move(options)) {
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

void RedisBus::announce() {
  {
    std::lock_guard lock(mutex_);
    if (announce_) return;  // the wake-up on its way covers this one too
    announce_ = true;
  }
  cv_.notify_one();
}

void RedisBus::mirror(const Event& e) {
  std::string channel;
  for (const auto& m : options_.mirrors)
    if (m.stream == e.stream && m.type == e.type) channel = m.type;
  if (channel.empty()) return;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({e.id, std::move(channel), e.data});
    if (queue_.size() > options_.max_pending) {
      queue_.pop_front();
      if (dropped_++ % 1000 == 0)
        spdlog::warn("event bus: {} mirrored events wait for Redis; dropped the oldest ({} so far)",
                     options_.max_pending, dropped_);
    }
  }
  cv_.notify_one();
}

void RedisBus::publish_loop() {
  auto backoff = kMinBackoff;
  std::optional<std::chrono::steady_clock::time_point> give_up_at;
  for (;;) {
    bool wake = false;
    std::vector<Pending> batch;  // sent in one write, with the wake-up
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || announce_ || !queue_.empty(); });
      if (queue_.empty() && !announce_) return;  // stopping, nothing left
      if (stopping_ && !give_up_at) give_up_at = std::chrono::steady_clock::now() + kFlushOnStop;
      if (give_up_at && std::chrono::steady_clock::now() > *give_up_at) {
        if (!queue_.empty())
          spdlog::warn("event bus: {} mirrored event(s) not sent before shutdown", queue_.size());
        return;
      }
      wake = std::exchange(announce_, false);
      while (!queue_.empty() && batch.size() < redis::kMaxPipeline) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<std::vector<std::string>> commands;
    if (wake) commands.push_back({"PUBLISH", options_.channel, "1"});
    const auto ttl = std::to_string(options_.mirrored_ttl.count());
    for (const auto& p : batch)
      commands.push_back({"EVAL", std::string(kMirrorScript), "1",
                          options_.mirrored_prefix + std::to_string(p.id), ttl, p.channel, p.data});
    try {
      auto send = [&commands](redis::Connection& c) { return c.pipeline(commands); };
      for (const auto& a : client_.with_connection(send))
        if (a.error) spdlog::error("event bus: Redis refused a message: {}", a.error->what());
      backoff = kMinBackoff;
    } catch (const redis::Error& e) {
      {
        std::lock_guard lock(mutex_);
        // A lost wake-up is found by the other instances' polling; mirrors wait for Redis.
        queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                      std::make_move_iterator(batch.end()));
        if (stopping_) {
          if (!queue_.empty())
            spdlog::warn("event bus: {} mirrored event(s) not sent before shutdown", queue_.size());
          return;
        }
      }
      if (!pause(backoff)) continue;  // stopping: one more pass reports what is left
      backoff = next_backoff(backoff);
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
      // Wake-ups sent before this subscription are lost: read the log once now.
      subscribed_ = true;
      announced();
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

void RedisBus::listen(redis::Connection& conn) {
  using Clock = std::chrono::steady_clock;
  auto last_heard = Clock::now();
  std::optional<Clock::time_point> ping_sent;
  for (;;) {
    while (auto reply = conn.next_buffered_reply()) {
      last_heard = Clock::now();
      ping_sent.reset();
      const auto& el = reply->elements;
      if (el.size() == 3 && el[0].str == "message") announced();
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
