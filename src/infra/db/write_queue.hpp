#pragma once

#include "infra/db/db.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace janji::db {

/// Writes handed over without blocking and run on a thread of their own, as many at a time
/// as are waiting (at most `max_batch`): the database's `run` is given each batch and sets
/// the error of every job that did not commit; the jobs are told afterwards, on that thread.
class WriteQueue {
 public:
  struct Job {
    std::function<void(Connection&)> fn;
    std::function<void(std::exception_ptr)> done;
    std::exception_ptr error;
  };
  using Batch = std::vector<std::unique_ptr<Job>>;

  WriteQueue(const char* thread_name, std::size_t max_batch, std::function<void(const Batch&)> run);
  /// Runs what is still queued, then stops the thread.
  ~WriteQueue();

  void push(std::function<void(Connection&)> fn, std::function<void(std::exception_ptr)> done);

 private:
  void loop();

  const char* thread_name_;
  std::size_t max_batch_;
  std::function<void(const Batch&)> run_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::unique_ptr<Job>> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above is set up
};

/// Group commit. Runs a batch in one transaction, each job inside a savepoint of its own
/// (unless it is alone), and commits once. Every job still sees the ones before it (they
/// run one after the other) and a failing job undoes only itself, but a commit's fixed
/// cost (locks, the log flush, the pages an insert touches) is paid once per batch instead
/// of once per request. `Conn` has begin, commit, rollback, savepoint, release_savepoint,
/// rollback_to_savepoint, in_transaction, and connection() for the jobs.
template <class Conn>
void run_in_one_transaction(Conn& conn, const WriteQueue::Batch& batch) {
  const bool alone = batch.size() == 1;
  // Undoes a job that failed: its savepoint, or the whole transaction when the job ran
  // alone, when undoing the savepoint fails, or when the database ended the transaction
  // itself. Returns whether the transaction is still open.
  auto undo_failed = [&conn](bool whole) {
    if (!conn.in_transaction()) return false;
    if (!whole) {
      try {
        conn.rollback_to_savepoint();
        return true;
      } catch (...) {
        // Fall through to the whole transaction.
      }
    }
    try {
      conn.rollback();
    } catch (...) {
      // Already gone.
    }
    return false;
  };
  std::vector<WriteQueue::Job*> applied;  // done in the open transaction, not yet committed
  auto fail_applied = [&applied](const std::exception_ptr& e) {
    for (auto* j : applied) j->error = e;
    applied.clear();
  };
  bool open = false;
  for (const auto& job : batch) {
    try {
      if (!open) {
        conn.begin();
        open = true;
      }
      if (!alone) conn.savepoint();
      job->fn(conn.connection());
      if (!alone) conn.release_savepoint();
      applied.push_back(job.get());
    } catch (...) {
      job->error = std::current_exception();
      open = open && undo_failed(alone);
      // A rolled-back transaction took the jobs before this one with it.
      if (!open) fail_applied(job->error);
    }
  }
  if (open) {
    try {
      conn.commit();
    } catch (...) {
      fail_applied(std::current_exception());
      undo_failed(/*whole=*/true);
    }
  }
}

}  // namespace janji::db
