#include "http/server.hpp"

#include "http/errors.hpp"
#include "infra/crypto/crypto.hpp"
#include "infra/logging.hpp"
#include "infra/spawn.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/span_body.hpp>

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

Server::Server(IoPool& io, ServerOptions options, const Dispatcher& dispatch)
    : io_(io), options_(std::move(options)), dispatch_(dispatch), acceptor_(io.main()) {}

void Server::listen(const std::string& host, unsigned short port) {
  const tcp::endpoint endpoint(asio::ip::make_address(host), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void Server::start() {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), log_exit("accept loop"));
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

asio::awaitable<void> Server::drained(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  asio::steady_timer timer(acceptor_.get_executor());
  while (open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(kTuple);
  }
  if (open_connections() > 0) spdlog::warn("drain timeout: closing remaining connections");
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
    asio::co_spawn(executor, serve(std::move(conn)), log_exit("connection"));
  }
}

namespace {

std::string remote_address(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  const auto ep = stream.socket().remote_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

// The answer's head; `Body` holds its body: a string of its own, or a span over a text kept
// elsewhere (Response::shared_body).
template <class Body>
bhttp::response<Body> to_wire(Response& r, unsigned version, bool keep_alive,
                              typename Body::value_type body) {
  bhttp::response<Body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "janji");
  if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res.insert(k, v);
  res.body() = std::move(body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

using SharedBody = bhttp::span_body<const char>;

// Writes `r`, whose shared body (if any) it keeps alive until written.
asio::awaitable<boost::system::error_code> write_response(beast::tcp_stream& stream, Response& r,
                                                          unsigned version, bool keep_alive) {
  if (const auto shared = r.shared_body) {
    auto wire = to_wire<SharedBody>(r, version, keep_alive, {shared->data(), shared->size()});
    auto [ec, n] = co_await bhttp::async_write(stream, wire, kTuple);
    co_return ec;
  }
  auto wire = to_wire<bhttp::string_body>(r, version, keep_alive, std::move(r.body));
  auto [ec, n] = co_await bhttp::async_write(stream, wire, kTuple);
  co_return ec;
}

// Framing a front proxy could read differently from us is refused, and the connection closed
// (RFC 9112, 6.1 and 6.3): Transfer-Encoding on HTTP/1.0, or a final coding other than chunked,
// is a 400; a coding we do not decode (gzip, say) before the final chunked is a 501.
// Content-Length beside Transfer-Encoding, or two different lengths, Beast refuses itself.
std::optional<ApiError> transfer_coding_error(const bhttp::request_parser<bhttp::string_body>& p) {
  const auto& h = p.get();
  if (h.find(bhttp::field::transfer_encoding) == h.end()) return std::nullopt;
  if (h.version() < 11 || !p.chunked()) return ApiError::bad_request("Malformed HTTP request");
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
      return ApiError(ErrorCode::kNotImplemented, "Transfer-Encoding not supported");
  }
  return std::nullopt;
}

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
        log_exit("stream watcher"));
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
                                              Response& res,
                                              std::chrono::steady_clock::time_point started) {
  const unsigned version = req.raw.version();
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
  log_request(req, res.status, started, /*stream=*/true);
  if (ec) co_return;

  auto writer = std::make_shared<ChunkWriter>(conn, stream, options_.body_timeout);
  // A stream is never "in flight" work: draining closes it like an idle connection.
  conn->idle = true;
  if (draining_) co_return;
  writer->watch();
  bool failed = false;
  try {
    co_await res.stream(*writer);
  } catch (const std::exception& e) {
    spdlog::error("stream {} ended by an exception: {}", req.path, e.what());
    failed = true;
  }
  if (failed) {
    // Without the last chunk the client sees the body cut short, not a complete one.
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  } else if (!writer->closed()) {
    stream.expires_after(options_.body_timeout);
    co_await asio::async_write(stream, bhttp::make_chunk_last(), kTuple);
  }
  writer->mark_closed();
}

Server::Incoming::Incoming() = default;

