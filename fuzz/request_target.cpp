// Request targets: Boost.URL's origin-form parsing into a decoded path and query, routing on
// the service's route table, the integer and UUID path parameters, and the list queries of
// /bookings and /api/booking/enrollments. The input is the target as sent on the request
// line. Only ApiError may escape.

#include "bookings/validation.hpp"
#include "check.hpp"
#include "courses/validation.hpp"
#include "http/body.hpp"
#include "http/router.hpp"

#include <boost/asio/awaitable.hpp>

#include <array>

namespace janji::fuzz {
namespace {

using http::Verb;

// The shapes the service declares (src/*/handlers.cpp, app.cpp); the router only stores
// handlers, so none is ever called.
const http::Router& service_routes() {
  static const http::Router router = [] {
    const std::pair<Verb, const char*> routes[] = {
        {Verb::get, "/health"},
        {Verb::get, "/openapi.json"},
        {Verb::post, "/auth/register"},
        {Verb::post, "/auth/login"},
        {Verb::get, "/auth/me"},
        {Verb::patch, "/auth/me"},
        {Verb::get, "/bookings/stream"},
        {Verb::post, "/bookings"},
        {Verb::get, "/bookings"},
        {Verb::get, "/bookings/me"},
        {Verb::get, "/bookings/{booking_id}"},
        {Verb::patch, "/bookings/{booking_id}"},
        {Verb::get, "/services/packages"},
        {Verb::get, "/services/packages/{package_id}"},
        {Verb::post, "/services/packages"},
        {Verb::patch, "/services/packages/{package_id}"},
        {Verb::delete_, "/services/packages/{package_id}"},
        {Verb::post, "/services/types"},
        {Verb::patch, "/services/types/{service_type_id}"},
        {Verb::delete_, "/services/types/{service_type_id}"},
        {Verb::get, "/segments"},
        {Verb::get, "/segments/stream"},
        {Verb::get, "/api/booking/stream"},
        {Verb::post, "/api/bookings/create"},
        {Verb::get, "/api/bookings/user/{userId}"},
        {Verb::get, "/api/booking/enrollments"},
        {Verb::post, "/api/booking/enrollments"},
        {Verb::get, "/api/booking/enrollments/{id}"},
        {Verb::put, "/api/booking/enrollments/{id}"},
        {Verb::get, "/api/courses"},
        {Verb::get, "/api/courses/{id}"},
        {Verb::post, "/api/courses"},
        {Verb::put, "/api/courses/{id}"},
        {Verb::delete_, "/api/courses/{id}"},
        {Verb::get, "/api/booking/captcha"},
        {Verb::post, "/api/booking/register-course"},
        {Verb::get, "/api/booking/pending"},
        {Verb::post, "/api/bookings/{id}/confirm"},
        {Verb::post, "/api/bookings/{id}/reject"},
        {Verb::delete_, "/api/booking/{id}"},
    };
    http::Router r;
    for (const auto& [verb, pattern] : routes)
      r.add(verb, pattern, [](http::Request&) -> boost::asio::awaitable<http::Response> {
        co_return http::Response{};
      });
    return r;
  }();
  return router;
}

void check_match(const http::Match& m, Verb verb, std::string_view path) {
  const auto parts = http::split_path(path);
  if (!m.route) return;
  FUZZ_CHECK(m.route->method == verb);
  FUZZ_CHECK(m.route->segments.size() == parts.size());
  std::size_t params = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (m.route->is_param[i])
      ++params;
    else
      FUZZ_CHECK(m.route->segments[i] == parts[i]);
  }
  FUZZ_CHECK(m.params.size() == params);
  for (const auto& [name, value] : m.params) FUZZ_CHECK(!name.empty() && !value.empty());
}

// The path parameters as the handlers read them: integer ids and UUIDs.
void read_params(http::Request& req) {
  for (const auto& [name, value] : req.path_params) {
    try {
      http::path_id(req, name);
    } catch (const ApiError& e) {
      check_refusal(e);
    }
    try {
      FUZZ_CHECK(courses::is_uuid(courses::uuid_param(req, name)));
    } catch (const ApiError& e) {
      check_refusal(e);
    }
  }
}

void read_queries(const http::Pairs& query) {
  try {
    const auto f = bookings::parse_list_filter(query);
    FUZZ_CHECK(!f.skip || *f.skip >= 0);
    FUZZ_CHECK(!f.limit || (*f.limit >= 1 && *f.limit <= 100000));
  } catch (const ApiError& e) {
    check_refusal(e);
  }
  try {
    const auto f = courses::parse_enrollment_filter(query);
    FUZZ_CHECK(f.page >= 1 && f.limit >= 1 && f.limit <= 100);
    FUZZ_CHECK(!f.course_id || courses::is_uuid(*f.course_id));
  } catch (const ApiError& e) {
    check_refusal(e);
  }
}

}  // namespace
}  // namespace janji::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace janji;
  auto target = http::parse_target(fuzz::bytes(data, size));
  if (!target) return 0;
  const auto& router = fuzz::service_routes();
  for (const auto verb : {http::Verb::get, http::Verb::post, http::Verb::patch, http::Verb::put,
                          http::Verb::delete_}) {
    auto m = router.match(verb, target->path);
    fuzz::check_match(m, verb, target->path);
    // Every route answers with and without a trailing slash.
    const auto slashed = router.match(verb, target->path + "/");
    FUZZ_CHECK(slashed.route == m.route && slashed.params == m.params);
    if (!m.route) continue;
    http::Request req;
    req.path = target->path;
    req.query = target->query;
    req.path_params = std::move(m.params);
    fuzz::read_params(req);
  }
  fuzz::read_queries(target->query);
  return 0;
}
