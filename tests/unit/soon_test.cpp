// Statements asked for soon (infra/db/db.hpp), driven through a connection that keeps them
// until it is made to answer, as PostgreSQL's pipeline does, and counts its round trips.

#include "infra/db/db.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace janji::db {
namespace {

class Pipeline final : public Connection {
 public:
  int round_trips = 0;
  std::vector<std::string> sent;
  std::string fail;  // a statement whose answer is an error

  SoonRows query_soon(std::string_view sql, std::span<const Param>) override {
    auto slot = std::make_shared<std::optional<Rows>>();
    waiting_.push_back({std::string(sql), slot});
    return SoonRows(*this, slot);
  }
  void execute_soon(std::string_view sql, std::span<const Param>) override {
    waiting_.push_back({std::string(sql), nullptr});
  }
  void send_soon() override {
    if (waiting_.empty()) return;
    ++round_trips;
    auto statements = std::move(waiting_);
    waiting_.clear();
    for (const auto& [sql, slot] : statements) {
      if (sql == fail) throw Error(Error::Kind::kOther, sql + " failed");  // the rest aborted
      sent.push_back(sql);
      if (slot) *slot = Rows{Row({Cell{sql}})};
    }
  }

  Rows query(std::string_view sql, std::span<const Param> params) override {
    auto rows = query_soon(sql, params);
    return rows.get();
  }
  std::string data_version() override { return "pipeline"; }
  std::int64_t execute(std::string_view sql, std::span<const Param> params) override {
    execute_soon(sql, params);
    send_soon();
    return 1;
  }
  std::optional<std::int64_t> insert_id(std::string_view, std::span<const Param>) override {
    return std::nullopt;
  }
  void execute_script(std::string_view) override {}
  Dialect dialect() const override { return Dialect::kPostgres; }

 private:
  std::vector<std::pair<std::string, std::shared_ptr<std::optional<Rows>>>> waiting_;
};

TEST(Soon, StatementsAskedForTogetherTakeOneRoundTrip) {
  Pipeline c;
  c.execute_soon("lock", {});
  auto a = c.query_soon("a", {});
  auto b = c.query_soon("b", {});
  EXPECT_EQ(c.round_trips, 0);
  EXPECT_EQ(b.get().front().text(0), "b");
  EXPECT_EQ(a.get().front().text(0), "a");
  EXPECT_EQ(c.round_trips, 1);
  EXPECT_EQ(c.sent, (std::vector<std::string>{"lock", "a", "b"}));  // in the order asked
}

TEST(Soon, AStatementThatWaitsForItsAnswerCarriesWhatWasAskedBefore) {
  Pipeline c;
  c.execute_soon("insert token", {});
  c.execute("insert booking", {});
  EXPECT_EQ(c.round_trips, 1);
  EXPECT_EQ(c.sent, (std::vector<std::string>{"insert token", "insert booking"}));
}

TEST(Soon, AValueIsReadFromItsRowsOnceAndOnlyWhenWanted) {
  Pipeline c;
  int reads = 0;
  Soon<std::string> v(c.query_soon("v", {}), [&reads](const Rows& rows) {
    ++reads;
    return rows.front().text(0) + "!";
  });
  EXPECT_EQ(reads, 0);
  EXPECT_EQ(v.get(), "v!");
  EXPECT_EQ(v.get(), "v!");
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(c.round_trips, 1);
}

TEST(Soon, AValueKnownAtOnceNeedsNoRoundTrip) {
  Pipeline c;
  Soon<std::optional<std::int64_t>> id(std::optional<std::int64_t>(7));
  EXPECT_EQ(id.get(), 7);
  EXPECT_EQ(c.round_trips, 0);
}

TEST(Soon, AnErrorIsThrownByWhatWaitsAndLeavesLaterAnswersUnread) {
  Pipeline c;
  c.fail = "bad";
  auto before = c.query_soon("before", {});
  c.execute_soon("bad", {});
  auto after = c.query_soon("after", {});
  EXPECT_THROW(after.get(), Error);
  EXPECT_EQ(before.get().front().text(0), "before");
  // Its round trip is over: asking again cannot answer it.
  EXPECT_THROW(after.get(), Error);
}

TEST(Soon, EqualReadsAskedWhileSharingAreAskedOnce) {
  Pipeline c;
  c.share_reads(true);
  auto first = c.query_soon_shared("user", {std::int64_t{1}});
  auto again = c.query_soon_shared("user", {std::int64_t{1}});
  auto other = c.query_soon_shared("user", {std::int64_t{2}});
  auto as_text = c.query_soon_shared("user", {std::string("1")});  // another parameter
  EXPECT_EQ(again.get().front().text(0), "user");
  EXPECT_EQ(first.get().front().text(0), "user");
  EXPECT_EQ(c.sent, (std::vector<std::string>{"user", "user", "user"}));
  c.share_reads(false);
  auto after = c.query_soon_shared("user", {std::int64_t{1}});
  after.get();
  EXPECT_EQ(c.sent.size(), 4u);  // no longer shared
  EXPECT_EQ(c.round_trips, 2);
}

TEST(Soon, ReadsAreNotSharedUnlessAsked) {
  Pipeline c;
  c.query_soon_shared("user", {std::int64_t{1}});
  c.query_soon_shared("user", {std::int64_t{1}}).get();
  EXPECT_EQ(c.sent, (std::vector<std::string>{"user", "user"}));
}

TEST(Soon, AConnectionThatAnswersAtOnceAnswersSoonToo) {
  // The default (SQLite's): the statement runs when asked for.
  class AtOnce final : public Connection {
   public:
    int queries = 0;
    Rows query(std::string_view, std::span<const Param>) override {
      ++queries;
      return Rows{Row({Cell{std::int64_t{1}}})};
    }
    std::string data_version() override { return "at once"; }
    std::int64_t execute(std::string_view, std::span<const Param>) override { return 1; }
    std::optional<std::int64_t> insert_id(std::string_view, std::span<const Param>) override {
      return 42;
    }
    void execute_script(std::string_view) override {}
    Dialect dialect() const override { return Dialect::kSqlite; }
  } c;
  auto rows = c.query_soon("SELECT 1", {});
  EXPECT_EQ(c.queries, 1);
  EXPECT_EQ(rows.get().front().int64(0), 1);
  EXPECT_EQ(c.insert_id_soon("INSERT", {}).get(), 42);
}

}  // namespace
}  // namespace janji::db
