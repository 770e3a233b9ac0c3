#include "core/fields.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace janji {

namespace json = boost::json;

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<std::int64_t> coerce_int(const json::value& v, std::string& type, std::string& msg,
                                       Coercion coercion) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    type = "int_parsing_size";
    msg = "Unable to parse input string as an integer, exceed maximum size";
    return std::nullopt;
  }
  // Strict still takes 5.0: JavaScript has one number type, so Zod's int() cannot tell it
  // from 5.
  if (v.is_double()) {
    const double d = v.get_double();
    if (!std::isfinite(d)) {
      type = "finite_number";
      msg = "Input should be a finite number";
    } else if (d != std::floor(d)) {
      type = "int_from_float";
      msg = "Input should be a valid integer, got a number with a fractional part";
    } else if (std::fabs(d) >= 9.2e18) {
      type = "int_parsing_size";
      msg = "Unable to parse input string as an integer, exceed maximum size";
    } else {
      return static_cast<std::int64_t>(d);
    }
    return std::nullopt;
  }
  if (v.is_string() && coercion == Coercion::kLax) {
    std::string_view s = v.get_string();
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    const bool all_digits = !s.empty() &&
                            std::all_of(s.begin() + (s.front() == '-' ? 1 : 0), s.end(),
                                        [](char c) { return c >= '0' && c <= '9'; }) &&
                            s != "-";
    if (all_digits) {
      std::int64_t out = 0;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec == std::errc{} && end == s.data() + s.size()) return out;
      type = "int_parsing_size";
      msg = "Unable to parse input string as an integer, exceed maximum size";
      return std::nullopt;
    }
    type = "int_parsing";
    msg = "Input should be a valid integer, unable to parse string as an integer";
    return std::nullopt;
  }
  type = "int_type";
  msg = "Input should be a valid integer";
  return std::nullopt;
}

std::optional<std::string> normalize_email(std::string_view raw, std::string& why) {
  const auto at = raw.rfind('@');
  if (at == std::string_view::npos || raw.find('@') != at) {
    why = "The email address is not valid. It must have exactly one @-sign.";
    return std::nullopt;
  }
  const std::string_view local = raw.substr(0, at);
  const std::string_view domain = raw.substr(at + 1);
  if (local.empty()) {
    why = "There must be something before the @-sign.";
    return std::nullopt;
  }
  if (domain.empty()) {
    why = "There must be something after the @-sign.";
    return std::nullopt;
  }
  if (raw.size() > 254 || local.size() > 64) {
    why = "The email address is too long.";
    return std::nullopt;
  }
  static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    why = "The email address contains a period in an invalid position.";
    return std::nullopt;
  }
  for (char c : local) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        kAtext.find(c) == std::string_view::npos) {
      why = "The email address contains invalid characters before the @-sign.";
      return std::nullopt;
    }
  }
  if (domain.find('.') == std::string_view::npos) {
    why = "The part after the @-sign is not valid. It should have a period.";
    return std::nullopt;
  }
  std::string lowered_domain;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      const auto label = domain.substr(label_start, i - label_start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        why = "The part after the @-sign is not valid.";
        return std::nullopt;
      }
      label_start = i + 1;
      if (i < domain.size()) lowered_domain.push_back('.');
      continue;
    }
    const char c = domain[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
      why = "The part after the @-sign contains invalid characters.";
      return std::nullopt;
    }
    lowered_domain.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  const auto tld = domain.substr(domain.rfind('.') + 1);
  if (std::all_of(tld.begin(), tld.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    why = "The part after the @-sign is not valid. It is not within a valid top-level domain.";
    return std::nullopt;
  }
  return std::string(local) + "@" + lowered_domain;
}

Fields::Fields(json::value input, std::string where, Coercion coercion)
    : input_(std::move(input)), where_(std::move(where)), coercion_(coercion) {
  if (input_.is_object()) {
    object_ = &input_.as_object();
    return;
  }
  FieldError e{json::array{json::value(where_)}, "", "", input_, {}};
  if (input_.is_null()) {
    e.type = "missing";
    e.msg = "Field required";
  } else {
    e.type = "model_attributes_type";
    e.msg = "Input should be a valid dictionary or object to extract fields from";
  }
  errors_.push_back(std::move(e));
}

