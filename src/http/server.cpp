#include "http/server.hpp"

#include "http/errors.hpp"
#include "infra/crypto/crypto.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <algorithm>

namespace janji::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Server::Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  std::atomic<bool> idle{true};
};

Server::Server(IoPool& io, ServerOptions options, const Router& router)
    : io_(io), options_(std::move(options)), router_(router), acceptor_(io.main()) {}

void Server::listen(const std::string& host, unsigned short port) {
  const tcp::endpoint endpoint(asio::ip::make_address(host), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void Server::start() {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("accept loop ended: {}", ex.what());
    }
  });
}

void Server::drain() {
  if (draining_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
  std::lock_guard lock(connections_mutex_);
  for (auto& weak : connections_) {
    auto conn = weak.lock();
    if (!conn) continue;
    // Runs on the connection's own thread, so it cannot race the session loop itself.
    asio::post(conn->stream.get_executor(), [conn] {
      if (conn->idle) conn->stream.socket().close();
    });
  }
}

std::size_t Server::open_connections() {
  std::lock_guard lock(connections_mutex_);
  return static_cast<std::size_t>(std::count_if(connections_.begin(), connections_.end(),
                                                [](auto& w) { return !w.expired(); }));
}

asio::awaitable<void> Server::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(io_.next(), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || draining_) co_return;
      // Out of descriptors or similar: keep serving the connections we have.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    if (draining_) co_return;
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(connections_mutex_);
      // Not on every accept: with thousands open that would scan them all each time.
      if (connections_.size() >= prune_at_) {
        std::erase_if(connections_, [](auto& w) { return w.expired(); });
        prune_at_ = std::max<std::size_t>(64, 2 * connections_.size());
      }
      connections_.push_back(conn);
    }
    auto executor = conn->stream.get_executor();
    asio::co_spawn(executor, serve(std::move(conn)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("connection ended by an exception: {}", ex.what());
      }
    });
  }
}

namespace {

bhttp::response<bhttp::string_body> to_wire(Response& r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "janji");
  if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res.insert(k, v);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

Response plain_error(unsigned status, std::string_view detail) {
  return Response::json(status, boost::json::object{{"detail", detail}});
}

// Framing a front proxy could read differently from us is refused, and the connection closed
// (RFC 9112, 6.1 and 6.3): Transfer-Encoding on HTTP/1.0, or a final coding other than chunked,
// is a 400; a coding we do not decode (gzip, say) before the final chunked is a 501.
// Content-Length beside Transfer-Encoding, or two different lengths, Beast refuses itself.
std::optional<Response> transfer_coding_error(const bhttp::request_parser<bhttp::string_body>& p) {
  const auto& h = p.get();
  if (h.find(bhttp::field::transfer_encoding) == h.end()) return std::nullopt;
  if (h.version() < 11 || !p.chunked()) return plain_error(400, "Malformed HTTP request");
  std::string codings;
  for (auto it = h.find(bhttp::field::transfer_encoding);
       it != h.end() && it->name() == bhttp::field::transfer_encoding; ++it) {
    if (!codings.empty()) codings += ',';
    codings += std::string(it->value());
  }
  std::string_view rest = codings;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    auto coding = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t'))
      coding.remove_prefix(1);
    while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t'))
      coding.remove_suffix(1);
    if (!coding.empty() && !beast::iequals(coding, "chunked"))
      return plain_error(501, "Transfer-Encoding not supported");
  }
  return std::nullopt;
}

bool valid_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

namespace {

// Chunked body writer for streaming responses. A second coroutine reads the socket so that
// a client that hangs up is noticed at once, not at the next write.
class ChunkWriter final : public StreamWriter, public std::enable_shared_from_this<ChunkWriter> {
 public:
  // `owner` keeps the connection (and so `stream`) alive while the watcher runs.
  ChunkWriter(std::shared_ptr<void> owner, beast::tcp_stream& stream,
              std::chrono::milliseconds write_timeout)
      : owner_(std::move(owner)), stream_(stream), write_timeout_(write_timeout) {}

  asio::awaitable<bool> write(std::string_view data) override {
    if (closed_) co_return false;
    stream_.expires_after(write_timeout_);
    auto [ec, n] =
        co_await asio::async_write(stream_, bhttp::make_chunk(asio::buffer(data)), kTuple);
    if (ec) mark_closed();
    co_return !ec;
  }
  bool closed() const override { return closed_; }
  void on_close(std::function<void()> fn) override {
    if (closed_)
      fn();
    else
      on_close_ = std::move(fn);
  }
  asio::any_io_executor executor() override { return stream_.get_executor(); }

