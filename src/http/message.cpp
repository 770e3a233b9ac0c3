#include "http/message.hpp"

#include "core/text.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace janji::http {

const auth::User& Request::caller() const {
  if (!user) throw std::logic_error("route reads its caller but its access is not checked");
  return *user;
}

std::string_view Request::header(bhttp::field f) const {
  const auto it = raw.find(f);
  return it == raw.end() ? std::string_view{} : std::string_view(it->value());
}

std::string_view Request::header(std::string_view name) const {
  const auto it = raw.find(name);
  return it == raw.end() ? std::string_view{} : std::string_view(it->value());
}

std::optional<std::string> Request::param(std::string_view name) const {
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::string> Request::query_value(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::string Request::media_type() const {
  std::string_view ct = header(bhttp::field::content_type);
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && std::isspace(static_cast<unsigned char>(ct.back()))) ct.remove_suffix(1);
  while (!ct.empty() && std::isspace(static_cast<unsigned char>(ct.front()))) ct.remove_prefix(1);
  return ascii_lower(ct);
}

Response Response::json(unsigned status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

std::optional<Target> parse_target(std::string_view target) {
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  Target out{to_valid_utf8(url->path()), {}};
  for (auto p : url->params())
    out.query.emplace_back(to_valid_utf8(p.key), p.has_value ? to_valid_utf8(p.value) : "");
  return out;
}

Response Response::csv(std::string body, std::string_view filename) {
  Response r;
  r.body = std::move(body);
  r.content_type = "text/csv; charset=utf-8";
  r.with_header("Content-Disposition", "attachment; filename=\"" + std::string(filename) + "\"");
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace janji::http
