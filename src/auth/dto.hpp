#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace janji {
class JsonText;
}

namespace janji::auth {

/// A user as the API shows it (UserRead). Holds no secret, so it can always be serialised.
struct User {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::optional<std::string> address;
  std::optional<std::string> phone_number;
  std::string role = "customer";

  bool is_admin() const { return role == "admin"; }
};

/// Writes the members of the user's object into `w`'s open object.
void write_fields(JsonText& w, const User& u);
boost::json::value to_json(const User& u, boost::json::storage_ptr sp = {});

struct NewUser {
  std::string name;
  std::string email;
  std::optional<std::string> address;
  std::optional<std::string> phone_number;
  std::string role = "customer";
};

struct ProfileUpdate {
  std::optional<std::string> name;
  std::optional<std::string> email;
  bool set_address = false;
  std::optional<std::string> address;
  bool set_phone_number = false;
  std::optional<std::string> phone_number;
};

}  // namespace janji::auth
