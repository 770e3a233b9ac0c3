#include "web/assets.hpp"

#include <gtest/gtest.h>

#include <set>

namespace janji::web {
namespace {

TEST(AcceptsGzip, NamedOrStarWithAPositiveQuality) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("deflate, *;q=0.1"));
}

TEST(AcceptsGzip, AbsentRefusedOrMalformedIsNo) {
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // named refusal beats the wildcard
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
  EXPECT_FALSE(accepts_gzip("gzip;q=2"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
}

TEST(EtagMatches, ListsWeakFormsAndStar) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("abc", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abc\"", ""));
}

TEST(EmbeddedAssets, PagesAreThereWithTypesAndDistinctNames) {
  const auto all = embedded_assets();
  ASSERT_FALSE(all.empty()) << "built without the web pages";
  std::set<std::string_view> names;
  for (const auto& a : all) {
    EXPECT_TRUE(names.insert(a.name).second) << a.name;
    EXPECT_FALSE(a.body.empty()) << a.name;
    EXPECT_FALSE(a.content_type.empty()) << a.name;
    EXPECT_EQ(a.etag.front(), '"');
    EXPECT_EQ(a.etag.back(), '"');
    if (!a.gzip.empty()) {
      EXPECT_LT(a.gzip.size(), a.body.size()) << a.name;
      EXPECT_EQ(static_cast<unsigned char>(a.gzip[0]), 0x1f) << a.name;
      EXPECT_EQ(static_cast<unsigned char>(a.gzip[1]), 0x8b) << a.name;
    }
  }
  for (auto page : {"admin.html", "register.html", "docs.html"}) {
    const auto* a = find_asset(page);
    ASSERT_NE(a, nullptr) << page;
    EXPECT_EQ(a->content_type, "text/html; charset=utf-8");
    EXPECT_FALSE(a->immutable);
    EXPECT_NE(a->body.find("<!doctype html>"), std::string_view::npos);
  }
  EXPECT_EQ(find_asset("missing.js"), nullptr);
}

}  // namespace
}  // namespace janji::web
