#pragma once

#include "http/message.hpp"

#include <optional>
#include <string>
#include <vector>

namespace janji::http {

/// The request's id: a well-formed incoming X-Request-Id, else a fresh random one.
std::string request_id_of(const Request& req);

/// CORS_ORIGINS: which origins may call the API from a browser.
class Cors {
 public:
  explicit Cors(std::vector<std::string> origins);

  /// The answer to a preflight (OPTIONS with Origin and Access-Control-Request-Method);
  /// nullopt for any other request. A refused origin is an ApiError (400).
  std::optional<Response> preflight(const Request& req) const;
  /// Adds the CORS headers an allowed origin gets on every response.
  void decorate(const Request& req, Response& res) const;

 private:
  bool allows(std::string_view origin) const;

  std::vector<std::string> origins_;
  bool wildcard_;
};

}  // namespace janji::http
