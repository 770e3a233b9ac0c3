#include "auth/handlers.hpp"

#include "auth/validation.hpp"
#include "http/body.hpp"

namespace janji::auth {

namespace json = boost::json;
using http::Access;
using http::Request;
using http::Response;
using http::Verb;

void add_routes(http::Router& router, AuthService& auth) {
  router.add(Verb::post, "/auth/register",
             [&auth](Request& req) -> boost::asio::awaitable<Response> {
               auto sign_up = parse_sign_up(http::json_body(req));
               auto created = co_await auth.register_user(std::move(sign_up.user),
                                                          std::move(sign_up.password));
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
               auto form = parse_login(req);
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
             [](Request& req) -> boost::asio::awaitable<Response> {
               co_return Response::json(200, to_json(req.caller()));
             },
             {.tag = "auth",
              .summary = "The current user",
              .access = Access::kUser,
              .response_schema = "UserRead"});

  router.add(
      Verb::patch, "/auth/me",
      [&auth](Request& req) -> boost::asio::awaitable<Response> {
        auto update = parse_profile_update(http::json_body(req));
        auto updated = co_await auth.update_profile(req.caller(), std::move(update));
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
