#include "http/body.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <boost/json/parser.hpp>

namespace janji::http {

namespace json = boost::json;

bool is_json_media_type(std::string_view media) {
  return media.empty() || media == "application/json" ||
         (media.size() > 5 && media.substr(media.size() - 5) == "+json");
}

json::value json_body(const Request& req) {
  const auto& body = req.body();
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
  if (!is_json_media_type(req.media_type()))
    throw ApiError(ErrorCode::kUnsupportedMediaType, "Content-Type must be application/json");

  json::parse_options opts;
  opts.max_depth = 64;
  json::parser p(json::storage_ptr(), opts);
  boost::system::error_code ec;
  const auto consumed = p.write(body.data(), body.size(), ec);
  if (ec) {
    FieldError e{json::array{"body", consumed}, "JSON decode error", "json_invalid", json::object{},
                 json::object{{"error", ec.message()}}};
    throw ApiError::validation({std::move(e)});
  }
  return p.release();
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Form encoding: '+' is a space and %XX a byte; a malformed escape is kept as written, and
// bytes that do not make UTF-8 become U+FFFD.
std::string form_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return to_valid_utf8(out);
}

}  // namespace

Pairs form_body(const Request& req) {
  Pairs out;
  std::string_view body = req.body();
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto item = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    auto key = form_decode(item.substr(0, eq));
    auto value = eq == std::string_view::npos ? std::string{} : form_decode(item.substr(eq + 1));
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

json::object to_object(const Pairs& pairs) {
  json::object out;
  for (const auto& [k, v] : pairs) out[k] = v;
  return out;
}

std::optional<std::string> bearer_token(const Request& req) {
  const std::string_view h = req.header(bhttp::field::authorization);
  if (h.size() < 7) return std::nullopt;
  std::string scheme(h.substr(0, 7));
  for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (scheme != "bearer ") return std::nullopt;
  auto token = h.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

}  // namespace janji::http

#include "core/fields.hpp"

namespace janji::http {

std::int64_t path_id(const Request& req, std::string_view name) {
  const auto raw = req.param(name).value_or("");
  std::string type, msg;
  const auto v = coerce_int(json::value(raw), type, msg);
  if (!v) {
    throw ApiError::validation(
        {FieldError{json::array{"path", name}, msg, type, json::value(raw), {}}});
  }
  return *v;
}

}  // namespace janji::http
