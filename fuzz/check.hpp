#pragma once
// What every fuzz target checks besides "no crash": invariants that stop the run like a
// crash when broken, and the shape of the ApiError a refused input gets.

#include "core/error.hpp"
#include "http/errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#define FUZZ_CHECK(cond) ((cond) ? void() : ::janji::fuzz::check_failed(#cond, __FILE__, __LINE__))

namespace janji::fuzz {

[[noreturn]] inline void check_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
  std::abort();
}

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Targets that do several things take the first byte as the choice and the rest as input.
struct Choice {
  std::uint8_t pick = 0;
  std::string_view rest;
};
inline std::optional<Choice> choose(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return std::nullopt;
  return Choice{data[0], bytes(data + 1, size - 1)};
}

/// A refused input is a client error, and both API surfaces render it as JSON that parses.
inline void check_refusal(const ApiError& e) {
  FUZZ_CHECK(e.status() >= 400 && e.status() < 500);
  if (e.code() == ErrorCode::kValidation && e.app_code().empty()) {
    FUZZ_CHECK(!e.fields().empty());
    for (const auto& f : e.fields()) FUZZ_CHECK(!f.loc.empty() && !f.msg.empty());
  }
  for (const std::string_view path : {"/bookings", "/api/courses"}) {
    const auto res = http::render_error(e, path);
    FUZZ_CHECK(res.status >= 400 && res.status < 500);
    boost::system::error_code ec;
    boost::json::parse(res.body, ec);
    FUZZ_CHECK(!ec);
  }
}

/// What the service writes back must be JSON that parses again.
inline void check_encodes(const boost::json::value& v) {
  boost::system::error_code ec;
  const auto again = boost::json::parse(boost::json::serialize(v), ec);
  FUZZ_CHECK(!ec);
  FUZZ_CHECK(again == v);
}

}  // namespace janji::fuzz
