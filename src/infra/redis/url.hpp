#pragma once

#include <string>

namespace janji::redis {

/// Where a Redis server is and how to log in to it: `redis://[[user]:password@]host[:port][/db]`.
struct Url {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string username;  // empty: the default user (a password alone is `AUTH password`)
  std::string password;  // empty: no AUTH
  int db = 0;

  /// host:port/db, without the credentials, for logs.
  std::string display() const;
};

/// Parses REDIS_URL; throws std::invalid_argument saying what is wrong (TLS, unix sockets
/// and query options are not supported).
Url parse_url(const std::string& text);

}  // namespace janji::redis
