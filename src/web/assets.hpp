#pragma once

#include <span>
#include <string_view>

namespace janji::web {

/// A file of the web pages, embedded into the binary at build time (web/build.mjs).
struct Asset {
  std::string_view name;  // "admin.html", "admin-3f2a9c01de.js"
  std::string_view content_type;
  std::string_view body;
  std::string_view gzip;  // the body gzip-compressed; empty when that would not be smaller
  std::string_view etag;  // a strong validator, quoted
  bool immutable;         // the name carries a hash of the content
};

/// Every embedded file; empty when the binary was built without the pages (JANJI_WEB=OFF).
std::span<const Asset> embedded_assets();

/// Serves the pages from `dir` (the `files/` folder that `node web/build.mjs OUT` writes)
/// instead of the embedded copies, for working on the pages without relinking the binary.
/// Files are read on each request, so a rebuild of the pages shows at the next reload; their
/// validators then come from the content. Throws std::invalid_argument when `dir` is not a
/// directory.
void serve_from_directory(std::string dir);

/// The embedded file of this name, or (after serve_from_directory) the one in that folder.
const Asset* find_asset(std::string_view name);

/// True when an Accept-Encoding header value allows gzip (a `q=0` refuses it).
bool accepts_gzip(std::string_view accept_encoding);

/// True when an If-None-Match header value names `etag` (or is `*`); weak validators match
/// by their opaque part, as RFC 9110 allows for GET.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace janji::web
