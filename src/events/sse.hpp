#pragma once

#include "events/bus.hpp"
#include "http/message.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace janji::events {

struct SseOptions {
  std::chrono::milliseconds heartbeat{15'000};
  std::size_t max_backlog = 4096;  // events queued for one subscriber before it is dropped
};

/// The `Last-Event-ID` header as an event id, if it is one; else the `last_event_id` query
/// parameter, which a page that opens a new EventSource after a failed one must use (it
/// cannot set the header).
std::optional<std::uint64_t> last_event_id(const http::Request& req);

/// A text/event-stream response that subscribes to `stream`, replays what came after
/// `Last-Event-ID`, sends `initial()` (e.g. the current snapshot) first, then every new
/// event as it is published, with a comment heartbeat when idle. It ends when the client
/// leaves, falls too far behind, or the server drains.
http::Response sse_response(
    Hub& hub, std::string stream, const http::Request& req, SseOptions options,
    std::function<boost::asio::awaitable<std::vector<EventPtr>>()> initial = {});

}  // namespace janji::events