  void watch() {
    asio::co_spawn(
        stream_.get_executor(),
        [self = shared_from_this()]() -> asio::awaitable<void> {
          char scratch[512];
          for (;;) {
            auto [ec, n] =
                co_await self->stream_.socket().async_read_some(asio::buffer(scratch), kTuple);
            if (ec) break;  // anything the client sends now is ignored; EOF means it left
          }
          self->mark_closed();
        },
        [](std::exception_ptr e) {
          if (e) spdlog::error("stream watcher ended by an exception");
        });
  }

  void mark_closed() {
    if (closed_) return;
    closed_ = true;
    if (auto fn = std::move(on_close_)) fn();
  }

 private:
  std::shared_ptr<void> owner_;
  beast::tcp_stream& stream_;
  std::chrono::milliseconds write_timeout_;
  bool closed_ = false;
  std::function<void()> on_close_;
};

}  // namespace

asio::awaitable<void> Server::stream_response(std::shared_ptr<Connection> conn, Request& req,
                                              Response& res, unsigned version,
                                              std::chrono::steady_clock::time_point started) {
  auto& stream = conn->stream;
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), version};
  head.set(bhttp::field::server, "janji");
  if (!res.content_type.empty()) head.set(bhttp::field::content_type, res.content_type);
  for (auto& [k, v] : res.headers) head.insert(k, v);
  head.keep_alive(false);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr{head};
  stream.expires_after(options_.body_timeout);
  auto [ec, n] = co_await bhttp::async_write_header(stream, sr, kTuple);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("{} {} {} {:.2f}ms id={} client={} (stream)",
               std::string_view(req.raw.method_string()), req.path, res.status, ms, req.request_id,
               req.client_address);
  if (ec) co_return;

  auto writer = std::make_shared<ChunkWriter>(conn, stream, options_.body_timeout);
  // A stream is never "in flight" work: draining closes it like an idle connection.
  conn->idle = true;
  if (draining_) co_return;
  writer->watch();
  try {
    co_await res.stream(*writer);
  } catch (const std::exception& e) {
    spdlog::error("stream {} ended by an exception: {}", req.path, e.what());
  }
  if (!writer->closed()) {
    stream.expires_after(options_.body_timeout);
    co_await asio::async_write(stream, bhttp::make_chunk_last(), kTuple);
  }
  writer->mark_closed();
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> conn) {
  auto& stream = conn->stream;
  beast::flat_buffer buffer;
  bool unread_input = false;  // we answered before reading all the client sent
  std::string client;
  {
    boost::system::error_code ec;
    const auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) client = ep.address().to_string();
  }

  for (;;) {
    if (draining_) break;

    // Wait for the next request; an idle keep-alive connection is closed after a while.
    conn->idle = true;
    if (buffer.size() == 0) {
      stream.expires_after(options_.keepalive_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kTuple);
      if (ec) break;
      buffer.commit(n);
    }
    conn->idle = false;

    // Read the header with its own deadline, so a client trickling bytes is dropped.
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser.body_limit(options_.max_body_bytes);
    stream.expires_after(options_.header_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    (void)hn;
    std::optional<Response> early;
    if (hec == bhttp::error::header_limit) {
      early = plain_error(431, "Request header fields too large");
    } else if (hec == bhttp::error::body_limit) {
      // Beast already compared Content-Length with the limit while parsing the header.
      early = plain_error(413, "Request body too large");
    } else if (hec == beast::error::timeout || hec == asio::error::eof ||
               hec == asio::error::connection_reset || hec == asio::error::operation_aborted) {
      break;
    } else if (hec) {
      early = plain_error(400, "Malformed HTTP request");
    } else if (const auto len = parser.content_length(); len && *len > options_.max_body_bytes) {
      early = plain_error(413, "Request body too large");
    } else {
      early = transfer_coding_error(parser);
    }

    if (!early) {
      if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
        auto [cec, cn] = co_await bhttp::async_write(stream, cont, kTuple);
        if (cec) break;
      }
      stream.expires_after(options_.body_timeout);
      auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      if (bec == bhttp::error::body_limit) {
        early = plain_error(413, "Request body too large");
      } else if (bec == beast::error::timeout || bec == asio::error::eof ||
                 bec == asio::error::connection_reset) {
        break;
      } else if (bec) {
        early = plain_error(400, "Malformed HTTP request");
      }
    }

    const auto started = std::chrono::steady_clock::now();
    Request req;
    req.client_address = client;
    Response res;
    bool keep_alive = false;
    unsigned version = 11;
    if (early) {
      // The stream is out of step with the client now; answer and close.
      unread_input = true;
      res = std::move(*early);
      req.raw.method_string(parser.get().method_string());
      req.path = std::string(parser.get().target().substr(0, 200));
      req.request_id = crypto::random_id_hex(8);
      res.with_header("X-Request-Id", req.request_id);
    } else {
      req.raw = parser.release();
      version = req.raw.version();
      keep_alive = req.raw.keep_alive();
      res = co_await dispatch(req);
    }

    if (res.stream) {
      co_await stream_response(conn, req, res, version, started);
      break;
    }

    auto wire = to_wire(res, version, keep_alive && !draining_);
    stream.expires_after(options_.body_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, wire, kTuple);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    spdlog::info("{} {} {} {:.2f}ms id={} client={}", std::string_view(req.raw.method_string()),
                 req.path, res.status, ms, req.request_id, client);
    if (wec || !wire.keep_alive()) break;
  }

  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (unread_input && !ec) {
    // Closing with unread input makes the kernel send a reset, and a client still sending
    // its body may then never read our 413. Read and discard for a moment first.
    std::size_t discarded = 0;
    stream.expires_after(std::chrono::seconds(2));
    char scratch[16384];
    while (discarded < (4u << 20)) {
      auto [rec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
      if (rec) break;
      discarded += n;
    }
  }
  stream.socket().close(ec);
}

