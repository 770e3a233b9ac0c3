#pragma once

#include "http/middleware.hpp"
#include "http/router.hpp"

namespace janji::http {

/// Turns a parsed request into a response, without IO: request id, CORS, routing, the
/// route's access check, its handler, and every error rendered by its surface's renderer.
class Dispatcher {
 public:
  Dispatcher(const Router& router, AccessGuard& guard, Cors cors);

  boost::asio::awaitable<Response> operator()(Request& req) const;

 private:
  boost::asio::awaitable<Response> route(Request& req) const;

  const Router& router_;
  AccessGuard& guard_;
  Cors cors_;
};

}  // namespace janji::http
