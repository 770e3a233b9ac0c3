#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>

namespace janji::net {

struct HttpReply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

/// A failure to get any answer: bad URL, DNS, refused, TLS, timeout, oversized reply.
struct HttpClientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// POSTs `body` to an http:// or https:// URL and returns the reply, all within `timeout`.
/// HTTPS verifies the peer against the system's CA store and the host name. Runs on the
/// calling coroutine's executor; nothing blocks the thread. Replies over 64 KiB are refused.
boost::asio::awaitable<HttpReply> post(std::string url, std::string content_type, std::string body,
                                       std::chrono::milliseconds timeout);

/// Checks that `url` is an absolute http(s) URL with a host; throws std::invalid_argument.
void check_url(const std::string& url);

}  // namespace janji::net
