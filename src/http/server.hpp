#pragma once

#include "http/router.hpp"
#include "infra/io_pool.hpp"

#include <boost/asio/ip/tcp.hpp>

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
  std::vector<std::string> cors_origins{"*"};
};

/// HTTP/1.1 server: one acceptor, one coroutine per connection, each connection on one of
/// the pool's io_contexts (so on one thread) for its whole life.
class Server {
 public:
  Server(IoPool& io, ServerOptions options, const Router& router);

  /// Binds and listens; throws when the address cannot be had.
  void listen(const std::string& host, unsigned short port);
  unsigned short port() const { return port_; }
  void start();
  /// Stops accepting, closes idle connections and lets in-flight requests finish.
  void drain();
  std::size_t open_connections();

  /// Routing, CORS, request id and error rendering for one parsed request (no IO).
  boost::asio::awaitable<Response> dispatch(Request& req);

 private:
  struct Connection;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<void> stream_response(std::shared_ptr<Connection> conn, Request& req,
                                               Response& res, unsigned version,
                                               std::chrono::steady_clock::time_point started);

  IoPool& io_;
  ServerOptions options_;
  const Router& router_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> draining_{false};
  std::mutex connections_mutex_;
  std::list<std::weak_ptr<Connection>> connections_;
  std::size_t prune_at_ = 64;  // closed connections are dropped when the list grows past this
};

}  // namespace janji::http
