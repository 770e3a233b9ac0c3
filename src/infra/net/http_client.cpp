#include "infra/net/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <stdexcept>

namespace janji::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kMaxReplyBody = 64 * 1024;
constexpr std::uint32_t kMaxReplyHeader = 16 * 1024;

struct Target {
  bool tls = false;
  std::string host;  // for DNS, SNI and certificate checks (no IPv6 brackets)
  std::string port;
  std::string authority;  // the Host header
  std::string target;     // path and query
};

Target parse_target(const std::string& url) {
  const auto r = boost::urls::parse_absolute_uri(url);
  if (!r) throw std::invalid_argument("not an absolute URL: " + url);
  const auto scheme = r->scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https)
    throw std::invalid_argument("not an http or https URL: " + url);
  if (r->encoded_host().empty()) throw std::invalid_argument("URL has no host: " + url);
  Target t;
  t.tls = scheme == boost::urls::scheme::https;
  t.host = r->host_address();
  t.port = r->has_port() ? std::string(r->port()) : (t.tls ? "443" : "80");
  t.authority = r->encoded_host_and_port();
  t.target = r->encoded_target();
  if (t.target.empty()) t.target = "/";
  return t;
}

ssl::context& tls_context() {
  static ssl::context ctx = [] {
    ssl::context c(ssl::context::tls_client);
    c.set_default_verify_paths();
    c.set_verify_mode(ssl::verify_peer);
    return c;
  }();
  return ctx;
}

template <class Stream>
asio::awaitable<HttpReply> round_trip(Stream& stream,
                                      const bhttp::request<bhttp::string_body>& req) {
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxReplyBody);
  parser.header_limit(kMaxReplyHeader);
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  auto res = parser.release();
  co_return HttpReply{res.result_int(), std::string(res[bhttp::field::content_type]),
                      std::move(res.body())};
}

}  // namespace

void check_url(const std::string& url) {
  parse_target(url);
}

std::string url_host(const std::string& url) {
  return parse_target(url).host;
}

bool is_private_address(std::string_view ip) {
  boost::system::error_code ec;
  auto a = asio::ip::make_address(ip, ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  if (a.is_unspecified() || a.is_loopback() || a.is_multicast()) return true;
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    return b[0] == 0 || b[0] == 10 || (b[0] == 100 && (b[1] & 0xc0) == 64) ||
           (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
           (b[0] == 192 && b[1] == 168) || b[0] >= 240;
  }
  const auto v6 = a.to_v6();
  const auto b = v6.to_bytes();
  return v6.is_link_local() || v6.is_site_local() || (b[0] & 0xfe) == 0xfc;
}

asio::awaitable<HttpReply> post(std::string url, std::string content_type, std::string body,
                                std::chrono::milliseconds timeout, PostOptions options) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Target t;
  try {
    t = parse_target(url);
  } catch (const std::invalid_argument& e) {
    throw HttpClientError(e.what());
  }

  bhttp::request<bhttp::string_body> req{bhttp::verb::post, t.target, 11};
  req.set(bhttp::field::host, t.authority);
  req.set(bhttp::field::user_agent, "janji");
  req.set(bhttp::field::accept, "application/json");
  req.set(bhttp::field::content_type, content_type);
  req.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : options.headers) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();

  const auto executor = co_await asio::this_coro::executor;
  try {
    tcp::resolver resolver(executor);
    const auto endpoints = co_await resolver.async_resolve(t.host, t.port, asio::use_awaitable);
    if (options.public_only)
      for (const auto& e : endpoints)
        if (is_private_address(e.endpoint().address().to_string()))
          throw HttpClientError(t.authority + ": refusing a private address (" +
                                e.endpoint().address().to_string() + ")");
    if (!t.tls) {
      beast::tcp_stream stream(executor);
      stream.expires_at(deadline);
      co_await stream.async_connect(endpoints, asio::use_awaitable);
      co_return co_await round_trip(stream, req);
    }
    beast::ssl_stream<beast::tcp_stream> stream(executor, tls_context());
    if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str()))
      throw HttpClientError("cannot set the TLS server name for " + t.host);
    stream.set_verify_callback(ssl::host_name_verification(t.host));
    beast::get_lowest_layer(stream).expires_at(deadline);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
    co_return co_await round_trip(stream, req);
  } catch (const boost::system::system_error& e) {
    throw HttpClientError(t.authority + ": " + e.code().message());
  }
}

}  // namespace janji::net
