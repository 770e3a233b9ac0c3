#include "http/errors.hpp"

#include <cmath>

namespace janji::http {

namespace json = boost::json;

namespace {

// JSON has no Infinity or NaN; an input that overflowed to one is echoed as text.
json::value printable(const json::value& v) {
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

Response render_error(const ApiError& error, std::string_view /*path*/) {
  json::object body;
  if (error.code() == ErrorCode::kValidation)
    body["detail"] = validation_detail(error.fields());
  else
    body["detail"] = error.message();
  auto r = Response::json(static_cast<unsigned>(error.status()), body);
  if (error.code() == ErrorCode::kUnauthorized) r.with_header("WWW-Authenticate", "Bearer");
  if (auto s = error.retry_after()) r.with_header("Retry-After", std::to_string(*s));
  return r;
}

}  // namespace janji::http
