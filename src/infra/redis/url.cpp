#include "infra/redis/url.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <stdexcept>

namespace janji::redis {

namespace {

int parse_number(std::string_view text, int min, int max, const char* what) {
  int out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || out < min ||
      out > max)
    throw std::invalid_argument(std::string("REDIS_URL: invalid ") + what + " '" +
                                std::string(text) + "'");
  return out;
}

}  // namespace

std::string Url::display() const {
  return host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

Url parse_url(const std::string& text) {
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) throw std::invalid_argument("REDIS_URL: not a URL: '" + text + "'");
  const auto& u = *parsed;
  if (u.scheme() == "rediss")
    throw std::invalid_argument("REDIS_URL: rediss:// (TLS) is not supported; use redis://");
  if (u.scheme() != "redis")
    throw std::invalid_argument("REDIS_URL must start with redis://, got '" + text + "'");
  if (u.has_query() || u.has_fragment())
    throw std::invalid_argument("REDIS_URL: query options are not supported");

  Url out;
  if (!u.encoded_host().empty()) out.host = u.host_address();
  if (u.has_port()) out.port = parse_number(u.port(), 1, 65535, "port");
  if (u.has_userinfo()) {
    out.username = u.user();
    if (u.has_password()) out.password = u.password();
    // `redis://secret@host` is how some clients write a password without a user.
    if (!u.has_password() && !out.username.empty()) {
      out.password = out.username;
      out.username.clear();
    }
  }
  std::string_view path = u.encoded_path();
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty()) out.db = parse_number(path, 0, 100000, "database number");
  return out;
}

}  // namespace janji::redis
