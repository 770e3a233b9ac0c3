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
    Write write;
    std::function<void(std::exception_ptr)> done;
    std::exception_ptr error;
  };
  using Batch = std::vector<std::unique_ptr<Job>>;

  WriteQueue(const char* thread_name, std::size_t max_batch, std::function<void(const Batch&)> run);
  /// Runs what is still queued, then stops the thread.
  ~WriteQueue();

  void push(Write write, std::function<void(std::exception_ptr)> done);

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

/// Where the staged writes that can ask together, from `from` on, end: the writes up to there
/// are all staged and no two name the same key. `from` itself when that write is plain.
std::size_t staged_run_end(const WriteQueue::Batch& batch, std::size_t from);

/// Group commit. Runs a batch in one transaction, each job inside a savepoint of its own
/// (unless it is alone), and commits once. Every job still sees the ones before it (they
/// run one after the other) and a failing job undoes only itself, but a commit's fixed
/// cost (locks, the log flush, the pages an insert touches) is paid once per batch instead
/// of once per request. `Conn` has begin, commit, rollback, savepoint, release_savepoint,
/// rollback_to_savepoint, in_transaction, and connection() for the jobs.
///
/// With `ask_together` (a database a round trip away), a run of staged writes
/// (staged_run_end) asks together and finishes one after the other, in one savepoint for the
/// run: a batch of them costs a few round trips instead of a few per write. A write that
/// refuses (throws before it wrote) fails alone; when anything fails in the database, the
/// run is undone and its writes run again one by one, each in its own savepoint, so that
/// failure is its write's own.
template <class Conn>
void run_in_one_transaction(Conn& conn, const WriteQueue::Batch& batch, bool ask_together = false) {
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
  auto ensure_open = [&] {
    if (open) return;
    conn.begin();
    open = true;
  };
  auto run_one = [&](WriteQueue::Job& job) {
    try {
      ensure_open();
      if (!alone) conn.savepoint();
      if (job.write.ask) job.write.ask(conn.connection());
      job.write.finish(conn.connection());
      if (!alone) conn.release_savepoint();
      applied.push_back(&job);
    } catch (...) {
      job.error = std::current_exception();
      open = open && undo_failed(alone);
      // A rolled-back transaction took the jobs before this one with it.
      if (!open) fail_applied(job.error);
    }
  };
  // The writes [from, to) asked together; false when they were undone (or never began) and
  // are still to run.
  auto run_together = [&](std::size_t from, std::size_t to) {
    try {
      ensure_open();
    } catch (...) {
      return false;
    }
    const bool whole = from == 0 && to == batch.size();  // nothing else to keep
    try {
      if (!whole) conn.savepoint();
      auto& c = conn.connection();
      // Nothing is written while they ask: equal reads among them are asked once.
      c.share_reads(true);
      for (auto i = from; i < to; ++i) batch[i]->write.ask(c);
      c.share_reads(false);
      // Their rows go as one multi-row INSERT per statement: a write's rows depend only on
      // its own, inserted before them.
      c.gather_inserts(true);
      for (auto i = from; i < to; ++i) {
        const auto before = c.asked();
        try {
          batch[i]->write.finish(c);
        } catch (const Error&) {
          throw;  // the database's: whose it is, only running them one by one tells
        } catch (...) {
          if (c.asked() != before) throw;  // it wrote, or asked for more, before it refused
          batch[i]->error = std::current_exception();
        }
      }
      c.gather_inserts(false);
      c.send_soon();
      if (!whole) conn.release_savepoint();
    } catch (...) {
      conn.connection().share_reads(false);
      conn.connection().gather_inserts(false);  // what it held goes with the undone run
      for (auto i = from; i < to; ++i) batch[i]->error = nullptr;
      open = undo_failed(whole);
      if (!open) fail_applied(std::current_exception());
      return false;
    }
    for (auto i = from; i < to; ++i)
      if (!batch[i]->error) applied.push_back(batch[i].get());
    return true;
  };
  for (std::size_t i = 0; i < batch.size();) {
    const auto end = ask_together ? staged_run_end(batch, i) : i;
    if (end > i + 1) {
      if (!run_together(i, end))
        for (auto k = i; k < end; ++k) run_one(*batch[k]);
      i = end;
    } else {
      run_one(*batch[i++]);
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
