#include "auth/dto.hpp"

#include <boost/json/object.hpp>

namespace janji::auth {

namespace json = boost::json;

namespace {
json::value opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}
}  // namespace

json::value to_json(const User& u) {
  return json::object{{"id", u.id},
                      {"name", u.name},
                      {"email", u.email},
                      {"address", opt(u.address)},
                      {"phone_number", opt(u.phone_number)},
                      {"role", u.role}};
}

}  // namespace janji::auth
