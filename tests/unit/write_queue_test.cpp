// The group commit's rules (infra/db/write_queue.hpp), driven through a connection that
// records what it is asked to do and fails where a test says.

#include "infra/db/write_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace janji::db {
namespace {

class Recorder final : public Connection {
 public:
  std::vector<std::string> log;
  std::string fail_at;  // the step that throws
  bool open = false;

  void step(const std::string& what) {
    if (what == fail_at) throw Error(Error::Kind::kOther, what + " failed");
    log.push_back(what);
  }
  void begin() {
    step("begin");
    open = true;
  }
  void commit() {
    step("commit");
    open = false;
  }
  void rollback() {
    open = false;
    step("rollback");
  }
  void savepoint() { step("savepoint"); }
  void release_savepoint() { step("release"); }
  void rollback_to_savepoint() { step("rollback_to"); }
  bool in_transaction() const { return open; }
  Connection& connection() { return *this; }

  Rows query(std::string_view sql, std::span<const Param>) override {
    step(std::string(sql));
    return {};
  }
  std::string data_version() override { return "recorder"; }
  std::int64_t execute(std::string_view sql, std::span<const Param>) override {
    step(std::string(sql));
    return 1;
  }
  std::optional<std::int64_t> insert_id(std::string_view, std::span<const Param>) override {
    return std::nullopt;
  }
  void execute_script(std::string_view) override {}
  Dialect dialect() const override { return Dialect::kPostgres; }
  std::uint64_t asked() const override { return log.size(); }
};

std::unique_ptr<WriteQueue::Job> plain(const std::string& w) {
  return std::make_unique<WriteQueue::Job>(WriteQueue::Job{
      {{}, {}, [w](Connection& c) { c.execute(w); }}, [](std::exception_ptr) {}, nullptr});
}

WriteQueue::Batch batch_of(const std::vector<std::string>& writes) {
  WriteQueue::Batch batch;
  for (const auto& w : writes) batch.push_back(plain(w));
  return batch;
}

// A staged write named `w` that logs its two steps; `fail` says how its finish fails:
// "refuse" throws before it writes, "database" throws the database's error, "late" refuses
// after it wrote.
std::unique_ptr<WriteQueue::Job> staged(const std::string& w, std::vector<std::string> keys,
                                        const std::string& fail = "") {
  Write write{std::move(keys), [w](Connection& c) { c.execute("ask " + w); },
              [w, fail](Connection& c) {
                if (fail == "refuse") throw std::runtime_error(w + " refused");
                if (fail == "database") throw Error(Error::Kind::kOther, w + " failed");
                c.execute("finish " + w);
                if (fail == "late") throw std::runtime_error(w + " refused late");
              }};
  return std::make_unique<WriteQueue::Job>(
      WriteQueue::Job{std::move(write), [](std::exception_ptr) {}, nullptr});
}

std::vector<bool> failed(const WriteQueue::Batch& batch) {
  std::vector<bool> out;
  for (const auto& j : batch) out.push_back(j->error != nullptr);
  return out;
}

TEST(GroupCommit, RunsEachWriteInItsOwnSavepointAndCommitsOnce) {
  Recorder c;
  const auto batch = batch_of({"a", "b"});
  run_in_one_transaction(c, batch);
  EXPECT_EQ(c.log, (std::vector<std::string>{"begin", "savepoint", "a", "release", "savepoint", "b",
                                             "release", "commit"}));
  EXPECT_EQ(failed(batch), (std::vector<bool>{false, false}));
}

TEST(GroupCommit, AWriteAloneNeedsNoSavepoint) {
  Recorder c;
  const auto batch = batch_of({"a"});
  run_in_one_transaction(c, batch);
  EXPECT_EQ(c.log, (std::vector<std::string>{"begin", "a", "commit"}));
}

TEST(GroupCommit, AFailingWriteUndoesOnlyItself) {
  Recorder c;
  c.fail_at = "b";
  const auto batch = batch_of({"a", "b", "c"});
  run_in_one_transaction(c, batch);
  EXPECT_EQ(c.log,
            (std::vector<std::string>{"begin", "savepoint", "a", "release", "savepoint",
                                      "rollback_to", "savepoint", "c", "release", "commit"}));
  EXPECT_EQ(failed(batch), (std::vector<bool>{false, true, false}));
}

TEST(GroupCommit, AWriteThatCannotBeUndoneAloneTakesTheOnesBeforeIt) {
  Recorder c;
  c.fail_at = "rollback_to";
  auto batch = batch_of({"a", "b", "c"});
  batch[1]->write.finish = [](Connection&) { throw std::runtime_error("b failed"); };
  run_in_one_transaction(c, batch);
  // The transaction is rolled back; "c" starts a new one and commits.
  EXPECT_EQ(c.log,
            (std::vector<std::string>{"begin", "savepoint", "a", "release", "savepoint", "rollback",
                                      "begin", "savepoint", "c", "release", "commit"}));
  EXPECT_EQ(failed(batch), (std::vector<bool>{true, true, false}));
}

TEST(GroupCommit, AFailedCommitFailsEveryWrite) {
  Recorder c;
  c.fail_at = "commit";
  const auto batch = batch_of({"a", "b"});
  run_in_one_transaction(c, batch);
  EXPECT_EQ(failed(batch), (std::vector<bool>{true, true}));
  EXPECT_FALSE(c.open);
}

TEST(GroupCommit, AFailedBeginFailsTheWriteThatNeededIt) {
  Recorder c;
  c.fail_at = "begin";
  const auto batch = batch_of({"a", "b"});
  run_in_one_transaction(c, batch);
  EXPECT_EQ(failed(batch), (std::vector<bool>{true, true}));
  EXPECT_TRUE(c.log.empty());
}

TEST(StagedWrites, AskTogetherThenFinishOneAfterTheOther) {
  Recorder c;
  WriteQueue::Batch batch;
  batch.push_back(staged("a", {"day:1"}));
  batch.push_back(staged("b", {"day:2"}));
  run_in_one_transaction(c, batch, /*ask_together=*/true);
  EXPECT_EQ(c.log, (std::vector<std::string>{"begin", "ask a", "ask b", "finish a", "finish b",
                                             "commit"}));
  EXPECT_EQ(failed(batch), (std::vector<bool>{false, false}));
}

TEST(StagedWrites, EqualReadsOfWritesAskingTogetherAreAskedOnce) {
  const auto reading = [](const std::string& w) {
    Write write{{"day:" + w},
                [](Connection& c) { c.query_soon_shared("read customer", {std::int64_t{7}}); },
                [w](Connection& c) { c.execute("finish " + w); }};
    return std::make_unique<WriteQueue::Job>(
        WriteQueue::Job{std::move(write), [](std::exception_ptr) {}, nullptr});
  };
  for (const bool together : {true, false}) {
    Recorder c;
    WriteQueue::Batch batch;
    batch.push_back(reading("a"));
    batch.push_back(reading("b"));
    run_in_one_transaction(c, batch, together);
    const auto reads = std::count(c.log.begin(), c.log.end(), "read customer");
    EXPECT_EQ(reads, together ? 1 : 2) << together;
    EXPECT_EQ(failed(batch), (std::vector<bool>{false, false}));
    // Sharing ends with the run: a read asked afterwards is asked again.
    c.query_soon_shared("read customer", {std::int64_t{7}});
    EXPECT_EQ(std::count(c.log.begin(), c.log.end(), "read customer"), reads + 1);
  }
}

TEST(StagedWrites, WithoutAskingTogetherRunLikeAnyWrite) {
  Recorder c;
  WriteQueue::Batch batch;
  batch.push_back(staged("a", {}));
  batch.push_back(staged("b", {}));
  run_in_one_transaction(c, batch);
  EXPECT_EQ(c.log,
            (std::vector<std::string>{"begin", "savepoint", "ask a", "finish a", "release",
                                      "savepoint", "ask b", "finish b", "release", "commit"}));
}

TEST(StagedWrites, ASharedKeyOrAPlainWriteEndsARun) {
  WriteQueue::Batch batch;
  batch.push_back(staged("a", {"day:1", "key:x"}));
  batch.push_back(staged("b", {"day:2"}));
  batch.push_back(staged("c", {"key:x"}));
  batch.push_back(staged("d", {}));
  batch.push_back(plain("plain"));
  batch.push_back(staged("e", {}));
  EXPECT_EQ(staged_run_end(batch, 0), 2u);
  EXPECT_EQ(staged_run_end(batch, 2), 4u);
  EXPECT_EQ(staged_run_end(batch, 4), 4u);  // plain
  EXPECT_EQ(staged_run_end(batch, 5), 6u);

  Recorder c;
  run_in_one_transaction(c, batch, /*ask_together=*/true);
  EXPECT_EQ(c.log, (std::vector<std::string>{
                       "begin",    "savepoint", "ask a", "ask b",   "finish a",  "finish b",
                       "release",  "savepoint", "ask c", "ask d",   "finish c",  "finish d",
                       "release",  "savepoint", "plain", "release", "savepoint", "ask e",
                       "finish e", "release",   "commit"}));
}

TEST(StagedWrites, ARefusalBeforeWritingFailsOnlyItsWrite) {
  Recorder c;
  WriteQueue::Batch batch;
  batch.push_back(staged("a", {}));
  batch.push_back(staged("b", {}, "refuse"));
  batch.push_back(staged("c", {}));
  run_in_one_transaction(c, batch, /*ask_together=*/true);
  EXPECT_EQ(c.log, (std::vector<std::string>{"begin", "ask a", "ask b", "ask c", "finish a",
                                             "finish c", "commit"}));
  EXPECT_EQ(failed(batch), (std::vector<bool>{false, true, false}));
}

TEST(StagedWrites, AFailureInTheDatabaseRunsTheWritesOneByOne) {
  for (const std::string how : {"database", "late"}) {
    Recorder c;
    WriteQueue::Batch batch;
    batch.push_back(staged("a", {}));
    batch.push_back(staged("b", {}, how));
    batch.push_back(staged("c", {}));
    run_in_one_transaction(c, batch, /*ask_together=*/true);
    // The run was the whole transaction: it is rolled back and run again, each write alone.
    std::vector<std::string> expected{"begin", "ask a", "ask b", "ask c", "finish a"};
    if (how == "late") expected.push_back("finish b");
    for (const auto& step :
         {"rollback", "begin", "savepoint", "ask a", "finish a", "release", "savepoint", "ask b"})
      expected.emplace_back(step);
    if (how == "late") expected.push_back("finish b");
    for (const auto& step : {"rollback_to", "savepoint", "ask c", "finish c", "release", "commit"})
      expected.emplace_back(step);
    EXPECT_EQ(c.log, expected) << how;
    EXPECT_EQ(failed(batch), (std::vector<bool>{false, true, false})) << how;
  }
}

TEST(StagedWrites, AFailedRunAfterOtherWritesUndoesOnlyItself) {
  Recorder c;
  WriteQueue::Batch batch;
  batch.push_back(plain("plain"));
  batch.push_back(staged("a", {}, "database"));
  batch.push_back(staged("b", {}));
  run_in_one_transaction(c, batch, /*ask_together=*/true);
  EXPECT_EQ(c.log, (std::vector<std::string>{"begin", "savepoint", "plain", "release", "savepoint",
                                             "ask a", "ask b", "rollback_to", "savepoint", "ask a",
                                             "rollback_to", "savepoint", "ask b", "finish b",
                                             "release", "commit"}));
  EXPECT_EQ(failed(batch), (std::vector<bool>{false, true, false}));
}

TEST(WriteQueue, TellsEveryWriteAfterItsBatchRan) {
  std::vector<std::size_t> sizes;
  int done = 0;
  {
    WriteQueue queue("test-writer", 2, [&sizes](const WriteQueue::Batch& b) {
      sizes.push_back(b.size());
      for (const auto& j : b) {
        Recorder c;
        j->write.finish(c);
      }
    });
    for (int i = 0; i < 5; ++i)
      queue.push({{}, {}, [](Connection& c) { c.execute("w"); }}, [&done](std::exception_ptr e) {
        EXPECT_EQ(e, nullptr);
        ++done;
      });
  }  // the destructor runs what is still queued
  EXPECT_EQ(done, 5);
  std::size_t total = 0;
  for (auto n : sizes) {
    EXPECT_LE(n, 2u);
    total += n;
  }
  EXPECT_EQ(total, 5u);
}

}  // namespace
}  // namespace janji::db
