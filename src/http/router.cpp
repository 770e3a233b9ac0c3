#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace janji::http {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const auto j = path.find('/', i);
    const auto end = j == std::string_view::npos ? path.size() : j;
    if (end > i) out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

void Router::add(Verb method, std::string pattern, Handler handler, RouteDoc doc) {
  Route r{method, pattern, std::move(handler), std::move(doc), {}, {}};
  for (auto seg : split_path(pattern)) {
    const bool param = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
    r.segments.emplace_back(param ? seg.substr(1, seg.size() - 2) : seg);
    r.is_param.push_back(param);
  }
  // Parameter names do not matter: /a/{x} and /a/{y} are the same route.
  const auto same_shape = [&r](const Route& other) {
    if (other.is_param != r.is_param) return false;
    for (std::size_t i = 0; i < r.segments.size(); ++i)
      if (!r.is_param[i] && other.segments[i] != r.segments[i]) return false;
    return true;
  };
  for (const auto& other : routes_)
    if (other.method == method && same_shape(other))
      throw std::logic_error("route declared twice: " + pattern);
  routes_.push_back(std::move(r));
}

Access required_access(const RouteDoc& doc, const Request& req) {
  if (!doc.admin_flag.empty() && req.query_value(doc.admin_flag).value_or("") == "true")
    return Access::kAdmin;
  return doc.access;
}

Match Router::match(Verb method, std::string_view path) const {
  const auto parts = split_path(path);
  Match best;
  const Route* best_route = nullptr;
  for (const auto& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i)
      ok = r.is_param[i] ? !parts[i].empty() : r.segments[i] == parts[i];
    if (!ok) continue;
    if (r.method != method) {
      if (std::find(best.allowed.begin(), best.allowed.end(), r.method) == best.allowed.end())
        best.allowed.push_back(r.method);
      continue;
    }
    // Prefer the route whose first parameter comes latest: literals win.
    if (!best_route ||
        std::lexicographical_compare(r.is_param.begin(), r.is_param.end(),
                                     best_route->is_param.begin(), best_route->is_param.end()))
      best_route = &r;
  }
  if (best_route) {
    best.route = best_route;
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (best_route->is_param[i]) best.params.emplace_back(best_route->segments[i], parts[i]);
  }
  return best;
}

}  // namespace janji::http
