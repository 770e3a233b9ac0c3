#pragma once

#include "auth/dto.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace janji::http {

namespace bhttp = boost::beast::http;
using Verb = bhttp::verb;
using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
  bhttp::request<bhttp::string_body> raw;
  std::string path;   // as parse_target decodes it, without the query
  Pairs query;        // as parse_target decodes it
  Pairs path_params;  // filled by the router
  std::string client_address;
  std::string request_id;
  /// The caller, as the route's access check established it: set on every route that is
  /// not public (and on a public route that identifies callers who send a token).
  std::optional<auth::User> user;
  /// The caller's id; also set alone on a route that checks only the token (its handler's
  /// own transaction confirms the user exists).
  std::int64_t user_id = 0;
  /// The data's version when the caller was found, where every connection shares one
  /// (db::shared_data_version): a read may skip rows it kept of that version.
  std::optional<std::string> data_version;

  /// The caller of a route that requires one; a bug (500) on a route that does not.
  const auth::User& caller() const;

  Verb method() const { return raw.method(); }
  const std::string& body() const { return raw.body(); }
  std::string_view header(bhttp::field f) const;
  std::string_view header(std::string_view name) const;
  std::optional<std::string> param(std::string_view name) const;
  std::optional<std::string> query_value(std::string_view name) const;
  /// The media type of Content-Type, lower-cased, without parameters ("" when absent).
  std::string media_type() const;
};

/// The connection of a streaming response (SSE), handed to the response's body coroutine.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  /// Writes one chunk; false once the client is gone or the write timed out.
  virtual boost::asio::awaitable<bool> write(std::string_view data) = 0;
  /// True once the client closed its side (or the server is draining).
  virtual bool closed() const = 0;
  /// Runs `fn` on the connection's executor when the client goes away.
  virtual void on_close(std::function<void()> fn) = 0;
  virtual boost::asio::any_io_executor executor() = 0;
};

using StreamBody = std::function<boost::asio::awaitable<void>(StreamWriter&)>;

struct Response {
  unsigned status = 200;
  std::string body;
  /// When set, the body instead of `body`: a text kept elsewhere (a list kept while its data
  /// is unchanged), sent as it is, without a copy of its own.
  std::shared_ptr<const std::string> shared_body;
  std::string content_type = "application/json; charset=utf-8";
  Pairs headers;
  /// When set, the headers go out with chunked encoding and this produces the body until it
  /// returns; the connection closes afterwards.
  StreamBody stream;

  static Response json(unsigned status, const boost::json::value& body);
  static Response no_content();
  /// A CSV file for spreadsheets, offered for download as `filename`.
  static Response csv(std::string body, std::string_view filename);
  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

/// A request target as routing and handlers see it.
struct Target {
  std::string path;  // percent-decoded; invalid UTF-8 replaced by U+FFFD
  Pairs query;       // the same, in order; a key without '=' has an empty value
};

/// Splits an origin-form request target ("/bookings/?segment=high"); nullopt when the target
/// is not one (the server answers 400).
std::optional<Target> parse_target(std::string_view target);

}  // namespace janji::http
