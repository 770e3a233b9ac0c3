#include "infra/crypto/jwt.hpp"

#include "infra/crypto/crypto.hpp"

#include <boost/json.hpp>

namespace janji::crypto {

namespace json = boost::json;

std::string jwt_sign(const JwtClaims& claims, std::string_view secret) {
  static const std::string kHeader = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  const json::object payload{{"sub", claims.sub}, {"exp", claims.exp}, {"iat", claims.iat}};
  std::string signing_input = kHeader + "." + base64url_encode(json::serialize(payload));
  const std::string signature = base64url_encode(hmac_sha256(secret, signing_input));
  return signing_input + "." + signature;
}

namespace {

std::optional<json::object> decode_object(std::string_view part) {
  const auto raw = base64url_decode(part);
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*raw, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::optional<std::int64_t> numeric_claim(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() < (1ULL << 62))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && v->get_double() > -1e15 && v->get_double() < 1e15)
    return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

}  // namespace

JwtResult jwt_verify(std::string_view token, std::string_view secret, Timestamp now) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return {std::nullopt, JwtError::kMalformed};

  const auto header = decode_object(token.substr(0, dot1));
  if (!header) return {std::nullopt, JwtError::kMalformed};
  const auto* alg = header->if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "HS256")
    return {std::nullopt, JwtError::kUnsupportedAlgorithm};

  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature) return {std::nullopt, JwtError::kMalformed};
  const auto expected = hmac_sha256(secret, token.substr(0, dot2));
  if (!constant_time_equal(*signature, expected)) return {std::nullopt, JwtError::kBadSignature};

  const auto payload = decode_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return {std::nullopt, JwtError::kMalformed};
  const auto* sub = payload->if_contains("sub");
  const auto exp = numeric_claim(*payload, "exp");
  if (!sub || !sub->is_string() || !exp) return {std::nullopt, JwtError::kMissingClaim};

  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (*exp <= now_s) return {std::nullopt, JwtError::kExpired};

  JwtClaims claims{std::string(sub->get_string()), numeric_claim(*payload, "iat").value_or(0),
                   *exp};
  return {std::move(claims), JwtError::kMalformed};
}

}  // namespace janji::crypto
