#include "infra/db/write_queue.hpp"

#include <pthread.h>

#include <algorithm>
#include <string_view>
#include <unordered_set>

namespace janji::db {

WriteQueue::WriteQueue(const char* thread_name, std::size_t max_batch,
                       std::function<void(const Batch&)> run)
    : thread_name_(thread_name),
      max_batch_(max_batch),
      run_(std::move(run)),
      thread_([this] { loop(); }) {}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();  // after the writes still queued
}

void WriteQueue::push(Write write, std::function<void(std::exception_ptr)> done) {
  auto job = std::make_unique<Job>(Job{std::move(write), std::move(done), nullptr});
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  queued_.notify_one();
}

std::size_t staged_run_end(const WriteQueue::Batch& batch, std::size_t from) {
  std::unordered_set<std::string_view> keys;
  auto end = from;
  for (; end < batch.size() && batch[end]->write.staged(); ++end) {
    const auto& named = batch[end]->write.keys;
    if (std::any_of(named.begin(), named.end(), [&](const auto& k) { return keys.contains(k); }))
      break;
    keys.insert(named.begin(), named.end());
  }
  return end;
}

void WriteQueue::loop() {
  pthread_setname_np(pthread_self(), thread_name_);
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping, and nothing left to write
    Batch batch;
    const auto n = std::min(queue_.size(), max_batch_);
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    run_(batch);
    for (auto& job : batch) job->done(job->error);
    lock.lock();
  }
}

}  // namespace janji::db
