#include "http/router.hpp"

#include <boost/asio/awaitable.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

namespace janji::http {
namespace {

// Never invoked: the router only stores handlers.
Handler stub() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

class RouterTest : public testing::Test {
 protected:
  RouterTest() {
    router_.add(Verb::get, "/bookings/{booking_id}", stub(), {.tag = "bookings", .summary = "one"});
    router_.add(Verb::patch, "/bookings/{booking_id}", stub());
    router_.add(Verb::delete_, "/bookings/{booking_id}", stub());
    router_.add(Verb::get, "/bookings/me", stub(), {.tag = "bookings", .summary = "mine"});
    router_.add(Verb::post, "/bookings", stub());
    router_.add(Verb::get, "/bookings", stub());
    router_.add(Verb::patch, "/bookings/{booking_id}/status", stub());
    router_.add(Verb::get, "/packages/{package_id}/service-types/{service_type_id}", stub());
    router_.add(Verb::get, "/", stub());
  }

  Router router_;
};

bool allows(const Match& m, Verb v) {
  return std::find(m.allowed.begin(), m.allowed.end(), v) != m.allowed.end();
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
  const auto m = router_.match(Verb::get, "/bookings/me");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/bookings/me");
  EXPECT_TRUE(m.params.empty());
}

TEST_F(RouterTest, LiteralWinsWhicheverWasDeclaredFirst) {
  Router r;
  r.add(Verb::get, "/bookings/me", stub());
  r.add(Verb::get, "/bookings/{booking_id}", stub());
  ASSERT_NE(r.match(Verb::get, "/bookings/me").route, nullptr);
  EXPECT_EQ(r.match(Verb::get, "/bookings/me").route->pattern, "/bookings/me");
  EXPECT_EQ(r.match(Verb::get, "/bookings/5").route->pattern, "/bookings/{booking_id}");
}

TEST_F(RouterTest, ParameterRouteTakesOtherValues) {
  const auto m = router_.match(Verb::get, "/bookings/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/bookings/{booking_id}");
  EXPECT_EQ(m.route->doc.summary, "one");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "booking_id");
  EXPECT_EQ(m.params[0].second, "42");
}

TEST_F(RouterTest, EveryParameterIsExtractedInOrder) {
  const auto m = router_.match(Verb::get, "/packages/3/service-types/17");
  ASSERT_NE(m.route, nullptr);
  const Pairs expected{{"package_id", "3"}, {"service_type_id", "17"}};
  EXPECT_EQ(m.params, expected);
}

TEST_F(RouterTest, ParameterFollowedByLiteral) {
  const auto m = router_.match(Verb::patch, "/bookings/9/status");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/bookings/{booking_id}/status");
  EXPECT_EQ(m.params, (Pairs{{"booking_id", "9"}}));
}

TEST_F(RouterTest, TrailingSlashMatchesTheSameRoute) {
  const auto m = router_.match(Verb::get, "/bookings/me/");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/bookings/me");
  const auto list = router_.match(Verb::get, "/bookings/");
  ASSERT_NE(list.route, nullptr);
  EXPECT_EQ(list.route->pattern, "/bookings");
}

TEST_F(RouterTest, DoubledSlashesAreCollapsed) {
  const auto m = router_.match(Verb::get, "//bookings//42//");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/bookings/{booking_id}");
  EXPECT_EQ(m.params, (Pairs{{"booking_id", "42"}}));
}

TEST_F(RouterTest, RootPathMatches) {
  ASSERT_NE(router_.match(Verb::get, "/").route, nullptr);
  EXPECT_EQ(router_.match(Verb::get, "/").route->pattern, "/");
  EXPECT_EQ(router_.match(Verb::get, "").route, router_.match(Verb::get, "/").route);
}

TEST_F(RouterTest, MethodIsPartOfTheMatch) {
  const auto post = router_.match(Verb::post, "/bookings");
  const auto get = router_.match(Verb::get, "/bookings");
  ASSERT_NE(post.route, nullptr);
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(post.route->method, Verb::post);
  EXPECT_EQ(get.route->method, Verb::get);
}

TEST_F(RouterTest, WrongMethodHasNoRouteButListsThePathsMethods) {
  const auto m = router_.match(Verb::put, "/bookings/42");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed.size(), 3u);
  EXPECT_TRUE(allows(m, Verb::get));
  EXPECT_TRUE(allows(m, Verb::patch));
  EXPECT_TRUE(allows(m, Verb::delete_));
  EXPECT_FALSE(allows(m, Verb::post));
}

TEST_F(RouterTest, WrongMethodOnLiteralPathListsOnlyMethodsWhosePatternMatches) {
  const auto m = router_.match(Verb::put, "/bookings");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed.size(), 2u);
  EXPECT_TRUE(allows(m, Verb::get));
  EXPECT_TRUE(allows(m, Verb::post));
}

TEST_F(RouterTest, UnknownPathHasNoRouteAndNoAllowedMethods) {
  for (const char* path : {"/nope", "/bookings/1/2", "/bookings/1/status/x", "/packages/1"}) {
    const auto m = router_.match(Verb::get, path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
    EXPECT_TRUE(m.params.empty()) << path;
  }
}

TEST_F(RouterTest, LiteralSegmentsAreCaseSensitive) {
  const auto m = router_.match(Verb::get, "/Bookings/me");
  EXPECT_EQ(m.route, nullptr);
}

TEST_F(RouterTest, RoutesKeepDeclarationOrderAndDocs) {
  const auto& routes = router_.routes();
  ASSERT_EQ(routes.size(), 9u);
  EXPECT_EQ(routes[0].pattern, "/bookings/{booking_id}");
  EXPECT_EQ(routes[0].doc.tag, "bookings");
  EXPECT_EQ(routes[3].doc.summary, "mine");
  EXPECT_EQ(routes[0].segments, (std::vector<std::string>{"bookings", "booking_id"}));
  EXPECT_EQ(routes[0].is_param, (std::vector<bool>{false, true}));
}

TEST(Router, DuplicateRouteThrowsLogicError) {
  Router r;
  r.add(Verb::get, "/health", stub());
  EXPECT_THROW(r.add(Verb::get, "/health", stub()), std::logic_error);
  EXPECT_THROW(r.add(Verb::get, "/health/", stub()), std::logic_error);
  EXPECT_NO_THROW(r.add(Verb::post, "/health", stub()));
  EXPECT_EQ(r.routes().size(), 2u);
}

TEST(Router, SameShapeWithAnotherParameterNameIsADuplicate) {
  // GET /bookings/{id} after GET /bookings/{booking_id} could never be reached.
  Router r;
  r.add(Verb::get, "/bookings/{booking_id}", stub());
  EXPECT_THROW(r.add(Verb::get, "/bookings/{id}", stub()), std::logic_error);
}

TEST(SplitPath, DropsEmptySegments) {
  const auto parts = split_path("//a///b/");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "b");
  EXPECT_TRUE(split_path("/").empty());
  EXPECT_TRUE(split_path("").empty());
}

}  // namespace
}  // namespace janji::http
