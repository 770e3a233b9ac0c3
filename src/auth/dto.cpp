#include "auth/dto.hpp"

#include "core/json.hpp"

#include <boost/json/object.hpp>

namespace janji::auth {

namespace json = boost::json;

json::value to_json(const User& u, json::storage_ptr sp) {
  return json::object({{"id", u.id},
                       {"name", u.name},
                       {"email", u.email},
                       {"address", json_or_null(u.address, sp)},
                       {"phone_number", json_or_null(u.phone_number, sp)},
                       {"role", u.role}},
                      sp);
}

}  // namespace janji::auth
