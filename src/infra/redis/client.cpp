#include "infra/redis/client.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <pthread.h>
#include <sys/time.h>

namespace janji::redis {

namespace {

timeval to_timeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(void* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<void, ReplyDeleter>;

Reply copy_tree(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_ERROR:
      throw Error("Redis error: " + std::string(r->str, r->len), false);
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i)
        out.elements.push_back(copy_tree(r->element[i]));
      break;
    default:
      out.type = Reply::Type::kNil;
      break;
  }
  return out;
}

}  // namespace

Reply copy_reply(const void* reply) {
  return copy_tree(static_cast<const redisReply*>(reply));
}

// -- Connection -------------------------------------------------------------------------------

Connection Connection::open(const Url& url) {
  const auto tv = to_timeval(kTimeout);
  redisContext* c = redisConnectWithTimeout(url.host.c_str(), url.port, tv);
  if (!c) throw Error("cannot allocate a Redis connection", true);
  Connection conn(c);
  if (c->err) throw conn.io_error("connect");
  if (redisSetTimeout(c, tv) != REDIS_OK) throw conn.io_error("set timeout");
  redisEnableKeepAlive(c);
  try {
    if (!url.password.empty()) {
      if (url.username.empty())
        conn.command({"AUTH", url.password});
      else
        conn.command({"AUTH", url.username, url.password});
    }
    if (url.db != 0) conn.command({"SELECT", std::to_string(url.db)});
    // Only a Redis answer proves it is Redis: a proxy or another server on the port
    // accepts the connection too.
    conn.command({"PING"});
  } catch (const Error& e) {
    // A refused login or database is as fatal to this connection as a dead socket.
    throw Error(e.what(), true);
  }
  return conn;
}

Connection::Connection(Connection&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (c_) redisFree(c_);
    c_ = std::exchange(o.c_, nullptr);
  }
  return *this;
}

Connection::~Connection() {
  if (c_) redisFree(c_);
}

Error Connection::io_error(const char* what) const {
  std::string why = c_ && c_->err ? std::string(c_->errstr) : std::string("connection closed");
  if (why.empty()) why = "error " + std::to_string(c_->err);
  return Error(std::string("Redis ") + what + ": " + why, true);
}

Reply Connection::command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  ReplyPtr reply(redisCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (!reply) throw io_error("command");
  return copy_reply(reply.get());
}

Reply Connection::command(std::initializer_list<std::string_view> args) {
  return command(std::vector<std::string>(args.begin(), args.end()));
}

std::vector<Answer> Connection::pipeline(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& args : commands) append(args.begin(), args.end());
  std::vector<Answer> answers(commands.size());
  for (auto& a : answers) {
    void* raw = nullptr;  // the first read writes all the commands out
    if (redisGetReply(c_, &raw) != REDIS_OK || !raw) throw io_error("pipeline");
    ReplyPtr reply(raw);
    try {
      a.reply = copy_reply(reply.get());
    } catch (const Error& e) {
      a.error = e;
    }
  }
  return answers;
}

int Connection::fd() const {
  return c_->fd;
}

void Connection::append(std::initializer_list<std::string_view> args) {
  append(args.begin(), args.end());
}

template <class It>
void Connection::append(It first, It last) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (; first != last; ++first) {
    argv.push_back(first->data());
    lens.push_back(first->size());
  }
  if (redisAppendCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data()) !=
      REDIS_OK)
    throw io_error("append");
}

void Connection::flush() {
  int done = 0;
  while (!done)
    if (redisBufferWrite(c_, &done) != REDIS_OK) throw io_error("write");
}

void Connection::read_input() {
  if (redisBufferRead(c_) != REDIS_OK) throw io_error("read");
}

std::optional<Reply> Connection::next_buffered_reply() {
  void* raw = nullptr;
  if (redisGetReplyFromReader(c_, &raw) != REDIS_OK) throw io_error("protocol");
  if (!raw) return std::nullopt;
  ReplyPtr reply(raw);
  return copy_reply(reply.get());
}

// -- Client -----------------------------------------------------------------------------------

Client::Client(Url url) : url_(std::move(url)) {
  sender_ = std::thread([this] { send_loop(); });
}

Client::~Client() {
  stop();
}

