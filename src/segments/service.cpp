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

SegmentService::SegmentService(SegmentStore& store, BlockingPool& cpu_pool, events::Bus& bus,
                               asio::any_io_executor executor, std::chrono::milliseconds debounce)
    : store_(store),
      cpu_pool_(cpu_pool),
      bus_(bus),
      strand_(asio::make_strand(executor)),
      timer_(strand_),
      debounce_(debounce) {
  // Subscribers get the latest snapshot on connect; older ones are never replayed.
  bus_.hub().set_replay(std::string(kStream), 1);
  // Booking writes, here or on other instances, change the segments.
  bus_.watch(std::string(bookings::kStream), [this] { data_changed(); });
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
  auto latest = bus_.hub().latest(std::string(kStream));
  std::lock_guard lock(mutex_);
  // A bus that travels through Redis delivers after publish() returned: until the hub holds
  // what was published, the event is on its way to the subscriber, which already listens.
  if (!r.enough || !latest || !published_ || latest->data != *published_)
    co_return std::vector<events::EventPtr>{};
  co_return std::vector<events::EventPtr>{latest};
}

asio::awaitable<SegmentService::Result> SegmentService::recompute_and_publish() {
  auto r = co_await compute();
  const std::string json = r.enough ? r.json : to_json_text({});
  {
    std::lock_guard lock(mutex_);
    const bool unchanged = published_ ? *published_ == json : !r.enough;
    if (unchanged) co_return r;
    published_ = json;
  }
  co_await store_.record_if_changed(json, now_utc());
  bus_.publish(std::string(kStream), "segment_updated", json);
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
