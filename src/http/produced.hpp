#pragma once

#include "http/message.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace janji::http {

/// Where a body made on a blocking thread (rows read from the database) goes. Text is
/// gathered into chunks of about 64 KiB, each handed to the connection once full.
class BodySink {
 public:
  virtual ~BodySink() = default;
  /// Adds text; blocks while the chunk before last is still being sent, so memory stays
  /// bounded however long the body. Throws once the client has gone. Never on an IO thread.
  virtual void append(std::string_view text) = 0;
  /// Adds text without ever blocking (so on any thread): it leaves with the next chunk, or
  /// with the last. All of a body added at once before any append is sent as one plain body.
  virtual void add(std::string_view text) = 0;
  /// add, for a text kept elsewhere: when it is all of the body, it is sent as it is,
  /// without a copy (Response::shared_body).
  virtual void add(std::shared_ptr<const std::string> text) = 0;
};

using Produce = std::function<boost::asio::awaitable<void>(BodySink&)>;

/// A response whose body `produce` makes into a BodySink. A body that fits in one chunk is
/// sent whole, with a Content-Length; a longer one is sent as it is made, with chunked
/// encoding, so its first byte leaves once its first chunk is full. What `produce` throws
/// before then is answered like any handler's error; after, the connection is ended
/// without the last chunk, so the client sees the body incomplete.
boost::asio::awaitable<Response> produced_response(std::string content_type, Produce produce);

}  // namespace janji::http