void Client::stop() {
  {
    std::lock_guard lock(calls_mutex_);
    stopping_ = true;
  }
  calls_cv_.notify_all();
  if (sender_.joinable()) sender_.join();
}

boost::asio::awaitable<void> Client::queued(std::vector<std::string> args,
                                            std::shared_ptr<Reply> out) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                     void(std::exception_ptr)>(
      [this, args = std::move(args), out](auto handler) mutable {
        using Handler = decltype(handler);
        auto waiting = std::make_shared<Handler>(std::move(handler));
        auto done = [waiting, out](std::exception_ptr e, Reply r) {
          *out = std::move(r);
          auto executor = boost::asio::get_associated_executor(*waiting);
          boost::asio::post(executor, [waiting, e]() mutable { std::move (*waiting)(e); });
        };
        bool stopped = false;
        {
          std::lock_guard lock(calls_mutex_);
          stopped = stopping_;
          if (!stopped) calls_.push_back({std::move(args), std::move(done)});
        }
        if (stopped)
          done(std::make_exception_ptr(Error("the Redis client is stopped", true)), Reply{});
        else
          calls_cv_.notify_one();
      },
      boost::asio::use_awaitable);
}

boost::asio::awaitable<Reply> Client::call(std::vector<std::string> args) {
  auto out = std::make_shared<Reply>();
  co_await queued(std::move(args), out);
  co_return std::move(*out);
}

void Client::send_loop() {
  pthread_setname_np(pthread_self(), "janji-redis");
  for (;;) {
    std::vector<Call> batch;
    {
      std::unique_lock lock(calls_mutex_);
      calls_cv_.wait(lock, [this] { return stopping_ || !calls_.empty(); });
      if (calls_.empty()) return;  // stopping, and everything queued was sent
      const auto n = std::min(calls_.size(), kMaxPipeline);
      batch.assign(std::make_move_iterator(calls_.begin()),
                   std::make_move_iterator(calls_.begin() + static_cast<std::ptrdiff_t>(n)));
      calls_.erase(calls_.begin(), calls_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    std::vector<std::vector<std::string>> commands;
    commands.reserve(batch.size());
    for (auto& c : batch) commands.push_back(std::move(c.args));
    std::vector<Answer> answers;
    std::exception_ptr failed;
    try {
      auto send = [&commands](Connection& c) { return c.pipeline(commands); };
      answers = with_connection(send);
    } catch (...) {
      failed = std::current_exception();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (failed)
        batch[i].done(failed, Reply{});
      else if (answers[i].error)
        batch[i].done(std::make_exception_ptr(*answers[i].error), Reply{});
      else
        batch[i].done(nullptr, std::move(answers[i].reply));
    }
  }
}

std::pair<Connection, bool> Client::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return {std::move(conn), true};
    }
    if (!healthy_ && std::chrono::steady_clock::now() < retry_at_)
      throw Error("Redis at " + url_.display() + " is unavailable", true);
  }
  return {connect(), false};
}

void Client::release(Connection conn) {
  std::lock_guard lock(mutex_);
  // The sender's connection and the event bus' publisher's: more are never in use at once.
  if (idle_.size() < 4) idle_.push_back(std::move(conn));
}

Connection Client::connect() {
  try {
    auto conn = Connection::open(url_);
    succeeded();
    return conn;
  } catch (const Error& e) {
    failed(e.what());
    throw;
  }
}

void Client::failed(const std::string& why) {
  std::vector<Connection> dropped;  // closed outside the lock
  std::lock_guard lock(mutex_);
  dropped.swap(idle_);
  healthy_ = false;
  retry_at_ = std::chrono::steady_clock::now() + kRetryInterval;
  if (!outage_logged_) {
    outage_logged_ = true;
    spdlog::warn(
        "Redis at {} is unavailable ({}): idempotency keys are checked by the database only "
        "and login failures are counted in this process until it is back",
        url_.display(), why);
  }
}

void Client::succeeded() {
  std::lock_guard lock(mutex_);
  healthy_ = true;
  if (outage_logged_) {
    outage_logged_ = false;
    spdlog::info("Redis at {} is reachable again", url_.display());
  }
}

boost::asio::awaitable<bool> Client::ping() {
  try {
    std::vector<std::string> ping{"PING"};
    co_await call(std::move(ping));
    co_return true;
  } catch (const Error&) {
    co_return false;
  }
}

}  // namespace janji::redis
