#pragma once

#include "core/error.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace janji {

/// A PATCH field: absent (no change), null, or a value.
template <class T>
struct Patch {
  bool present = false;
  std::optional<T> value;
};

/// How far a decoder goes to turn a JSON value into the type a field wants. The service
/// surface (seed 004, a FastAPI original) coerces as Pydantic's lax mode does: "5" is an
/// integer, "12.50" a decimal, 1700000000 a datetime. The course surface (seed 000, a Zod
/// original) takes each JSON type for itself only: a string where a number is due is
/// refused. Query, form and path values are strings on the wire and are always read lax.
enum class Coercion { kLax, kStrict };

/// Reads typed fields out of a JSON object and collects one FieldError per failing field,
/// worded as Pydantic words them, so a whole body is validated before anything is refused.
class Fields {
 public:
  /// Takes the input (it owns it); `where` is the first element of every `loc` ("body",
  /// "query", "path"); `coercion` says which surface's typing rules the decoders follow.
  explicit Fields(boost::json::value input, std::string where = "body",
                  Coercion coercion = Coercion::kLax);
  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

  std::string required_string(std::string_view key, std::size_t min_len, std::size_t max_len);
  std::optional<std::string> optional_string(std::string_view key, std::size_t max_len);
  Patch<std::string> patch_string(std::string_view key, std::size_t min_len, std::size_t max_len);

  std::int64_t required_int(std::string_view key, std::int64_t min, std::int64_t max);
  Money required_money(std::string_view key);
  Patch<Money> patch_money(std::string_view key);
  Timestamp required_datetime(std::string_view key);
  /// A syntactically valid address; the domain is lower-cased as email-validator does.
  std::string required_email(std::string_view key);
  Patch<std::string> patch_email(std::string_view key);
  /// One of `allowed`, reported as Pydantic reports a Literal mismatch.
  std::string required_choice(std::string_view key, std::span<const std::string_view> allowed);
  std::string required_choice(std::string_view key,
                              std::initializer_list<std::string_view> allowed) {
    return required_choice(key, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }

  /// Refuses keys not in `known` (Pydantic's `extra_forbidden`).
  void forbid_unknown(std::initializer_list<std::string_view> known);

  void add(FieldError e) { errors_.push_back(std::move(e)); }
  bool ok() const { return errors_.empty(); }
  /// Throws a 422 ApiError listing every failing field, if any.
  void finish();

 private:
  const boost::json::value* lookup(std::string_view key, bool required);
  void error(std::string_view key, std::string type, std::string msg,
             const boost::json::value* input, boost::json::object ctx = {});
  std::optional<std::string> as_string(std::string_view key, const boost::json::value& v,
                                       std::size_t min_len, std::size_t max_len);
  std::optional<std::string> as_email(std::string_view key, const boost::json::value& v);
  std::optional<Money> as_money(std::string_view key, const boost::json::value& v);

  boost::json::value input_;
  const boost::json::object* object_ = nullptr;
  std::string where_;
  Coercion coercion_;
  std::vector<FieldError> errors_;
};

/// A body whose only field is `key`, holding one of `allowed` ({"status": "paid"}); throws
/// a 422 ApiError otherwise.
std::string single_choice(boost::json::value body, std::string_view key,
                          std::span<const std::string_view> allowed);

/// An integer from a JSON number with no fractional part; with Coercion::kLax also from a
/// decimal string, as Pydantic does.
std::optional<std::int64_t> coerce_int(const boost::json::value& v, std::string& type,
                                       std::string& msg, Coercion coercion = Coercion::kLax);

/// Syntax-only address check; returns the normalised address or nullopt with `why`.
std::optional<std::string> normalize_email(std::string_view raw, std::string& why);

/// Number of Unicode code points in valid UTF-8 (length limits count characters).
std::size_t utf8_length(std::string_view s);

}  // namespace janji
