#pragma once

#include "http/message.hpp"

#include <string>
#include <vector>

namespace janji::http {

enum class Access {
  kPublic,
  kUser,
  kAdmin,
  kMetrics,  // an admin, or a scraper sending the METRICS_TOKEN as its bearer token
};

struct QueryDoc {
  std::string name;
  std::string description;
  std::vector<std::string> values;  // an enum, when not empty
  std::string type = "string";
};

/// What /openapi.json says of a route; declared beside the route itself.
struct RouteDoc {
  std::string tag;
  std::string summary;
  std::string id_format = "integer";  // every path parameter's type: "integer", "uuid", "date"
  Access access = Access::kPublic;
  bool query_token = false;  // the token may come as ?access_token= (EventSource sends no headers)
  bool token_only = false;   // check the token but leave looking the user up to the handler
  std::string admin_flag;    // a query flag that, when "true", makes the route admin-only
  std::string request_schema;   // component name; empty when there is no body
  bool form_request = false;    // also accepts application/x-www-form-urlencoded
  unsigned status = 200;        // success status
  std::string response_schema;  // component name, "[Name]" for an array, empty for none
  bool event_stream = false;    // text/event-stream response
  std::string media_type;       // a response other than JSON ("text/csv"), as a string
  std::vector<QueryDoc> query;
  std::vector<unsigned> errors;      // documented error statuses besides 422/401/403
  std::vector<std::string> headers;  // documented optional request headers
  bool in_openapi = true;            // false for the web pages, which are not API
};

struct Route {
  Verb method;
  std::string pattern;  // "/bookings/{booking_id}"
  Handler handler;
  RouteDoc doc;
  std::vector<std::string> segments;
  std::vector<bool> is_param;
};

struct Match {
  const Route* route = nullptr;
  Pairs params;
  std::vector<Verb> allowed;  // methods of routes whose path matched, for 405
};

/// Establishes who calls a route, as its RouteDoc declares; the auth domain implements it.
class AccessGuard {
 public:
  virtual ~AccessGuard() = default;
  /// Fills `req.user` / `req.user_id` as `doc` requires; throws ApiError 401 without a
  /// valid token and 403 when the caller's role is not enough.
  virtual boost::asio::awaitable<void> admit(Request& req, const RouteDoc& doc) = 0;
};

/// The access a request needs: the route's, or admin when its `admin_flag` query is "true".
Access required_access(const RouteDoc& doc, const Request& req);

/// Routes by method and path. Every path answers with and without a trailing slash, and a
/// literal segment beats a `{param}` at the same position (/bookings/me before /bookings/{id}).
class Router {
 public:
  void add(Verb method, std::string pattern, Handler handler, RouteDoc doc = {});
  Match match(Verb method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace janji::http
