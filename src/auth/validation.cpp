#include "auth/validation.hpp"

#include "core/fields.hpp"
#include "http/body.hpp"

namespace janji::auth {

namespace json = boost::json;

namespace {
constexpr std::size_t kMaxPassword = 1024;
}  // namespace

SignUp parse_sign_up(json::value body) {
  Fields f(std::move(body));
  f.forbid_unknown({"name", "email", "password", "address", "phone_number"});
  SignUp s;
  s.user.name = f.required_string("name", 1, 100);
  s.user.email = f.required_email("email");
  s.password = f.required_string("password", 6, kMaxPassword);
  s.user.address = f.optional_string("address", 255);
  s.user.phone_number = f.optional_string("phone_number", 20);
  f.finish();
  return s;
}

ProfileUpdate parse_profile_update(json::value body) {
  Fields f(std::move(body));
  f.forbid_unknown({"name", "email", "address", "phone_number"});
  ProfileUpdate u;
  u.name = f.patch_string("name", 1, 100).value;
  u.email = f.patch_email("email").value;
  const auto address = f.patch_string("address", 0, 255);
  u.set_address = address.present;
  u.address = address.value;
  const auto phone = f.patch_string("phone_number", 0, 20);
  u.set_phone_number = phone.present;
  u.phone_number = phone.value;
  f.finish();
  return u;
}

LoginForm parse_login(const http::Request& req) {
  if (req.media_type() == "application/x-www-form-urlencoded") {
    Fields f(http::to_object(http::form_body(req)));
    LoginForm c{f.required_string("username", 1, 320),
                f.required_string("password", 1, kMaxPassword)};
    f.finish();
    return c;
  }
  const auto body = http::json_body(req);
  Fields f(body);
  f.forbid_unknown(
      {"username", "email", "password", "grant_type", "scope", "client_id", "client_secret"});
  LoginForm c;
  // Some clients name the field "email"; accept it when "username" is absent.
  if (body.is_object() && !body.as_object().contains("username") &&
      body.as_object().contains("email"))
    c.username = f.required_string("email", 1, 320);
  else
    c.username = f.required_string("username", 1, 320);
  c.password = f.required_string("password", 1, kMaxPassword);
  f.finish();
  return c;
}

}  // namespace janji::auth
