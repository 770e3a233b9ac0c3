#include "infra/io_pool.hpp"

#include <pthread.h>

#include <algorithm>
#include <string>
#include <thread>

namespace janji {

IoPool::IoPool(std::size_t threads) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) {
    // Concurrency hint 1: each context is only ever run by its own thread.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.push_back(boost::asio::make_work_guard(*contexts_.back()));
  }
}

boost::asio::io_context& IoPool::next() {
  return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoPool::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i)
    threads.emplace_back([&io = *contexts_[i], i] {
      pthread_setname_np(pthread_self(), ("janji-io-" + std::to_string(i)).c_str());
      io.run();
    });
  pthread_setname_np(pthread_self(), "janji-io-0");
  contexts_.front()->run();
  for (auto& t : threads) t.join();
}

void IoPool::stop() {
  for (auto& io : contexts_) io->stop();
}

}  // namespace janji
