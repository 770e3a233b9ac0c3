#include "segments/service.hpp"

#include "bookings/service.hpp"
#include "core/error.hpp"
#include "infra/spawn.hpp"
#include "segments/rfm.hpp"

#include <spdlog/spdlog.h>

#include <malloc.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

namespace janji::segments {

namespace asio = boost::asio;

SegmentService::SegmentService(SegmentStore& store, BlockingPool& cpu_pool, events::Relay& events,
                               asio::any_io_executor executor, std::chrono::milliseconds debounce)
    : store_(store),
      cpu_pool_(cpu_pool),
      events_(events),
      strand_(asio::make_strand(executor)),
      timer_(strand_),
      debounce_(debounce) {
  // Subscribers get the latest snapshot on connect; older ones are never replayed.
  events_.hub().set_replay(std::string(kStream), 1);
  events_.hub().set_transient(std::string(kStream));
  // Booking writes, here or on other instances, change the segments.
  events_.watch(std::string(bookings::kStream), [this] { data_changed(); });
}

asio::awaitable<SegmentService::Result> SegmentService::compute() {
  const auto version = version_.load();
  {
    std::lock_guard lock(mutex_);
    if (cached_ && cached_->version == version) co_return *cached_;
  }
  const auto started = std::chrono::steady_clock::now();
  auto customers = co_await store_.customers(now_utc());
  const auto loaded = std::chrono::steady_clock::now();
  Result r;
  r.version = version;
  if (customers.size() >= static_cast<std::size_t>(kClusters)) {
    r.enough = true;
    // A named callable: GCC 12 destroys a lambda temporary with init-captures twice when
    // it is created inside a co_await expression.
    auto work = [c = std::move(customers)]() mutable {
      auto json = to_json_text(segment_customers(std::move(c)));
      // The clustering's temporaries are large; hand their pages back to the system.
      ::malloc_trim(0);
      return json;
    };
    r.json = co_await cpu_pool_.run(std::move(work));
  }
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  spdlog::debug("segments computed: aggregate {:.0f} ms, clustering {:.0f} ms",
                ms(loaded - started), ms(std::chrono::steady_clock::now() - loaded));
  std::lock_guard lock(mutex_);
  if (!cached_ || cached_->version <= r.version) cached_ = r;
  co_return r;
}

asio::awaitable<std::string> SegmentService::current() {
  auto r = co_await compute();
  if (!r.enough)
    throw ApiError::bad_request(
        "Not enough data for segmentation: at least 4 customers with bookings are needed");
  co_return std::move(r.json);
}

asio::awaitable<std::vector<events::EventPtr>> SegmentService::snapshot() {
  const auto r = co_await recompute_and_publish();
  std::lock_guard lock(mutex_);
  // The event that holds the segments as they are now; the relay may deliver it again
  // later, and the stream sends each id once.
  if (!r.enough || !published_) co_return std::vector<events::EventPtr>{};
  co_return std::vector<events::EventPtr>{published_};
}

asio::awaitable<SegmentService::Result> SegmentService::recompute_and_publish() {
  auto r = co_await compute();
  std::string json = r.enough ? r.json : to_json_text({});
  {
    std::lock_guard lock(mutex_);
    const bool unchanged = published_ ? published_->data == json : !r.enough;
    if (unchanged) co_return r;
  }
  const auto logged = co_await store_.record_if_changed(json, now_utc());
  {
    std::lock_guard lock(mutex_);
    // Two recomputations may overlap: the newer event wins.
    const auto id = static_cast<std::uint64_t>(logged.id);
    if (!published_ || published_->id < id)
      published_ = events::make_event(id, std::string(kStream), "segment_updated", std::move(json));
  }
  if (logged.appended) events_.committed(kStream);
  co_return r;
}

void SegmentService::data_changed() {
  version_.fetch_add(1);
  asio::post(strand_, [this] {
    if (scheduled_) return;
    scheduled_ = true;
    timer_.expires_after(debounce_);
    timer_.async_wait([this](boost::system::error_code ec) {
      scheduled_ = false;
      if (ec) return;
      asio::co_spawn(strand_, recompute_and_publish(), log_exit("segment recomputation"));
    });
  });
}

void SegmentService::stop() {
  asio::post(strand_, [this] { timer_.cancel(); });
}

}  // namespace janji::segments