void Fields::error(std::string_view key, std::string type, std::string msg,
                   const json::value* input, json::object ctx) {
  FieldError e{json::array{json::value(where_), json::value(key)}, std::move(msg), std::move(type),
               std::nullopt, std::move(ctx)};
  if (input) e.input = *input;
  errors_.push_back(std::move(e));
}

const json::value* Fields::lookup(std::string_view key, bool required) {
  if (!object_) return nullptr;
  const auto* v = object_->if_contains(key);
  if (!v && required) error(key, "missing", "Field required", nullptr);
  return v;
}

std::optional<std::string> Fields::as_string(std::string_view key, const json::value& v,
                                             std::size_t min_len, std::size_t max_len) {
  if (!v.is_string()) {
    error(key, "string_type", "Input should be a valid string", &v);
    return std::nullopt;
  }
  std::string s(v.get_string());
  const auto len = utf8_length(s);
  if (len < min_len) {
    error(key, "string_too_short",
          "String should have at least " + std::to_string(min_len) +
              (min_len == 1 ? " character" : " characters"),
          &v, json::object{{"min_length", min_len}});
    return std::nullopt;
  }
  if (len > max_len) {
    error(key, "string_too_long",
          "String should have at most " + std::to_string(max_len) +
              (max_len == 1 ? " character" : " characters"),
          &v, json::object{{"max_length", max_len}});
    return std::nullopt;
  }
  return s;
}

std::string Fields::required_string(std::string_view key, std::size_t min_len,
                                    std::size_t max_len) {
  const auto* v = lookup(key, true);
  if (!v) return {};
  return as_string(key, *v, min_len, max_len).value_or("");
}

std::optional<std::string> Fields::optional_string(std::string_view key, std::size_t max_len) {
  const auto* v = lookup(key, false);
  if (!v || v->is_null()) return std::nullopt;
  return as_string(key, *v, 0, max_len);
}

Patch<std::string> Fields::patch_string(std::string_view key, std::size_t min_len,
                                        std::size_t max_len) {
  const auto* v = lookup(key, false);
  if (!v) return {};
  if (v->is_null()) return {true, std::nullopt};
  auto s = as_string(key, *v, min_len, max_len);
  return {s.has_value(), std::move(s)};
}

std::int64_t Fields::required_int(std::string_view key, std::int64_t min, std::int64_t max) {
  const auto* v = lookup(key, true);
  if (!v) return 0;
  std::string type, msg;
  const auto n = coerce_int(*v, type, msg, coercion_);
  if (!n) {
    error(key, type, msg, v);
    return 0;
  }
  if (*n < min) {
    error(key, "greater_than_equal",
          "Input should be greater than or equal to " + std::to_string(min), v,
          json::object{{"ge", min}});
    return 0;
  }
  if (*n > max) {
    error(key, "less_than_equal", "Input should be less than or equal to " + std::to_string(max), v,
          json::object{{"le", max}});
    return 0;
  }
  return *n;
}

std::optional<Money> Fields::as_money(std::string_view key, const json::value& v) {
  if (coercion_ == Coercion::kStrict && !v.is_number()) {
    error(key, "float_type", "Input should be a valid number", &v);
    return std::nullopt;
  }
  Money out = 0;
  switch (parse_money(v, out)) {
    case MoneyParse::kOk:
      return out;
    case MoneyParse::kNotDecimal:
      if (v.is_string())
        error(key, "decimal_parsing", "Input should be a valid decimal", &v);
      else
        error(key, "decimal_type",
              "Decimal input should be an integer, float, string or Decimal object", &v);
      break;
    case MoneyParse::kTooManyPlaces:
      error(key, "decimal_max_places", "Decimal input should have no more than 2 decimal places",
            &v, json::object{{"decimal_places", 2}});
      break;
    case MoneyParse::kNegative:
      error(key, "greater_than_equal", "Input should be greater than or equal to 0", &v,
            json::object{{"ge", 0}});
      break;
    case MoneyParse::kTooLarge:
      error(key, "decimal_max_digits", "Decimal input should have no more than 12 digits in total",
            &v, json::object{{"max_digits", 12}});
      break;
  }
  return std::nullopt;
}

