#include "audit/dto.hpp"
#include "audit/validation.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace janji::audit {
namespace {

TEST(AuditEntry, TheSubjectIsEmbeddedAsJsonAndAbsentSidesAreNull) {
  Entry e{7,
          *parse_datetime("2026-12-05T03:12:09.120Z"),
          1,
          "course.updated",
          "course",
          "c-1",
          R"({"max_students":5})",
          R"({"max_students":6})"};
  const auto j = to_json(e).as_object();
  EXPECT_EQ(j.at("id").as_int64(), 7);
  EXPECT_EQ(j.at("at").as_string(), "2026-12-05T03:12:09.120Z");
  EXPECT_EQ(j.at("actor_id").as_int64(), 1);
  EXPECT_EQ(j.at("before").at("max_students").as_int64(), 5);
  EXPECT_EQ(j.at("after").at("max_students").as_int64(), 6);
  e.actor_id.reset();
  e.before.reset();
  const auto k = to_json(e).as_object();
  EXPECT_TRUE(k.at("actor_id").is_null());
  EXPECT_TRUE(k.at("before").is_null());
}

TEST(AuditFilter, ReadsTheFiltersAndPagesLikeTheOtherLists) {
  const auto f = parse_filter({{"subject_type", "course"},
                               {"subject_id", "c-1"},
                               {"actor_id", "3"},
                               {"page", "2"},
                               {"limit", "50"}});
  EXPECT_EQ(f.subject_type, "course");
  EXPECT_EQ(f.subject_id, "c-1");
  EXPECT_EQ(f.actor_id, 3);
  EXPECT_EQ(f.page, 2);
  EXPECT_EQ(f.limit, 50);
  const auto d = parse_filter({});
  EXPECT_EQ(d.page, 1);
  EXPECT_EQ(d.limit, 20);
  EXPECT_FALSE(d.subject_type || d.subject_id || d.actor_id);
}

TEST(AuditFilter, RefusesPagesOutOfRange) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"limit", "0"}, {"limit", "101"}, {"page", "0"}, {"actor_id", "x"}}) {
    EXPECT_THROW(parse_filter({{key, value}}), ApiError) << key << "=" << value;
  }
}

}  // namespace
}  // namespace janji::audit
