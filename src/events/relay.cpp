#include "events/relay.hpp"

#include "events/log.hpp"
#include "infra/spawn.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace janji::events {

namespace asio = boost::asio;

namespace {

// Rows read at a time, by the relay and by a replay.
constexpr std::size_t kBatch = 1000;

EventPtr to_event(LoggedEvent row) {
  return make_event(static_cast<std::uint64_t>(row.id), std::move(row.stream), std::move(row.type),
                    std::move(row.data));
}

}  // namespace

Relay::Relay(db::Runner& db, Bus& bus, asio::any_io_executor executor,
             std::chrono::milliseconds poll, std::size_t replay_per_stream)
    : db_(db),
      bus_(bus),
      hub_(replay_per_stream),
      strand_(asio::make_strand(executor)),
      poll_timer_(strand_),
      poll_(poll) {
  bus_.on_announce([this] { wake(); });
}

void Relay::watch(std::string stream, std::function<void()> fn) {
  watchers_.push_back({std::move(stream), std::move(fn)});
}

void Relay::start() {
  std::int64_t last = 0;
  db_.database().transaction(db::TxMode::kRead, [&](db::Connection& c) { last = last_id(c); });
  last_ = last;
  delivered_.store(last, std::memory_order_relaxed);
  hub_.set_log([this](std::string stream, std::uint64_t after,
                      std::uint64_t upto) { return read(std::move(stream), after, upto); },
               static_cast<std::uint64_t>(last));
  bus_.start();
  asio::co_spawn(strand_, poll_loop(), log_exit("event log polling"));
}

void Relay::stop() {
  stopping_ = true;
  asio::post(strand_, [this] { poll_timer_.cancel(); });
  bus_.stop();
}

void Relay::committed(std::string_view stream) {
  notify_watchers(stream);
  wake();
  bus_.announce();
}

void Relay::wake() {
  // One pending wake-up is enough: the read it starts sees every row committed before it.
  if (posted_.exchange(true)) return;
  asio::post(strand_, [this] {
    posted_ = false;
    if (running_) {
      again_ = true;
      return;
    }
    if (stopping_) return;
    running_ = true;
    asio::co_spawn(strand_, drain(), log_exit("event relay"));
  });
}

asio::awaitable<void> Relay::drain() {
  for (;;) {
    again_ = false;
    const auto after = last_;
    auto work = [after](db::Connection& c) { return read_after(c, after, kBatch); };
    std::vector<LoggedEvent> rows;
    try {
      rows = co_await db_.read(std::move(work));
      if (failing_) spdlog::info("event relay: reading the event log again");
      failing_ = false;
    } catch (const std::exception& e) {
      // The next poll tries again; nothing is skipped meanwhile.
      if (!failing_) spdlog::warn("event relay: cannot read the event log: {}", e.what());
      failing_ = true;
      break;
    }
    const bool full = rows.size() == kBatch;
    for (auto& row : rows) deliver(std::move(row));
    if (!full && !again_) break;
  }
  running_ = false;
}

void Relay::deliver(LoggedEvent row) {
  last_ = row.id;
  delivered_.store(row.id, std::memory_order_relaxed);
  const auto e = to_event(std::move(row));
  hub_.deliver(e);
  bus_.mirror(*e);
  notify_watchers(e->stream);
}

void Relay::notify_watchers(std::string_view stream) {
  for (const auto& w : watchers_)
    if (w.stream == stream) w.fn();
}

asio::awaitable<void> Relay::poll_loop() {
  while (!stopping_) {
    poll_timer_.expires_after(poll_);
    const auto [ec] = co_await poll_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || stopping_) co_return;
    wake();
  }
}

asio::awaitable<std::vector<EventPtr>> Relay::read(std::string stream, std::uint64_t after,
                                                   std::uint64_t upto) {
  auto work = [stream = std::move(stream), after, upto](db::Connection& c) {
    return read_after(c, static_cast<std::int64_t>(after), kBatch, stream,
                      static_cast<std::int64_t>(upto));
  };
  auto rows = co_await db_.read(std::move(work));
  std::vector<EventPtr> out;
  out.reserve(rows.size());
  for (auto& row : rows) out.push_back(to_event(std::move(row)));
  co_return out;
}

}  // namespace janji::events
