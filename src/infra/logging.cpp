#include "infra/logging.hpp"

#include "core/json_text.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <ctime>
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

// Lines as JSON objects. Request lines come from a logger of their own (kRequestLogger),
// whose messages are already the object's members.
constexpr const char* kRequestLogger = "janji-request";

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
    const std::time_t t = secs.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char time[32];
    const auto n = std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S", &tm);
    const std::string stamp = fmt::format("{}.{:03}Z", std::string_view(time, n), millis);
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const bool fields = msg.logger_name == kRequestLogger;
    const auto level = spdlog::level::to_string_view(msg.level);
    auto line = json_log_line(stamp, std::string_view(level.data(), level.size()),
                              fields ? std::string_view() : text, fields ? text : "");
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

LogFormat log_format = LogFormat::kText;
std::shared_ptr<spdlog::logger> request_logger;
std::shared_ptr<BatchedStderrSink> batched_sink;

// Makes `logger` the default and a request logger on the same sinks, both in the format.
void install(std::shared_ptr<spdlog::logger> logger, spdlog::level::level_enum level) {
  request_logger = std::make_shared<spdlog::logger>(kRequestLogger, logger->sinks().begin(),
                                                    logger->sinks().end());
  for (auto* l : {logger.get(), request_logger.get()}) {
    l->set_level(level);
    l->flush_on(spdlog::level::warn);
  }
  // Formatters belong to the sinks the two loggers share: set once.
  if (log_format == LogFormat::kJson)
    logger->set_formatter(std::make_unique<JsonFormatter>());
  else
    logger->set_formatter(
        std::make_unique<spdlog::pattern_formatter>(kPattern, spdlog::pattern_time_type::utc));
  spdlog::set_default_logger(std::move(logger));
}

spdlog::level::level_enum parse_level(const std::string& level) {
  const auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    throw std::invalid_argument(
        "LOG_LEVEL must be one of trace, debug, info, warn, error, critical, off");
  return lvl;
}

}  // namespace

LogFormat parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  throw std::invalid_argument("LOG_FORMAT must be text or json");
}

void setup_logging(const std::string& level, LogFormat format) {
  const auto lvl = parse_level(level);
  log_format = format;
  // Colours only in text: escape codes inside JSON strings help nobody.
  install(format == LogFormat::kJson ? spdlog::stderr_logger_mt("janji")
                                     : spdlog::stderr_color_mt("janji"),
          lvl);
}

void log_in_batches() {
  const auto lvl = spdlog::default_logger()->level();
  batched_sink = std::make_shared<BatchedStderrSink>();
  install(std::make_shared<spdlog::logger>("janji-batched", batched_sink), lvl);
}

std::string json_log_line(std::string_view time, std::string_view level, std::string_view message,
                          std::string_view fields) {
  std::string out;
  out.reserve(64 + message.size() + fields.size());
  JsonText(out).object().field("time", time).field("level", level);  // left open
  if (!fields.empty()) {
    out += ',';
    out += fields;
  } else {
    out += ",\"message\":";
    append_json_string(out, message);
  }
  out += '}';
  return out;
}

std::string request_fields(const RequestLine& line) {
  std::string out = "\"method\":";
  append_json_string(out, line.method);
  out += ",\"path\":";
  append_json_string(out, line.path);
  fmt::format_to(std::back_inserter(out),
                 ",\"status\":{},\"ms\":{:.2f},\"request_id\":", line.status, line.ms);
  append_json_string(out, line.request_id);
  out += ",\"client\":";
  append_json_string(out, line.client);
  if (line.stream) out += ",\"stream\":true";
  return out;
}

void log_request(const RequestLine& line) {
  auto* logger = request_logger.get();
  if (!logger || !logger->should_log(spdlog::level::info)) return;
  if (log_format == LogFormat::kJson) {
    logger->info("{}", request_fields(line));
    return;
  }
  logger->info("{} {} {} {:.2f}ms id={} client={}{}", line.method, line.path, line.status, line.ms,
               line.request_id, line.client, line.stream ? " (stream)" : "");
}

void stop_logging() {
  if (batched_sink) batched_sink->stop();
}

}  // namespace janji
