#pragma once

#include "http/middleware.hpp"
#include "http/observer.hpp"
#include "http/router.hpp"

namespace janji::http {

/// Turns a parsed request into a response, without IO: request id, CORS, routing, the
/// route's access check, its handler, and every error rendered by its surface's renderer.
class Dispatcher {
 public:
  Dispatcher(const Router& router, AccessGuard& guard, Cors cors);

  boost::asio::awaitable<Response> operator()(Request& req) const;

  /// Tells `observer` of every request from now on (set before serving).
  void observe_with(RequestObserver& observer) { observer_ = &observer; }

 private:
  boost::asio::awaitable<Response> route(Request& req, const Route*& matched) const;

  const Router& router_;
  AccessGuard& guard_;
  Cors cors_;
  RequestObserver* observer_ = nullptr;
};

}  // namespace janji::http