Money Fields::required_money(std::string_view key) {
  const auto* v = lookup(key, true);
  if (!v) return 0;
  return as_money(key, *v).value_or(0);
}

Patch<Money> Fields::patch_money(std::string_view key) {
  const auto* v = lookup(key, false);
  if (!v || v->is_null()) return {};
  auto m = as_money(key, *v);
  return {m.has_value(), m};
}

Timestamp Fields::required_datetime(std::string_view key) {
  const auto* v = lookup(key, true);
  if (!v) return {};
  if (v->is_string()) {
    std::string why;
    if (auto t = parse_datetime(v->get_string(), &why)) return *t;
    error(key, "datetime_from_date_parsing", "Input should be a valid datetime or date, " + why, v,
          json::object{{"error", why}});
    return {};
  }
  if (coercion_ == Coercion::kLax && (v->is_int64() || v->is_double())) {
    // Pydantic takes numbers as Unix seconds; keep to the years a booking can have.
    const double secs = v->is_int64() ? static_cast<double>(v->get_int64()) : v->get_double();
    if (std::isfinite(secs) && secs >= 0 && secs < 253402300800.0)
      return Timestamp{
          std::chrono::microseconds{static_cast<std::int64_t>(std::llround(secs * 1e6))}};
  }
  error(key, "datetime_type", "Input should be a valid datetime", v);
  return {};
}

std::optional<std::string> Fields::as_email(std::string_view key, const json::value& v) {
  if (!v.is_string()) {
    error(key, "string_type", "Input should be a valid string", &v);
    return std::nullopt;
  }
  std::string why;
  auto email = normalize_email(v.get_string(), why);
  if (!email) {
    error(key, "value_error", "value is not a valid email address: " + why, &v,
          json::object{{"reason", why}});
  }
  return email;
}

std::string Fields::required_email(std::string_view key) {
  const auto* v = lookup(key, true);
  if (!v) return {};
  return as_email(key, *v).value_or("");
}

Patch<std::string> Fields::patch_email(std::string_view key) {
  const auto* v = lookup(key, false);
  if (!v || v->is_null()) return {};
  auto e = as_email(key, *v);
  return {e.has_value(), std::move(e)};
}

std::string Fields::required_choice(std::string_view key,
                                    std::span<const std::string_view> allowed) {
  const auto* v = lookup(key, true);
  if (!v) return {};
  if (v->is_string()) {
    const std::string_view s = v->get_string();
    if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return std::string(s);
  }
  std::string expected;
  std::size_t i = 0;
  for (auto a : allowed) {
    if (i) expected += (i + 1 == allowed.size()) ? " or " : ", ";
    expected += "'" + std::string(a) + "'";
    ++i;
  }
  error(key, "literal_error", "Input should be " + expected, v,
        json::object{{"expected", expected}});
  return {};
}

void Fields::forbid_unknown(std::initializer_list<std::string_view> known) {
  if (!object_) return;
  for (const auto& kv : *object_) {
    if (std::find(known.begin(), known.end(), std::string_view(kv.key())) == known.end())
      error(kv.key(), "extra_forbidden", "Extra inputs are not permitted", &kv.value());
  }
}

void Fields::finish() {
  if (!errors_.empty()) throw ApiError::validation(std::move(errors_));
}

std::string single_choice(json::value body, std::string_view key,
                          std::span<const std::string_view> allowed) {
  Fields f(std::move(body));
  f.forbid_unknown({key});
  auto choice = f.required_choice(key, allowed);
  f.finish();
  return choice;
}

}  // namespace janji
