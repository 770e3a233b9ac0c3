#include "core/json_text.hpp"

#include "bookings/dto.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <random>
#include <string>

namespace janji {
namespace {

namespace json = boost::json;

std::string as_json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(JsonText, EveryByteIsWrittenAsSerializeWritesIt) {
  for (int c = 0; c < 256; ++c) {
    const std::string s = "a" + std::string(1, static_cast<char>(c)) + "z";
    // Bytes above 0x7f alone are not UTF-8; serialize copies them as they are, and so do we.
    EXPECT_EQ(as_json_string(s), json::serialize(json::value(json::string(s)))) << "byte " << c;
  }
}

TEST(JsonText, RandomTextMatchesSerialize) {
  std::mt19937 rng(20261206);
  const std::string pieces[] = {"\"",          "\\",           "\n", "\t",           "\x01", "\x1f",
                                "caf\xc3\xa9", "\xe2\x82\xac", "/",  "plain words ", "\x7f", ""};
  for (int round = 0; round < 500; ++round) {
    std::string s;
    for (int i = 0; i < static_cast<int>(rng() % 12); ++i) s += pieces[rng() % std::size(pieces)];
    EXPECT_EQ(as_json_string(s), json::serialize(json::value(json::string(s))));
  }
}

TEST(JsonText, ObjectsNestAndSeparateMembersWithCommas) {
  std::string out = "[";
  JsonText w(out);
  w.object()
      .field("id", std::int64_t{-9'000'000'000'000})
      .field("n", 0)
      .field("name", "Siti \"Ina\"")
      .field("none", std::optional<std::string>())
      .field("some", std::optional<std::string>("x"))
      .object("inner")
      .field("a", 1)
      .object("deeper")
      .end()
      .field("b", "2")
      .end()
      .field("after", 3)
      .end();
  out += ']';
  const json::value expected = json::array{
      json::object{{"id", -9'000'000'000'000},
                   {"n", 0},
                   {"name", "Siti \"Ina\""},
                   {"none", nullptr},
                   {"some", "x"},
                   {"inner", json::object{{"a", 1}, {"deeper", json::object{}}, {"b", "2"}}},
                   {"after", 3}}};
  EXPECT_EQ(out, json::serialize(expected));
}

TEST(JsonText, ABookingsTextIsItsValueSerialized) {
  bookings::Booking b;
  b.id = 42;
  b.user_id = 7;
  b.service_type_id = 3;
  b.price_locked = 150'000'05;
  b.status = "dp";
  b.priority_score = 80;
  b.priority_segment = "high";
  b.urgency_level = "urgent";
  b.monetary_level = "premium";
  b.user = auth::User{7, "Dewi \"MUA\"\n", "dewi@example.id", std::nullopt, "+628123", "customer"};
  std::string text;
  bookings::append_json(text, b);
  const auto v = json::parse(text);
  EXPECT_EQ(json::serialize(v), text);
  EXPECT_EQ(v.at("price_locked"), "150000.05");
  EXPECT_EQ(v.at("user").at("name"), "Dewi \"MUA\"\n");
  EXPECT_TRUE(v.at("user").at("address").is_null());
  EXPECT_EQ(v.at("user").at("phone_number"), "+628123");
  EXPECT_EQ(v.as_object().size(), 14u);
  EXPECT_EQ(bookings::to_json(b), v);
}

}  // namespace
}  // namespace janji
