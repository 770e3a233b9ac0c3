#include "infra/db/postgres.hpp"

#include <gtest/gtest.h>

namespace janji::db {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

TEST(PgTimestamp, ReadsWhatPostgresPrintsInUtc) {
  const Timestamp base{seconds(1795262400)};  // 2026-11-21 12:00:00 UTC
  EXPECT_EQ(parse_pg_timestamp("2026-11-21 12:00:00+00"), base);
  EXPECT_EQ(parse_pg_timestamp("2026-11-21 12:00:00.5+00"), base + microseconds(500000));
  EXPECT_EQ(parse_pg_timestamp("2026-11-21 12:00:00.000001+00"), base + microseconds(1));
  EXPECT_EQ(parse_pg_timestamp("2026-11-21 19:00:00+07"), base);
  EXPECT_EQ(parse_pg_timestamp("2026-11-21 06:30:00-05:30"), base);
  EXPECT_EQ(parse_pg_timestamp("2026-11-21 12:00:00"), base);  // timestamp without zone
  EXPECT_EQ(parse_pg_timestamp("1970-01-01 00:00:00+00"), Timestamp{});
}

TEST(PgTimestamp, RefusesOtherText) {
  for (const char* bad : {"", "infinity", "2026-11-21", "2026-13-01 00:00:00+00",
                          "2026-02-30 00:00:00+00", "2026-11-21 08:40:00 UTC", "20261121 084000"})
    EXPECT_FALSE(parse_pg_timestamp(bad)) << bad;
}

TEST(PgTimestamp, FormatsWithMicrosecondsAndRoundTrips) {
  const Timestamp t{seconds(1795262400) + microseconds(123456)};
  EXPECT_EQ(format_pg_timestamp(t), "2026-11-21 12:00:00.123456+00");
  EXPECT_EQ(parse_pg_timestamp(format_pg_timestamp(t)), t);
  const Timestamp before_epoch{seconds(-86400) + microseconds(1)};
  EXPECT_EQ(format_pg_timestamp(before_epoch), "1969-12-31 00:00:00.000001+00");
  EXPECT_EQ(parse_pg_timestamp(format_pg_timestamp(before_epoch)), before_epoch);
}

TEST(PgTextArray, QuotesEachItemAndEscapesQuotesAndBackslashes) {
  const std::vector<std::string> none;
  EXPECT_EQ(pg_text_array(none), "{}");
  const std::vector<std::string> items{
      "course-registration-key:1", "a,b c", R"(say "hi")", R"(back\slash)", "{NULL}", ""};
  EXPECT_EQ(pg_text_array(items),
            R"({"course-registration-key:1","a,b c","say \"hi\"","back\\slash","{NULL}",""})");
}

TEST(InsertOfRows, NumbersEachRowsParametersOnFromTheRowBefore) {
  EXPECT_EQ(insert_of_rows("INSERT INTO t (a, b) VALUES ($1, $2)", 2, 1),
            "INSERT INTO t (a, b) VALUES ($1, $2)");
  EXPECT_EQ(insert_of_rows("INSERT INTO t (a, b) VALUES ($1, $2)", 2, 3),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)");
  // A parameter used twice, expressions and words in the row are kept as they are.
  EXPECT_EQ(insert_of_rows("INSERT INTO t (a, b, c, d) VALUES ($1, TRUE, lower($2), $2)", 2, 2),
            "INSERT INTO t (a, b, c, d) VALUES ($1, TRUE, lower($2), $2), "
            "($3, TRUE, lower($4), $4)");
  EXPECT_EQ(insert_of_rows("INSERT INTO t (a) VALUES ($9)", 10, 2),
            "INSERT INTO t (a) VALUES ($9), ($19)");
}

TEST(InsertOfRows, RefusesWhatIsNotOneRowAlone) {
  EXPECT_FALSE(insert_of_rows("INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO NOTHING", 1, 2));
  EXPECT_FALSE(insert_of_rows("INSERT INTO t (a) VALUES ($1) RETURNING id", 1, 2));
  EXPECT_FALSE(insert_of_rows("INSERT INTO t (a) SELECT $1", 1, 2));
  EXPECT_FALSE(insert_of_rows("UPDATE t SET a = $1", 1, 2));
  EXPECT_FALSE(insert_of_rows("INSERT INTO t (a) VALUES ('$1')", 1, 2));  // a literal
  EXPECT_FALSE(insert_of_rows("INSERT INTO t (a) VALUES ($2)", 1, 2));    // more than it has
  EXPECT_FALSE(insert_of_rows("INSERT INTO t (a) VALUES ($1), ($2)", 2, 2));
  EXPECT_FALSE(insert_of_rows("INSERT INTO t (a) VALUES ($1)", 1, 0));
}

}  // namespace
}  // namespace janji::db
