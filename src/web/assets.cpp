#include "web/assets.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace janji::web {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Calls `fn` with each trimmed, non-empty element of a comma-separated header list.
template <typename Fn>
void each_element(std::string_view list, Fn fn) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = trim(list.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

/// The q-value of one Accept-Encoding element ("gzip;q=0.5" → 0.5); 1 when absent,
/// 0 when malformed.
double quality(std::string_view params) {
  double q = 1.0;
  auto pos = params.find(';');
  while (pos != std::string_view::npos) {
    params.remove_prefix(pos + 1);
    const auto next = params.find(';');
    const auto param = trim(params.substr(0, next));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const auto v = param.substr(2);
      // RFC 9110 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]
      if (v.empty() || (v[0] != '0' && v[0] != '1')) return 0.0;
      q = v[0] == '1' ? 1.0 : 0.0;
      if (v.size() > 1) {
        if (v[1] != '.' || v.size() > 5) return 0.0;
        double scale = 0.1;
        for (auto c : v.substr(2)) {
          if (c < '0' || c > '9') return 0.0;
          q += (c - '0') * scale;
          scale /= 10;
        }
      }
      return std::min(q, 1.0);
    }
    pos = next;
  }
  return q;
}

}  // namespace

const Asset* find_asset(std::string_view name) {
  const auto all = embedded_assets();
  const auto it =
      std::find_if(all.begin(), all.end(), [name](const Asset& a) { return a.name == name; });
  return it == all.end() ? nullptr : &*it;
}

bool accepts_gzip(std::string_view accept_encoding) {
  bool gzip = false;
  bool explicit_gzip = false;
  double star = -1.0;
  each_element(accept_encoding, [&](std::string_view item) {
    const auto semi = item.find(';');
    const auto coding = ascii_lower(trim(item.substr(0, semi)));
    const auto q = semi == std::string_view::npos ? 1.0 : quality(item.substr(semi));
    if (coding == "gzip" || coding == "x-gzip") {
      explicit_gzip = true;
      gzip = gzip || q > 0;
    } else if (coding == "*") {
      star = q;
    }
  });
  return explicit_gzip ? gzip : star > 0;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (etag.empty()) return false;
  bool match = false;
  each_element(if_none_match, [&](std::string_view tag) {
    if (tag == "*") match = true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) match = true;
  });
  return match;
}

}  // namespace janji::web
