#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

struct PostOptions {
  /// Sent as they are, after the standard ones.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Refuse to connect to a loopback, private, link-local or otherwise internal address,
  /// whatever the host name resolves to (webhook URLs that admins type).
  bool public_only = false;
};

/// POSTs `body` to an http:// or https:// URL and returns the reply, all within `timeout`.
/// HTTPS verifies the peer against the system's CA store and the host name. Runs on the
/// calling coroutine's executor; nothing blocks the thread. Replies over 64 KiB are refused.
/// Pass `options` as a named variable (GCC 12 frees a braced coroutine argument twice).
boost::asio::awaitable<HttpReply> post(std::string url, std::string content_type, std::string body,
                                       std::chrono::milliseconds timeout, PostOptions options = {});

/// Whether `ip` (IPv4 or IPv6 text) is one that must not be reached from outside input:
/// loopback, private, shared (100.64/10), link-local, unique-local, unspecified, multicast,
/// or an IPv4-mapped form of one. Text that is not an address is not private.
bool is_private_address(std::string_view ip);

/// The host of an http(s) URL (no IPv6 brackets); throws std::invalid_argument like check_url.
std::string url_host(const std::string& url);

/// Checks that `url` is an absolute http(s) URL with a host; throws std::invalid_argument.
void check_url(const std::string& url);

}  // namespace janji::net
