#include "http/message.hpp"

#include <gtest/gtest.h>

namespace janji::http {
namespace {

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

}  // namespace
}  // namespace janji::http
