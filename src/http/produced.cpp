#include "http/produced.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <future>
#include <memory>

namespace janji::http {

namespace {

namespace asio = boost::asio;
using boost::system::error_code;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kChunk = 64 * 1024;
constexpr auto kGiveUp = std::chrono::seconds(60);

struct ClientGone : std::runtime_error {
  ClientGone() : std::runtime_error("the client stopped reading") {}
};

// Chunks go from the producing thread to the connection through a channel with room for
// one: the producer waits while one is queued and another is being written. The last chunk
// comes with `eof`; a failed producer sends `operation_aborted` and leaves its exception.
class Pipe final : public BodySink {
 public:
  explicit Pipe(asio::any_io_executor ex) : channel_(std::move(ex), 1) {
    buffer_.reserve(kChunk + kChunk / 4);
  }

  void append(std::string_view text) override {
    unshare();
    buffer_ += text;
    if (buffer_.size() < kChunk) return;
    auto sent = std::make_shared<std::promise<error_code>>();
    auto accepted = sent->get_future();
    sent_any_ = true;
    channel_.async_send(error_code{}, std::exchange(buffer_, {}),
                        [sent](error_code ec) { sent->set_value(ec); });
    buffer_.reserve(kChunk + kChunk / 4);
    // A connection that neither takes the chunk nor lets go (a server stopping) does not
    // keep this thread for ever.
    if (accepted.wait_for(kGiveUp) != std::future_status::ready || accepted.get())
      throw ClientGone();
  }
  void add(std::string_view text) override {
    unshare();
    buffer_ += text;
  }
  void add(std::shared_ptr<const std::string> text) override {
    if (buffer_.empty() && !shared_ && !sent_any_) {
      shared_ = std::move(text);
      return;
    }
    add(std::string_view(*text));
  }
  /// After the last message: the body, when it was one text added whole (add above).
  std::shared_ptr<const std::string> shared() const { return shared_; }

  // Producer side, on the connection's executor once `produce` is over.
  asio::awaitable<void> finish(std::exception_ptr error) {
    error_ = error;
    co_await channel_.async_send(
        error ? error_code(asio::error::operation_aborted) : error_code(asio::error::eof),
        std::exchange(buffer_, {}), kTuple);
  }

  // Connection side.
  asio::awaitable<std::tuple<error_code, std::string>> next() {
    co_return co_await channel_.async_receive(kTuple);
  }
  /// After a message that was not a chunk: what the producer threw.
  [[noreturn]] void rethrow() {
    if (error_) std::rethrow_exception(error_);
    throw std::runtime_error("the body ended unexpectedly");
  }
  /// Nobody will read any more: a producer waiting or about to send is let go.
  void abandon() {
    channel_.close();
    channel_.cancel();
  }

 private:
  // More follows a text added whole: it goes as text after all.
  void unshare() {
    if (shared_) buffer_.insert(0, *std::exchange(shared_, nullptr));
  }

  asio::experimental::concurrent_channel<void(error_code, std::string)> channel_;
  // Only the producer touches these, until its last message is received.
  std::string buffer_;
  std::shared_ptr<const std::string> shared_;
  bool sent_any_ = false;
  std::exception_ptr error_;
};

// Lets the producer go when the response is dropped, however that happens (sent in full,
// the client gone, the server draining before the body started).
struct Abandon {
  explicit Abandon(std::shared_ptr<Pipe> p) : pipe(std::move(p)) {}
  Abandon(const Abandon&) = delete;
  Abandon& operator=(const Abandon&) = delete;
  ~Abandon() { pipe->abandon(); }
  std::shared_ptr<Pipe> pipe;
};

// Coroutines with their state as parameters, not lambdas with captures: GCC 12 destroys
// some captures of a coroutine lambda twice.
asio::awaitable<void> run(std::shared_ptr<Pipe> pipe, Produce produce) {
  std::exception_ptr error;
  try {
    co_await produce(*pipe);
  } catch (...) {
    error = std::current_exception();
  }
  co_await pipe->finish(error);
}

asio::awaitable<void> send(std::shared_ptr<Abandon> guard, std::string first, StreamWriter& out) {
  auto& from = *guard->pipe;
  if (!co_await out.write(first)) co_return;
  for (;;) {
    auto [status, chunk] = co_await from.next();
    if (status && status != asio::error::eof) from.rethrow();
    if (!chunk.empty() && !co_await out.write(chunk)) co_return;
    if (status == asio::error::eof) co_return;
  }
}

}  // namespace

asio::awaitable<Response> produced_response(std::string content_type, Produce produce) {
  auto executor = co_await asio::this_coro::executor;
  auto pipe = std::make_shared<Pipe>(executor);
  asio::co_spawn(executor, run(pipe, std::move(produce)), asio::detached);
  auto guard = std::make_shared<Abandon>(pipe);

  Response r;
  r.content_type = std::move(content_type);
  auto [ec, first] = co_await pipe->next();
  if (ec == asio::error::eof) {  // all of it in one chunk
    r.body = std::move(first);
    r.shared_body = pipe->shared();
    co_return r;
  }
  if (ec) pipe->rethrow();
  r.stream = [guard, first = std::move(first)](StreamWriter& out) {
    return send(guard, first, out);
  };
  co_return r;
}

}  // namespace janji::http
