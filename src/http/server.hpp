#pragma once

#include "http/dispatcher.hpp"
#include "infra/io_pool.hpp"

#include "core/error.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>

namespace janji::http {

struct ServerOptions {
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // whole header, once its first byte came
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds keepalive_timeout{60'000};  // idle between requests
};

/// HTTP/1.1 server: one acceptor, one coroutine per connection, each connection on one of
/// the pool's io_contexts (so on one thread) for its whole life.
class Server {
 public:
  Server(IoPool& io, ServerOptions options, const Dispatcher& dispatch);

  /// Binds and listens; throws when the address cannot be had.
  void listen(const std::string& host, unsigned short port);
  unsigned short port() const { return port_; }
  void start();
  /// Stops accepting, closes idle connections and lets in-flight requests finish.
  void drain();
  std::size_t open_connections();
  /// Completes once no connection is open, or after `timeout` (then says so in the log).
  boost::asio::awaitable<void> drained(std::chrono::milliseconds timeout);

 private:
  struct Connection;
  /// One request read off a connection: `arrived` false when the client left or timed out
  /// first; `refused` when it broke a limit or HTTP's framing (then only the request line
  /// of `request` is filled in).
  struct Incoming {
    Incoming();
    bool arrived = false;
    Request request;
    std::optional<ApiError> refused;
  };

  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<Incoming> read_request(boost::beast::tcp_stream& stream,
                                                boost::beast::flat_buffer& buffer);
  /// The answer to a refused request, rendered by its surface like any other error.
  static Response refuse(Request& req, const ApiError& error);
  static boost::asio::awaitable<void> discard_input(boost::beast::tcp_stream& stream);
  boost::asio::awaitable<void> stream_response(std::shared_ptr<Connection> conn, Request& req,
                                               Response& res,
                                               std::chrono::steady_clock::time_point started);
  static void log_request(const Request& req, unsigned status,
                          std::chrono::steady_clock::time_point started, bool stream);

  IoPool& io_;
  ServerOptions options_;
  const Dispatcher& dispatch_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> draining_{false};
  std::mutex connections_mutex_;
  std::list<std::weak_ptr<Connection>> connections_;
  std::size_t prune_at_ = 64;  // closed connections are dropped when the list grows past this
};

}  // namespace janji::http