asio::awaitable<Server::Incoming> Server::read_request(beast::tcp_stream& stream,
                                                       beast::flat_buffer& buffer) {
  Incoming in;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
  parser.body_limit(options_.max_body_bytes);

  // The header has a deadline of its own, so a client trickling bytes is dropped.
  stream.expires_after(options_.header_timeout);
  auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
  if (hec == beast::error::timeout || hec == asio::error::eof ||
      hec == asio::error::connection_reset || hec == asio::error::operation_aborted)
    co_return in;  // gone
  if (hec == bhttp::error::header_limit)
    in.refused = ApiError(ErrorCode::kHeaderTooLarge, "Request header fields too large");
  else if (hec == bhttp::error::body_limit)  // Beast compared Content-Length with the limit
    in.refused = ApiError(ErrorCode::kPayloadTooLarge, "Request body too large");
  else if (hec)
    in.refused = ApiError::bad_request("Malformed HTTP request");
  else if (const auto len = parser.content_length(); len && *len > options_.max_body_bytes)
    in.refused = ApiError(ErrorCode::kPayloadTooLarge, "Request body too large");
  else if (auto coding = transfer_coding_error(parser))
    in.refused = std::move(coding);

  if (!in.refused) {
    if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
      auto [cec, cn] = co_await bhttp::async_write(stream, cont, kTuple);
      if (cec) co_return in;
    }
    stream.expires_after(options_.body_timeout);
    auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    if (bec == beast::error::timeout || bec == asio::error::eof ||
        bec == asio::error::connection_reset)
      co_return in;
    if (bec == bhttp::error::body_limit)
      in.refused = ApiError(ErrorCode::kPayloadTooLarge, "Request body too large");
    else if (bec)
      in.refused = ApiError::bad_request("Malformed HTTP request");
  }

  in.arrived = true;
  if (in.refused) {
    // Only the request line is trusted: enough to name the surface that renders the error.
    in.request.raw.method_string(parser.get().method_string());
    in.request.raw.target(parser.get().target());
  } else {
    in.request.raw = parser.release();
  }
  co_return in;
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> conn) {
  auto& stream = conn->stream;
  beast::flat_buffer buffer;
  bool unread_input = false;  // we answered before reading all the client sent
  const std::string client = remote_address(stream);

  while (!draining_) {
    // Wait for the next request; an idle keep-alive connection is closed after a while.
    conn->idle = true;
    if (buffer.size() == 0) {
      stream.expires_after(options_.keepalive_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kTuple);
      if (ec) break;
      buffer.commit(n);
    }
    conn->idle = false;

    // Read it whole, within the limits; one we refuse is answered, then the connection closes.
    auto in = co_await read_request(stream, buffer);
    if (!in.arrived) break;
    const auto started = std::chrono::steady_clock::now();
    auto& req = in.request;
    req.client_address = client;
    Response res;
    if (in.refused) {
      unread_input = true;
      res = refuse(req, *in.refused);
    } else {
      res = co_await dispatch_(req);
    }

    // A stream (SSE) keeps the connection until the client leaves.
    if (res.stream) {
      co_await stream_response(conn, req, res, started);
      break;
    }

    // Write the answer; stop unless both sides keep the connection.
    const bool keep_alive = !in.refused && req.raw.keep_alive() && !draining_;
    stream.expires_after(options_.body_timeout);
    const auto wec = co_await write_response(stream, res, req.raw.version(), keep_alive);
    log_request(req, res.status, started, /*stream=*/false);
    if (wec || !keep_alive) break;
  }

  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Closing with unread input makes the kernel send a reset, and a client still sending its
  // body may then never read our 413: read and discard for a moment first.
  if (unread_input && !ec) co_await discard_input(stream);
  stream.socket().close(ec);
}

Response Server::refuse(Request& req, const ApiError& error) {
  const auto target = parse_target(req.raw.target());
  req.path = target ? target->path : std::string(req.raw.target().substr(0, 200));
  req.request_id = crypto::random_id_hex(8);
  auto res = render_error(error, req.path);
  res.with_header("X-Request-Id", req.request_id);
  return res;
}

asio::awaitable<void> Server::discard_input(beast::tcp_stream& stream) {
  std::size_t discarded = 0;
  stream.expires_after(std::chrono::seconds(2));
  char scratch[16384];
  while (discarded < (4u << 20)) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
    if (ec) break;
    discarded += n;
  }
}

void Server::log_request(const Request& req, unsigned status,
                         std::chrono::steady_clock::time_point started, bool stream) {
  janji::log_request(RequestLine{
      .method = std::string_view(req.raw.method_string()),
      .path = req.path,
      .status = status,
      .ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count(),
      .request_id = req.request_id,
      .client = req.client_address,
      .stream = stream,
  });
}

}  // namespace janji::http
