#include "auth/handlers.hpp"

#include "core/fields.hpp"
#include "http/body.hpp"

namespace janji::auth {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using http::Verb;

namespace {

constexpr std::size_t kMaxPassword = 1024;

struct LoginForm {
  std::string username;
  std::string password;
};

// OAuth2's password form (what Swagger UI and curl send) or the same keys as JSON.
LoginForm read_login(const Request& req) {
  if (req.media_type() == "application/x-www-form-urlencoded") {
    json::object o;
    for (auto& [k, v] : http::form_body(req)) o[k] = v;
    Fields f(o);
    LoginForm form{f.required_string("username", 1, 320),
                   f.required_string("password", 1, kMaxPassword)};
    f.finish();
    return form;
  }
  const auto body = http::json_body(req);
  Fields f(body);
  f.forbid_unknown(
      {"username", "email", "password", "grant_type", "scope", "client_id", "client_secret"});
  LoginForm form;
  // Some clients name the field "email"; accept it when "username" is absent.
  if (body.is_object() && !body.as_object().contains("username") &&
      body.as_object().contains("email"))
    form.username = f.required_string("email", 1, 320);
  else
    form.username = f.required_string("username", 1, 320);
  form.password = f.required_string("password", 1, kMaxPassword);
  f.finish();
  return form;
}

}  // namespace

void add_routes(http::Router& router, AuthService& auth) {
  router.add(Verb::post, "/auth/register",
             [&auth](Request& req) -> boost::asio::awaitable<Response> {
               Fields f(http::json_body(req));
               f.forbid_unknown({"name", "email", "password", "address", "phone_number"});
               NewUser user;
               user.name = f.required_string("name", 1, 100);
               user.email = f.required_email("email");
               auto password = f.required_string("password", 6, kMaxPassword);
               user.address = f.optional_string("address", 255);
               user.phone_number = f.optional_string("phone_number", 20);
               f.finish();
               auto created = co_await auth.register_user(std::move(user), std::move(password));
               co_return Response::json(201, to_json(created));
             },
             {.tag = "auth",
              .summary = "Register a customer account",
              .request_schema = "UserCreate",
              .status = 201,
              .response_schema = "UserRead",
              .errors = {400}});

  router.add(Verb::post, "/auth/login",
             [&auth](Request& req) -> boost::asio::awaitable<Response> {
               auto form = read_login(req);
               auto token = co_await auth.login(std::move(form.username), std::move(form.password),
                                                req.client_address);
               co_return Response::json(
                   200, json::object{{"access_token", token}, {"token_type", "bearer"}});
             },
             {.tag = "auth",
              .summary = "Log in with e-mail (as `username`) and password; returns a bearer token",
              .request_schema = "LoginRequest",
              .form_request = true,
              .response_schema = "Token",
              .errors = {401, 429}});

  router.add(Verb::get, "/auth/me",
             [&auth](Request& req) -> boost::asio::awaitable<Response> {
               auto user = co_await auth.authenticate(req);
               co_return Response::json(200, to_json(user));
             },
             {.tag = "auth",
              .summary = "The current user",
              .access = Access::kUser,
              .response_schema = "UserRead"});

  router.add(
      Verb::patch, "/auth/me",
      [&auth](Request& req) -> boost::asio::awaitable<Response> {
        auto user = co_await auth.authenticate(req);
        Fields f(http::json_body(req));
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
        auto updated = co_await auth.update_profile(user, std::move(u));
        co_return Response::json(200, to_json(updated));
      },
      {.tag = "auth",
       .summary = "Update the current user's profile (role and password cannot be changed here)",
       .access = Access::kUser,
       .request_schema = "UserUpdate",
       .response_schema = "UserRead",
       .errors = {400}});
}

}  // namespace janji::auth
