#include "infra/db/write_queue.hpp"

#include <pthread.h>

#include <algorithm>

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

void WriteQueue::push(std::function<void(Connection&)> fn,
                      std::function<void(std::exception_ptr)> done) {
  auto job = std::make_unique<Job>(Job{std::move(fn), std::move(done), nullptr});
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  queued_.notify_one();
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
