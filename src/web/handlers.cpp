#include "web/handlers.hpp"

#include "core/error.hpp"
#include "web/assets.hpp"

namespace janji::web {

using boost::asio::awaitable;
using http::Request;
using http::Response;
using http::Verb;

namespace {

// Everything a page loads comes from this server: no CDN, no inline script. Swagger UI and
// Preact set inline styles, hence 'unsafe-inline' for styles only.
constexpr const char* kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

Response serve(const Request& req, const Asset& asset) {
  Response res;
  res.with_header("ETag", std::string(asset.etag));
  res.with_header("Cache-Control",
                  asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.with_header("X-Content-Type-Options", "nosniff");
  if (!asset.gzip.empty()) res.with_header("Vary", "Accept-Encoding");
  if (asset.content_type.starts_with("text/html")) {
    res.with_header("Content-Security-Policy", kPagePolicy);
    res.with_header("Referrer-Policy", "no-referrer");
  }
  if (etag_matches(req.header(http::bhttp::field::if_none_match), asset.etag)) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  res.content_type = std::string(asset.content_type);
  if (!asset.gzip.empty() && accepts_gzip(req.header(http::bhttp::field::accept_encoding))) {
    res.body = std::string(asset.gzip);
    res.with_header("Content-Encoding", "gzip");
  } else {
    res.body = std::string(asset.body);
  }
  return res;
}

void add_page(http::Router& router, std::string path, std::string_view file) {
  router.add(
      Verb::get, std::move(path),
      [file](Request& req) -> awaitable<Response> {
        const auto* asset = find_asset(file);
        if (!asset)
          throw ApiError::not_found("This server was built without its web pages (JANJI_WEB=OFF)");
        co_return serve(req, *asset);
      },
      {.in_openapi = false});
}

}  // namespace

void add_routes(http::Router& router) {
  add_page(router, "/admin", "admin.html");
  add_page(router, "/register", "register.html");
  add_page(router, "/register/status", "register-status.html");
  add_page(router, "/docs", "docs.html");
  router.add(Verb::get, "/assets/{name}",
             [](Request& req) -> awaitable<Response> {
               const auto name = req.param("name").value_or("");
               const auto* asset = name.ends_with(".html") ? nullptr : find_asset(name);
               if (!asset) throw ApiError::not_found("Not Found");
               co_return serve(req, *asset);
             },
             {.in_openapi = false});
}

}  // namespace janji::web
