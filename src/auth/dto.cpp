#include "auth/dto.hpp"

#include "core/json_text.hpp"

#include <boost/json/parse.hpp>

namespace janji::auth {

namespace json = boost::json;

void write_fields(JsonText& w, const User& u) {
  w.field("id", u.id)
      .field("name", u.name)
      .field("email", u.email)
      .field("address", u.address)
      .field("phone_number", u.phone_number)
      .field("role", u.role);
}

json::value to_json(const User& u, json::storage_ptr sp) {
  std::string text;
  JsonText w(text);
  w.object();
  write_fields(w, u);
  w.end();
  return json::parse(text, std::move(sp));
}

}  // namespace janji::auth
