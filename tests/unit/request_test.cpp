#include "core/text.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"
#include "http/message.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace janji::http {
namespace {

namespace json = boost::json;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string replaced(int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += kReplacement;
  return out;
}

TEST(ValidUtf8, KeepsValidTextAsItIs) {
  const std::string_view texts[] = {"",
                                    "abc",
                                    "Makassar \xE2\x80\x93 Sulawesi",
                                    "\xE6\x97\xA5\xE6\x9C\xAC",
                                    "\xF0\x9F\x8E\xB9",
                                    std::string_view("a\0b", 3)};
  for (const auto s : texts) EXPECT_EQ(to_valid_utf8(s), s);
}

TEST(ValidUtf8, ReplacesEachBrokenSequenceOnce) {
  EXPECT_EQ(to_valid_utf8("\xFF"), replaced(1));
  EXPECT_EQ(to_valid_utf8("a\x8D"
                          "b"),
            "a" + replaced(1) + "b");
  EXPECT_EQ(to_valid_utf8("\xC3"), replaced(1));              // cut short
  EXPECT_EQ(to_valid_utf8("\xE2\x82x"), replaced(1) + "x");   // cut short, then ASCII
  EXPECT_EQ(to_valid_utf8("\xC0\xAF"), replaced(2));          // overlong '/'
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80"), replaced(3));      // a surrogate
  EXPECT_EQ(to_valid_utf8("\xF4\x90\x80\x80"), replaced(4));  // past U+10FFFF
  EXPECT_EQ(to_valid_utf8("\xF0\x9F\x8E"), replaced(1));      // three of four bytes
}

TEST(RequestTarget, SplitsAndDecodesPathAndQuery) {
  const auto t = parse_target("/bookings/%6De?order_by=id_desc&flag&b=x%20y+z&=v");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/bookings/me");
  const Pairs expected{{"order_by", "id_desc"}, {"flag", ""}, {"b", "x y z"}, {"", "v"}};
  EXPECT_EQ(t->query, expected);
}

TEST(RequestTarget, RefusesWhatIsNotOriginForm) {
  EXPECT_FALSE(parse_target(""));
  EXPECT_FALSE(parse_target("bookings"));
  EXPECT_FALSE(parse_target("http://example.test/bookings"));
  EXPECT_FALSE(parse_target("/a b"));
  EXPECT_FALSE(parse_target("/%zz"));
}

// fuzz/regressions/request_target: percent-escapes that are not UTF-8 reached handlers as raw
// bytes, and a 422 that echoed them was not valid JSON.
TEST(RequestTarget, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  const auto t = parse_target("/bookings/%FF?limit=%C3&%8D=1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/bookings/" + replaced(1));
  const Pairs expected{{"limit", replaced(1)}, {replaced(1), "1"}};
  EXPECT_EQ(t->query, expected);
}

TEST(RequestTarget, RefusalOfAnIdThatIsNotUtf8IsValidJson) {
  Request req;
  req.path_params = {{"booking_id", parse_target("/%FF1")->path.substr(1)}};
  try {
    path_id(req, "booking_id");
    FAIL() << "not an integer";
  } catch (const ApiError& e) {
    const auto res = render_error(e, "/bookings/x");
    boost::system::error_code ec;
    const auto body = json::parse(res.body, ec);
    ASSERT_FALSE(ec) << res.body;
    EXPECT_EQ(body.at("detail").at(0).at("input"), json::value(replaced(1) + "1"));
  }
}

// fuzz/regressions/request_body: the same for form fields (POST /auth/login).
TEST(FormBody, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  Request req;
  req.raw.body() = "username=%FFana&password=x%C3&%E2%82%AC=+%E2%82%AC";
  const Pairs expected{{"username", replaced(1) + "ana"},
                       {"password", "x" + replaced(1)},
                       {"\xE2\x82\xAC", " \xE2\x82\xAC"}};
  EXPECT_EQ(form_body(req), expected);
}

}  // namespace
}  // namespace janji::http
