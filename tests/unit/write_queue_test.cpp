// The group commit's rules (infra/db/write_queue.hpp), driven through a connection that
// records what it is asked to do and fails where a test says.

#include "infra/db/write_queue.hpp"

#include <gtest/gtest.h>

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

  Rows query(std::string_view, std::span<const Param>) override { return {}; }
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
};

WriteQueue::Batch batch_of(const std::vector<std::string>& writes) {
  WriteQueue::Batch batch;
  for (const auto& w : writes)
    batch.push_back(std::make_unique<WriteQueue::Job>(
        WriteQueue::Job{[w](Connection& c) { c.execute(w); }, [](std::exception_ptr) {}, nullptr}));
  return batch;
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
  batch[1]->fn = [](Connection&) { throw std::runtime_error("b failed"); };
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

TEST(WriteQueue, TellsEveryWriteAfterItsBatchRan) {
  std::vector<std::size_t> sizes;
  int done = 0;
  {
    WriteQueue queue("test-writer", 2, [&sizes](const WriteQueue::Batch& b) {
      sizes.push_back(b.size());
      for (const auto& j : b) {
        Recorder c;
        j->fn(c);
      }
    });
    for (int i = 0; i < 5; ++i)
      queue.push([](Connection& c) { c.execute("w"); },
                 [&done](std::exception_ptr e) {
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
