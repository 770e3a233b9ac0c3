#include "http/middleware.hpp"

#include "core/error.hpp"
#include "infra/crypto/crypto.hpp"

#include <algorithm>
#include <cctype>

namespace janji::http {

std::string request_id_of(const Request& req) {
  const auto id = req.header("X-Request-Id");
  const bool valid =
      !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
  return valid ? std::string(id) : crypto::random_id_hex(8);
}

Cors::Cors(std::vector<std::string> origins)
    : origins_(std::move(origins)),
      wildcard_(std::find(origins_.begin(), origins_.end(), "*") != origins_.end()) {}

bool Cors::allows(std::string_view origin) const {
  return !origin.empty() &&
         (wildcard_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end());
}

std::optional<Response> Cors::preflight(const Request& req) const {
  const auto origin = req.header(bhttp::field::origin);
  if (req.method() != Verb::options || origin.empty() ||
      req.header(bhttp::field::access_control_request_method).empty())
    return std::nullopt;
  if (!allows(origin)) throw ApiError::bad_request("Disallowed CORS origin");
  Response res;
  res.content_type = "text/plain; charset=utf-8";
  res.body = "OK";
  res.with_header("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
  const auto asked = req.header(bhttp::field::access_control_request_headers);
  res.with_header("Access-Control-Allow-Headers",
                  asked.empty() ? std::string("Authorization, Content-Type, Idempotency-Key")
                                : std::string(asked));
  res.with_header("Access-Control-Max-Age", "600");
  return res;
}

void Cors::decorate(const Request& req, Response& res) const {
  const auto origin = req.header(bhttp::field::origin);
  if (!allows(origin)) return;
  res.with_header("Access-Control-Allow-Origin",
                  wildcard_ ? std::string("*") : std::string(origin));
  if (!wildcard_) {
    res.with_header("Access-Control-Allow-Credentials", "true");
    res.with_header("Vary", "Origin");
  }
  res.with_header("Access-Control-Expose-Headers",
                  "X-Request-Id, Retry-After, Idempotent-Replayed");
}

}  // namespace janji::http
