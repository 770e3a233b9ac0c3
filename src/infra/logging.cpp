#include "infra/logging.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace janji {

namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v";
constexpr auto kFlushInterval = std::chrono::milliseconds(200);
constexpr std::size_t kBatchBytes = 64 * 1024;  // wake the writer early beyond this
constexpr std::size_t kMaxBuffered = 8u << 20;  // drop lines beyond this (stderr stuck)

// Lines are formatted by the thread that logs and appended to a buffer in memory; a thread
// of its own writes the buffer to stderr, one write(2) per batch. Logging an ordinary line
// thus costs a request no system call and no wake-up of another thread, and a stuck stderr
// costs it nothing but the lines that no longer fit.
class BatchedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  BatchedStderrSink() : writer_([this] { write_loop(); }) {}
  ~BatchedStderrSink() override { stop(); }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (stopping_) return;
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    if (batch_.size() + line.size() > kMaxBuffered) {
      ++dropped_;
      return;
    }
    batch_.append(line.data(), line.size());
    if (batch_.size() >= kBatchBytes) wake_.notify_one();
  }
  // Called after warnings and worse: they (and what came before them) are written at once,
  // by the thread that logged them, so a problem is on record before anything else happens.
  // They are rare; the cost of a write(2) there is not.
  void flush_() override {
    write_all(batch_);
    batch_.clear();
  }

 private:
  void write_loop() {
    pthread_setname_np(pthread_self(), "janji-log");
    std::string out;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait_for(lock, kFlushInterval);
      out.swap(batch_);
      const auto dropped = std::exchange(dropped_, 0);
      const bool last = stopping_;
      lock.unlock();
      if (dropped > 0)
        out += "janji: " + std::to_string(dropped) + " log line(s) dropped: stderr too slow\n";
      write_all(out);
      out.clear();
      if (last) return;
      lock.lock();
    }
  }

  static void write_all(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      const auto n = ::write(STDERR_FILENO, s.data() + done, s.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // nowhere to log to: drop the batch rather than spin
      done += static_cast<std::size_t>(n);
    }
  }

  std::string batch_;
  std::size_t dropped_ = 0;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread writer_;
};

std::shared_ptr<BatchedStderrSink> batched_sink;

spdlog::level::level_enum parse_level(const std::string& level) {
  const auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    throw std::invalid_argument(
        "LOG_LEVEL must be one of trace, debug, info, warn, error, critical, off");
  return lvl;
}

}  // namespace

void setup_logging(const std::string& level) {
  const auto lvl = parse_level(level);
  auto logger = spdlog::stderr_color_mt("janji");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern(kPattern, spdlog::pattern_time_type::utc);
  spdlog::set_level(lvl);
}

void log_in_batches() {
  const auto lvl = spdlog::default_logger()->level();
  batched_sink = std::make_shared<BatchedStderrSink>();
  auto logger = std::make_shared<spdlog::logger>("janji-batched", batched_sink);
  logger->set_pattern(kPattern, spdlog::pattern_time_type::utc);
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

void stop_logging() {
  if (batched_sink) batched_sink->stop();
}

}  // namespace janji