asio::awaitable<Response> Server::dispatch(Request& req) {
  const auto incoming_id = req.header("X-Request-Id");
  req.request_id =
      valid_request_id(incoming_id) ? std::string(incoming_id) : crypto::random_id_hex(8);

  auto target = parse_target(req.raw.target());
  Response res;
  const std::string_view origin = req.header(bhttp::field::origin);
  const bool wildcard = std::find(options_.cors_origins.begin(), options_.cors_origins.end(),
                                  "*") != options_.cors_origins.end();
  const bool origin_allowed =
      !origin.empty() &&
      (wildcard || std::find(options_.cors_origins.begin(), options_.cors_origins.end(), origin) !=
                       options_.cors_origins.end());

  if (!target) {
    req.path = std::string(req.raw.target().substr(0, 200));
    res = plain_error(400, "Malformed request target");
  } else {
    req.path = std::move(target->path);
    req.query = std::move(target->query);

    if (req.method() == Verb::options && !origin.empty() &&
        !req.header(bhttp::field::access_control_request_method).empty()) {
      // CORS preflight.
      if (!origin_allowed) {
        res.status = 400;
        res.content_type = "text/plain; charset=utf-8";
        res.body = "Disallowed CORS origin";
      } else {
        res.status = 200;
        res.content_type = "text/plain; charset=utf-8";
        res.body = "OK";
        res.with_header("Access-Control-Allow-Methods",
                        "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
        const auto asked = req.header(bhttp::field::access_control_request_headers);
        res.with_header("Access-Control-Allow-Headers",
                        asked.empty() ? std::string("Authorization, Content-Type, Idempotency-Key")
                                      : std::string(asked));
        res.with_header("Access-Control-Max-Age", "600");
      }
    } else {
      auto match = router_.match(req.method(), req.path);
      try {
        if (match.route) {
          req.path_params = std::move(match.params);
          res = co_await match.route->handler(req);
        } else if (!match.allowed.empty()) {
          std::string allow;
          for (auto v : match.allowed) {
            if (!allow.empty()) allow += ", ";
            allow += std::string(bhttp::to_string(v));
          }
          res =
              render_error(ApiError(ErrorCode::kMethodNotAllowed, "Method Not Allowed"), req.path);
          res.with_header("Allow", allow);
        } else {
          res = render_error(ApiError::not_found("Not Found"), req.path);
        }
      } catch (const ApiError& e) {
        if (e.status() >= 500)
          spdlog::error("{} {} failed: {} id={}", std::string_view(req.raw.method_string()),
                        req.path, e.detail().empty() ? e.message() : e.detail(), req.request_id);
        res = render_error(e, req.path);
      } catch (const std::exception& e) {
        spdlog::error("{} {} failed: {} id={}", std::string_view(req.raw.method_string()), req.path,
                      e.what(), req.request_id);
        res = render_error(ApiError::internal(e.what()), req.path);
      }
    }
  }

  res.with_header("X-Request-Id", req.request_id);
  if (origin_allowed) {
    res.with_header("Access-Control-Allow-Origin",
                    wildcard ? std::string("*") : std::string(origin));
    if (!wildcard) {
      res.with_header("Access-Control-Allow-Credentials", "true");
      res.with_header("Vary", "Origin");
    }
    res.with_header("Access-Control-Expose-Headers",
                    "X-Request-Id, Retry-After, Idempotent-Replayed");
  }
  co_return res;
}

}  // namespace janji::http
