#include "http/errors.hpp"

#include "core/text.hpp"
#include "core/time.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>

namespace janji::http {

namespace json = boost::json;

namespace {

// JSON has no Infinity or NaN; an input that overflowed to one is echoed as text. Text that
// is not UTF-8 (a percent-decoded path or form field) is echoed with U+FFFD in place of the
// bad bytes, so the response stays valid JSON.
json::value printable(const json::value& v) {
  if (v.is_string() && !is_valid_utf8(v.get_string()))
    return json::value(to_valid_utf8(v.get_string()));
  if (v.is_double() && !std::isfinite(v.get_double()))
    return json::value(std::isnan(v.get_double()) ? "NaN" : v.get_double() > 0 ? "inf" : "-inf");
  if (v.is_array()) {
    json::array out;
    for (const auto& item : v.get_array()) out.push_back(printable(item));
    return out;
  }
  if (v.is_object()) {
    json::object out;
    for (const auto& kv : v.get_object()) out[kv.key()] = printable(kv.value());
    return out;
  }
  return v;
}

}  // namespace

json::value validation_detail(const std::vector<FieldError>& fields) {
  json::array detail;
  for (const auto& f : fields) {
    json::object item{{"type", f.type}, {"loc", f.loc}, {"msg", f.msg}};
    if (f.input) item["input"] = printable(*f.input);
    if (!f.ctx.empty()) item["ctx"] = f.ctx;
    detail.push_back(std::move(item));
  }
  return detail;
}

bool is_envelope_surface(std::string_view path) {
  return path == "/api" || path.substr(0, 5) == "/api/";
}

Response envelope(unsigned status, json::value data, json::object meta, json::object siblings) {
  meta["timestamp"] = format_iso_z(now_utc());
  json::object body{{"success", true}, {"data", std::move(data)}};
  for (auto& kv : siblings) body[kv.key()] = std::move(kv.value());
  body["meta"] = std::move(meta);
  return Response::json(status, body);
}

namespace {

const char* default_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "BAD_REQUEST";
    case ErrorCode::kValidation:
      return "VALIDATION_ERROR";
    case ErrorCode::kUnauthorized:
      return "UNAUTHORIZED";
    case ErrorCode::kForbidden:
      return "FORBIDDEN";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kMethodNotAllowed:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::kConflict:
      return "CONFLICT";
    case ErrorCode::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::kHeaderTooLarge:
      return "HEADER_TOO_LARGE";
    case ErrorCode::kUnsupportedMediaType:
      return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::kTooManyRequests:
      return "RATE_LIMITED";
    case ErrorCode::kUnavailable:
      return "SERVICE_UNAVAILABLE";
    case ErrorCode::kNotImplemented:
      return "NOT_IMPLEMENTED";
    case ErrorCode::kInternal:
      return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

// The course surface: {"success": false, "error": {code, message, details}}; validation is a
// 400 there, with one {path, message} item per failing field.
Response render_envelope(const ApiError& error) {
  std::string code = error.app_code().empty() ? default_code(error.code()) : error.app_code();
  unsigned status = static_cast<unsigned>(error.status());
  std::string message = error.message();
  json::array details = error.details();
  if (error.code() == ErrorCode::kValidation) {
    status = 400;
    const bool bad_json = !error.fields().empty() && error.fields().front().type == "json_invalid";
    if (bad_json) {
      code = "INVALID_JSON";
      message = "The request body is not valid JSON";
    } else if (error.app_code().empty()) {
      message = "Invalid request data";
    }
    for (const auto& f : error.fields()) {
      if (bad_json) break;
      std::string path;
      for (std::size_t i = 1; i < f.loc.size(); ++i) {
        if (!path.empty()) path += '.';
        path +=
            f.loc[i].is_string() ? std::string(f.loc[i].get_string()) : json::serialize(f.loc[i]);
      }
      details.push_back(json::object{{"path", path}, {"message", f.msg}});
    }
  }
  json::object err{{"code", code}, {"message", message}};
  if (!details.empty()) err["details"] = std::move(details);
  return Response::json(status, json::object{{"success", false}, {"error", std::move(err)}});
}

}  // namespace

Response render_error(const ApiError& error, std::string_view path) {
  Response r;
  if (is_envelope_surface(path)) {
    r = render_envelope(error);
  } else {
    json::object body;
    if (error.code() == ErrorCode::kValidation)
      body["detail"] = validation_detail(error.fields());
    else
      body["detail"] = error.message();
    r = Response::json(static_cast<unsigned>(error.status()), body);
  }
  // Both surfaces send the same protocol headers.
  if (error.code() == ErrorCode::kUnauthorized) r.with_header("WWW-Authenticate", "Bearer");
  if (auto s = error.retry_after()) r.with_header("Retry-After", std::to_string(*s));
  return r;
}

}  // namespace janji::http
