#include "http/dispatcher.hpp"

#include "core/error.hpp"
#include "http/errors.hpp"

#include <spdlog/spdlog.h>

namespace janji::http {

Dispatcher::Dispatcher(const Router& router, AccessGuard& guard, Cors cors)
    : router_(router), guard_(guard), cors_(std::move(cors)) {}

boost::asio::awaitable<Response> Dispatcher::operator()(Request& req) const {
  const auto started = std::chrono::steady_clock::now();
  req.request_id = request_id_of(req);
  const Route* matched = nullptr;
  Response res;
  auto fail = [&req](const ApiError& e) {
    if (e.status() >= 500)
      spdlog::error("{} {} failed: {} id={}", std::string_view(req.raw.method_string()), req.path,
                    e.detail().empty() ? e.message() : e.detail(), req.request_id);
    return render_error(e, req.path);
  };
  try {
    res = co_await route(req, matched);
  } catch (const ApiError& e) {
    res = fail(e);
  } catch (const std::exception& e) {
    res = fail(ApiError::internal(e.what()));
  }
  res.with_header("X-Request-Id", req.request_id);
  cors_.decorate(req, res);
  if (observer_)
    observer_->observe(
        matched, res.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  co_return res;
}

boost::asio::awaitable<Response> Dispatcher::route(Request& req, const Route*& matched) const {
  auto target = parse_target(req.raw.target());
  if (!target) {
    req.path = std::string(req.raw.target().substr(0, 200));
    throw ApiError::bad_request("Malformed request target");
  }
  req.path = std::move(target->path);
  req.query = std::move(target->query);
  if (auto res = cors_.preflight(req)) co_return std::move(*res);

  auto match = router_.match(req.method(), req.path);
  if (!match.route) {
    if (match.allowed.empty()) throw ApiError::not_found("Not Found");
    std::string allow;
    for (auto verb : match.allowed) {
      if (!allow.empty()) allow += ", ";
      allow += std::string(bhttp::to_string(verb));
    }
    auto res = render_error(ApiError(ErrorCode::kMethodNotAllowed, "Method Not Allowed"), req.path);
    res.with_header("Allow", allow);
    co_return res;
  }
  matched = match.route;
  req.path_params = std::move(match.params);
  co_await guard_.admit(req, match.route->doc);
  co_return co_await match.route->handler(req);
}

}  // namespace janji::http
