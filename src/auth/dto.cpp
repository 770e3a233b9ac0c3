#include "auth/dto.hpp"

#include "core/json.hpp"

#include <boost/json/object.hpp>

namespace janji::auth {

namespace json = boost::json;

json::value to_json(const User& u) {
  return json::object{{"id", u.id},
                      {"name", u.name},
                      {"email", u.email},
                      {"address", json_or_null(u.address)},
                      {"phone_number", json_or_null(u.phone_number)},
                      {"role", u.role}};
}

}  // namespace janji::auth
