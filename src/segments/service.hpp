#pragma once

#include "events/relay.hpp"
#include "infra/blocking_pool.hpp"
#include "segments/store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <mutex>

namespace janji::segments {

/// The current segmentation, recomputed off the request path: every booking event the relay
/// delivers calls `data_changed()`, which schedules one debounced recomputation that logs
/// `segment_updated` when the result differs from the last one logged.
class SegmentService {
 public:
  SegmentService(SegmentStore& store, BlockingPool& cpu_pool, events::Relay& events,
                 boost::asio::any_io_executor executor, std::chrono::milliseconds debounce);

  /// The segments as JSON text; 400 with a clear detail below four customers.
  boost::asio::awaitable<std::string> current();
  /// A segment_updated event that matches the data as it is now (published first if the
  /// last one is out of date); empty when there are too few customers.
  boost::asio::awaitable<std::vector<events::EventPtr>> snapshot();
  /// Called after every booking event (by the relay); returns at once.
  void data_changed();
  /// Stops the debounce timer (shutdown).
  void stop();

 private:
  struct Result {
    std::uint64_t version = 0;
    bool enough = false;
    std::string json;
  };
  boost::asio::awaitable<Result> compute();
  /// Logs the current segments unless they equal the last logged ones; when the
  /// data drops below four customers, subscribers are sent an empty list once.
  boost::asio::awaitable<Result> recompute_and_publish();

  SegmentStore& store_;
  BlockingPool& cpu_pool_;
  events::Relay& events_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds debounce_;
  std::atomic<std::uint64_t> version_{1};
  bool scheduled_ = false;  // on strand_

  std::mutex mutex_;
  std::optional<Result> cached_;
  events::EventPtr published_;  // the newest segment_updated logged or found in the log
};

}  // namespace janji::segments
