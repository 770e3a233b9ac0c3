#include "http/errors.hpp"

namespace janji::http {

namespace json = boost::json;

json::value validation_detail(const std::vector<FieldError>& fields) {
  json::array detail;
  for (const auto& f : fields) {
    json::object item{{"type", f.type}, {"loc", f.loc}, {"msg", f.msg}};
    if (f.input) item["input"] = *f.input;
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
