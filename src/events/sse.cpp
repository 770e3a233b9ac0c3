#include "events/sse.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>

namespace janji::events {

namespace asio = boost::asio;

std::optional<std::uint64_t> last_event_id(const http::Request& req) {
  std::string_view h = req.header("Last-Event-ID");
  const auto query = h.empty() ? req.query_value("last_event_id") : std::nullopt;
  if (query) h = *query;
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(h.data(), h.data() + h.size(), id);
  if (h.empty() || ec != std::errc{} || end != h.data() + h.size()) return std::nullopt;
  return id;
}

namespace {

asio::awaitable<void> pump(http::StreamWriter& w, Hub& hub, std::string stream,
                           std::optional<std::uint64_t> after, SseOptions options,
                           std::function<asio::awaitable<std::vector<EventPtr>>()> initial) {
  // Subscribe before sending anything, so nothing published meanwhile is missed.
  auto sub = hub.subscribe(stream, w.executor(), after, options.max_backlog);
  struct Leave {
    Hub& hub;
    const std::string& stream;
    std::shared_ptr<Subscription>& sub;
    ~Leave() { hub.unsubscribe(stream, sub); }
  } leave{hub, stream, sub};
  w.on_close([sub] { sub->stop(); });

  std::uint64_t sent = after.value_or(0);
  auto send = [&](const std::vector<EventPtr>& events) -> asio::awaitable<bool> {
    std::string batch;
    for (const auto& e : events) {
      if (e->id <= sent) continue;  // a snapshot may also be in the replay
      batch += e->frame;
      sent = e->id;
    }
    if (batch.empty()) co_return true;
    co_return co_await w.write(batch);
  };

  if (!co_await w.write("retry: 3000\n\n")) co_return;
  if (const auto range = sub->log_replay()) {
    // Page by page: `Last-Event-ID: 0` asks for everything the log keeps.
    for (auto from = range->first; from < range->second;) {
      std::vector<EventPtr> missed;
      try {
        missed = co_await hub.read_log(stream, from, range->second);
      } catch (const std::exception& e) {
        // The client reconnects with the same Last-Event-ID and tries again.
        spdlog::warn("{} stream: cannot read missed events from the log: {}", stream, e.what());
        co_return;
      }
      if (missed.empty()) break;
      from = missed.back()->id;
      const bool written = co_await send(missed);
      if (!written) co_return;
    }
  }
  if (initial && !co_await send(co_await initial())) co_return;

  for (;;) {
    if (sub->stopped() || w.closed()) co_return;
    if (sub->overflowed()) {
      spdlog::warn("dropping a {} subscriber that fell {} events behind", stream,
                   options.max_backlog);
      co_return;
    }
    if (auto events = sub->take(); !events.empty()) {
      if (!co_await send(events)) co_return;
      continue;
    }
    sub->timer().expires_after(options.heartbeat);
    auto [ec] = co_await sub->timer().async_wait(asio::as_tuple(asio::use_awaitable));
    if (!ec && !co_await w.write(": heartbeat\n\n")) co_return;
  }
}

}  // namespace

http::Response sse_response(Hub& hub, std::string stream, const http::Request& req,
                            SseOptions options,
                            std::function<asio::awaitable<std::vector<EventPtr>>()> initial) {
  http::Response res;
  res.content_type = "text/event-stream; charset=utf-8";
  res.with_header("Cache-Control", "no-cache");
  res.with_header("X-Accel-Buffering", "no");
  res.stream = [&hub, stream = std::move(stream), after = last_event_id(req), options,
                initial = std::move(initial)](http::StreamWriter& w) -> asio::awaitable<void> {
    co_await pump(w, hub, stream, after, options, initial);
  };
  return res;
}

}  // namespace janji::events
