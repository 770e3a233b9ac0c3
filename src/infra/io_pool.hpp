#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace janji {

/// The IO threads: one io_context per thread. Connections are dealt out round robin and
/// each stays on its context, so the threads never contend for one scheduler's lock (with
/// a shared io_context they did, on every operation). The first context also runs the
/// acceptor, timers and background jobs.
class IoPool {
 public:
  explicit IoPool(std::size_t threads);

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& main() { return *contexts_.front(); }
  /// The context for the next connection.
  boost::asio::io_context& next();

  /// Runs every context, the main one on the calling thread; returns once `stop()` ran and
  /// every thread has left its context.
  void run();
  /// Stops every context; callable from any thread, also from inside one.
  void stop();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;  // keep idle contexts running until stop()
  std::atomic<std::size_t> next_{0};
};

}  // namespace janji
