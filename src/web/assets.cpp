#include "web/assets.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

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

/// The pages read from a folder (serve_from_directory). A file that changed gets a new entry;
/// the old one stays, as a request may still be sending it.
struct Directory {
  struct File {
    std::string name, type, body, etag;
    std::filesystem::file_time_type mtime;
    Asset asset;
  };
  std::string dir;
  std::mutex mutex;
  std::map<std::string, File*, std::less<>> current;
  std::vector<std::unique_ptr<File>> all;

  const Asset* find(std::string_view name) {
    namespace fs = std::filesystem;
    // A plain file name of this folder: no path, no NUL (a decoded %00 would cut the name
    // short for the system), no hidden file, no link that may lead out of the folder.
    const auto plain = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    };
    if (name.empty() || name.front() == '.' || !std::all_of(name.begin(), name.end(), plain))
      return nullptr;
    const fs::path path = fs::path(dir) / std::string(name);
    std::error_code ec;
    const auto status = fs::symlink_status(path, ec);
    if (ec || !fs::is_regular_file(status)) return nullptr;
    const auto mtime = fs::last_write_time(path, ec);
    const auto size = ec ? 0 : fs::file_size(path, ec);
    if (ec) return nullptr;
    std::lock_guard lock(mutex);
    if (auto it = current.find(name);
        it != current.end() && it->second->mtime == mtime && it->second->body.size() == size)
      return &it->second->asset;
    std::ifstream in(path, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto file = std::make_unique<File>();
    file->name = std::string(name);
    file->body = std::move(bytes).str();
    file->mtime = mtime;
    file->etag = "\"" + std::to_string(std::hash<std::string>{}(file->body)) + "\"";
    const auto ext = path.extension().string();
    file->type = ext == ".html"  ? "text/html; charset=utf-8"
                 : ext == ".js"  ? "text/javascript; charset=utf-8"
                 : ext == ".css" ? "text/css; charset=utf-8"
                                 : "application/octet-stream";
    file->asset = Asset{file->name, file->type, file->body, {}, file->etag, false};
    current[file->name] = file.get();
    all.push_back(std::move(file));
    return &all.back()->asset;
  }
};

Directory* directory = nullptr;

}  // namespace

void serve_from_directory(std::string dir) {
  if (!std::filesystem::is_directory(dir))
    throw std::invalid_argument("JANJI_WEB_DIR is not a directory: " + dir);
  static Directory d;
  d.dir = std::move(dir);
  directory = &d;
}

const Asset* find_asset(std::string_view name) {
  if (directory) return directory->find(name);
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
