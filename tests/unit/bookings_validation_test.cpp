#include "bookings/validation.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

namespace janji::bookings {
namespace {

namespace json = boost::json;

FieldError key_error(std::string_view header) {
  try {
    parse_idempotency_key(header);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.fields().size(), 1u);
    if (!e.fields().empty()) return e.fields().front();
  }
  ADD_FAILURE() << "no ApiError for " << header;
  return {};
}

TEST(IdempotencyKey, AbsentOrEmptyHeaderIsNoKey) {
  EXPECT_EQ(parse_idempotency_key(""), std::nullopt);
}

TEST(IdempotencyKey, IsKeptVerbatim) {
  EXPECT_EQ(parse_idempotency_key("3f2b6c1e-9a4d-4e8b-b1f0-2a7c5d9e8f01"),
            "3f2b6c1e-9a4d-4e8b-b1f0-2a7c5d9e8f01");
  EXPECT_EQ(parse_idempotency_key(" spaced key "), " spaced key ");
  EXPECT_EQ(parse_idempotency_key("pesan-\xC3\xA9"), "pesan-\xC3\xA9");
}

TEST(IdempotencyKey, TwoHundredFiftyFiveBytesIsTheLongestAccepted) {
  const std::string longest(255, 'k');
  EXPECT_EQ(parse_idempotency_key(longest), longest);
}

TEST(IdempotencyKey, LongerThan255BytesIsStringTooLongWithNullInput) {
  const auto e = key_error(std::string(256, 'k'));
  EXPECT_EQ(e.loc, (json::array{"header", "idempotency-key"}));
  EXPECT_EQ(e.msg, "String should have at most 255 characters");
  EXPECT_EQ(e.type, "string_too_long");
  ASSERT_TRUE(e.input.has_value());
  EXPECT_TRUE(e.input->is_null());
  EXPECT_TRUE(e.ctx.empty());
}

TEST(IdempotencyKey, LengthCountsBytesNotCharacters) {
  // 128 two-byte characters: 256 bytes.
  std::string key;
  for (int i = 0; i < 128; ++i) key += "\xC3\xA9";
  EXPECT_EQ(key_error(key).type, "string_too_long");
}

TEST(IdempotencyKey, InvalidUtf8IsStringUnicodeEchoingTheInput) {
  const std::string raw = "key-\xFF\xFE";
  const auto e = key_error(raw);
  EXPECT_EQ(e.loc, (json::array{"header", "idempotency-key"}));
  EXPECT_EQ(e.msg, "Input should be a valid string, unable to parse raw data as a unicode string");
  EXPECT_EQ(e.type, "string_unicode");
  ASSERT_TRUE(e.input.has_value());
  EXPECT_EQ(*e.input, json::value(raw));
  EXPECT_TRUE(e.ctx.empty());
}

TEST(IdempotencyKey, TooLongIsReportedBeforeInvalidUtf8) {
  EXPECT_EQ(key_error(std::string(300, '\xFF')).type, "string_too_long");
}

}  // namespace
}  // namespace janji::bookings
