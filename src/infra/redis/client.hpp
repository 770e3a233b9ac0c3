#pragma once

#include "infra/redis/url.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

struct redisContext;

namespace janji::redis {

/// Connecting and every command give up after this, so a dead Redis stalls nothing for long.
inline constexpr std::chrono::milliseconds kTimeout{1000};
/// After a failure, calls fail at once for this long instead of each trying to connect.
inline constexpr std::chrono::milliseconds kRetryInterval{1000};
/// Commands sent in one write at most (Client::call); more wait for the next one.
inline constexpr std::size_t kMaxPipeline = 256;

/// A failed command. `connection_lost()`: the connection is unusable (I/O error, timeout,
/// server gone); otherwise Redis answered with an error reply and the connection is fine.
class Error : public std::runtime_error {
 public:
  Error(const std::string& what, bool connection_lost)
      : std::runtime_error(what), connection_lost_(connection_lost) {}
  bool connection_lost() const { return connection_lost_; }

 private:
  bool connection_lost_;
};

/// A reply, copied out of hiredis' tree. Error replies never get here (they throw Error).
struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kArray };
  Type type = Type::kNil;
  long long integer = 0;
  std::string str;  // kString, kStatus
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::kNil; }
};

/// Copies a hiredis reply (a `redisReply*`); throws Error for an error reply.
Reply copy_reply(const void* reply);

/// One command's outcome in a pipeline: its reply, or the error Redis answered it with.
struct Answer {
  Reply reply;
  std::optional<Error> error;
};

/// One blocking hiredis connection, logged in and on the URL's database. Not thread-safe.
class Connection {
 public:
  /// Connects (within kTimeout), sends AUTH and SELECT; throws Error.
  static Connection open(const Url& url);

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  /// Sends one command and waits for its reply (at most kTimeout); throws Error.
  Reply command(const std::vector<std::string>& args);
  Reply command(std::initializer_list<std::string_view> args);
  /// Sends all `commands` in one write, then reads their replies in order (an error reply
  /// is that command's Answer::error); throws Error when the connection fails.
  std::vector<Answer> pipeline(const std::vector<std::vector<std::string>>& commands);

  // For the subscriber, which reads pushed messages itself.
  int fd() const;
  /// Queues a command without waiting for its reply.
  void append(std::initializer_list<std::string_view> args);
  /// Writes the queued commands out; throws Error.
  void flush();
  /// Reads what the socket holds (call when it is readable); throws Error at end of stream.
  void read_input();
  /// A complete reply already read, if any.
  std::optional<Reply> next_buffered_reply();

 private:
  explicit Connection(redisContext* c) : c_(c) {}
  Error io_error(const char* what) const;
  // Queues the command of the arguments in [first, last) (strings or string_views).
  template <class It>
  void append(It first, It last);

  redisContext* c_ = nullptr;
};

/// Commands to one Redis server from request handlers, pipelined: a thread of its own
/// sends every command queued meanwhile (up to kMaxPipeline) in one write on one blocking
/// hiredis connection and hands each caller its reply, so IO threads never wait for Redis
/// and a burst of requests costs Redis one read and one write instead of one each. It
/// remembers whether Redis answers: while it does not, calls fail fast (for kRetryInterval
/// after each failed attempt), and the outage is logged once when it starts and once when
/// it ends.
class Client {
 public:
  explicit Client(Url url);
  ~Client();

  const Url& url() const { return url_; }
  /// True unless the last attempt to reach Redis failed.
  bool healthy() const { return healthy_.load(); }

  /// Sends the command `args`; resumes the caller on its own executor with the reply.
  /// Throws Error when Redis is unreachable or answered with an error.
  boost::asio::awaitable<Reply> call(std::vector<std::string> args);

  /// PING: whether Redis answers now.
  boost::asio::awaitable<bool> ping();

  /// The same, blocking the calling thread (for threads that are allowed to block).
  template <class F>
  std::invoke_result_t<F, Connection&> with_connection(F& fn) {
    for (int attempt = 0;; ++attempt) {
      auto [conn, reused] = acquire();
      try {
        if constexpr (std::is_void_v<std::invoke_result_t<F, Connection&>>) {
          fn(conn);
          release(std::move(conn));
          return;
        } else {
          auto out = fn(conn);
          release(std::move(conn));
          return out;
        }
      } catch (const Error& e) {
        if (!e.connection_lost()) {
          release(std::move(conn));
          throw;
        }
        // A kept connection may have died while idle (e.g. Redis restarted): try once more
        // on a fresh one before calling it an outage.
        if (!reused || attempt > 0) {
          failed(e.what());
          throw;
        }
      }
    }
  }

  /// A connection of its own (e.g. for SUBSCRIBE); throws Error. Updates the health state.
  Connection connect();

  /// Sends what is queued, then stops the sending thread.
  void stop();

 private:
  struct Call {
    std::vector<std::string> args;
    std::function<void(std::exception_ptr, Reply)> done;  // called on the sending thread
  };
  // Queues `args`; completes once the reply is in `out`.
  boost::asio::awaitable<void> queued(std::vector<std::string> args, std::shared_ptr<Reply> out);
  void send_loop();

  /// An idle connection (reused = true) or a new one; throws Error while Redis is down.
  std::pair<Connection, bool> acquire();
  void release(Connection conn);
  void failed(const std::string& why);
  void succeeded();

  Url url_;
  std::mutex mutex_;
  std::vector<Connection> idle_;
  std::chrono::steady_clock::time_point retry_at_{};
  std::atomic<bool> healthy_{true};
  bool outage_logged_ = false;  // under mutex_

  std::mutex calls_mutex_;
  std::condition_variable calls_cv_;
  std::deque<Call> calls_;  // under calls_mutex_
  bool stopping_ = false;   // under calls_mutex_
  std::thread sender_;
};

}  // namespace janji::redis
