#pragma once

#include "auth/dto.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <string>

namespace janji::auth {

// The bodies the auth routes accept, decoded and validated without any IO. Each throws one
// 422 ApiError listing every failing field.

/// POST /auth/register: the account and the password it is to be created with.
struct SignUp {
  NewUser user;
  std::string password;
};
SignUp parse_sign_up(boost::json::value body);

/// PATCH /auth/me; role and password are not among the fields.
ProfileUpdate parse_profile_update(boost::json::value body);

struct LoginForm {
  std::string username;
  std::string password;
};
/// POST /auth/login: OAuth2's password form (what Swagger UI and curl send) or the same keys
/// as JSON.
LoginForm parse_login(const http::Request& req);

}  // namespace janji::auth
