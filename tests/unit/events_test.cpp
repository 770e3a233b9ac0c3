#include "events/bus.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace janji::events {
namespace {

EventPtr make_event(std::uint64_t id, const std::string& stream = "bookings",
                    const std::string& type = "booking_created") {
  auto e = std::make_shared<Event>();
  e->id = id;
  e->stream = stream;
  e->type = type;
  e->data = "{\"id\": " + std::to_string(id) + "}";
  e->frame = sse_frame(id, type, e->data);
  return e;
}

std::vector<std::uint64_t> ids(const std::vector<EventPtr>& events) {
  std::vector<std::uint64_t> out;
  for (const auto& e : events) out.push_back(e->id);
  return out;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size()))
    ++n;
  return n;
}

// --- sse_frame -------------------------------------------------------------------------------

TEST(SseFrame, IsIdLineThenOneDataLineWithTypeAndJsonStringPayload) {
  EXPECT_EQ(sse_frame(42, "booking_created", R"({"id": 1})"),
            "id: 42\n"
            R"(data: {"type": "booking_created", "data": "{\"id\": 1}"})"
            "\n\n");
}

TEST(SseFrame, EmptyPayloadIsAnEmptyJsonString) {
  EXPECT_EQ(sse_frame(1, "segment_updated", ""),
            "id: 1\n"
            R"(data: {"type": "segment_updated", "data": ""})"
            "\n\n");
}

TEST(SseFrame, PayloadWithNewlinesAndQuotesStaysOnOneDataLine) {
  const std::string payload = "line one\nline \"two\"\r\n\tback\\slash\n\ndata: fake";
  const auto frame = sse_frame(7, "booking_updated", payload);
  EXPECT_EQ(count(frame, "\ndata:"), 1u) << frame;
  EXPECT_EQ(count(frame, "\n"), 3u) << frame;  // after id, after data, and the blank line
  ASSERT_EQ(frame.rfind("id: 7\ndata: ", 0), 0u) << frame;
  ASSERT_EQ(frame.substr(frame.size() - 2), "\n\n");

  const auto json_text = frame.substr(12, frame.size() - 12 - 2);
  const auto v = boost::json::parse(json_text);
  EXPECT_EQ(v.at("type").as_string(), "booking_updated");
  EXPECT_EQ(v.at("data").as_string(), payload);
}

TEST(SseFrame, TypeIsJsonEscapedToo) {
  const auto frame = sse_frame(3, "we\"ird\n", "x");
  EXPECT_EQ(count(frame, "\n"), 3u) << frame;
  const auto v = boost::json::parse(frame.substr(12, frame.size() - 14));
  EXPECT_EQ(v.at("type").as_string(), "we\"ird\n");
}

// --- Hub ------------------------------------------------------------------------------------

class HubTest : public ::testing::Test {
 protected:
  // Deliveries post a wake-up that holds its subscription; run them so nothing outlives
  // the test body but the io_context itself.
  void TearDown() override {
    io.restart();
    io.poll();
  }

  std::shared_ptr<Subscription> subscribe(Hub& hub, const std::string& stream,
                                          std::optional<std::uint64_t> last = std::nullopt,
                                          std::size_t max_backlog = 1000) {
    return hub.subscribe(stream, io.get_executor(), last, max_backlog);
  }

  boost::asio::io_context io;
};

using HubReplay = HubTest;
using HubDelivery = HubTest;
using HubSubscribers = HubTest;
using SubscriptionWake = HubTest;

TEST_F(HubReplay, LastEventIdReplaysExactlyTheLaterEventsInOrder) {
  Hub hub;
  for (std::uint64_t id = 1; id <= 5; ++id) hub.deliver(make_event(id));
  auto sub = subscribe(hub, "bookings", 2);
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_TRUE(sub->take().empty());
}

TEST_F(HubReplay, WithoutLastEventIdNothingIsReplayed) {
  Hub hub;
  for (std::uint64_t id = 1; id <= 5; ++id) hub.deliver(make_event(id));
  auto sub = subscribe(hub, "bookings");
  EXPECT_TRUE(sub->take().empty());
  hub.deliver(make_event(6));
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{6}));
}

TEST_F(HubReplay, LastEventIdAtOrBeyondNewestReplaysNothing) {
  Hub hub;
  for (std::uint64_t id = 1; id <= 3; ++id) hub.deliver(make_event(id));
  EXPECT_TRUE(subscribe(hub, "bookings", 3)->take().empty());
  EXPECT_TRUE(subscribe(hub, "bookings", 99)->take().empty());
}

TEST_F(HubReplay, OnlyTheSameStreamIsReplayed) {
  Hub hub;
  hub.deliver(make_event(1, "bookings"));
  hub.deliver(make_event(2, "segments", "segment_updated"));
  hub.deliver(make_event(3, "bookings"));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 0)->take()), (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(ids(subscribe(hub, "segments", 0)->take()), (std::vector<std::uint64_t>{2}));
}

TEST_F(HubReplay, ConstructorBoundsReplayPerStreamAndOlderEventsAreGone) {
  Hub hub(3);
  for (std::uint64_t id = 1; id <= 10; ++id) hub.deliver(make_event(id));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 0)->take()), (std::vector<std::uint64_t>{8, 9, 10}));
}

TEST_F(HubReplay, SetReplayBoundsOnlyThatStream) {
  Hub hub(5);
  hub.set_replay("segments", 1);
  for (std::uint64_t id = 1; id <= 4; ++id) {
    hub.deliver(make_event(id, "segments", "segment_updated"));
    hub.deliver(make_event(100 + id, "bookings"));
  }
  EXPECT_EQ(ids(subscribe(hub, "segments", 0)->take()), (std::vector<std::uint64_t>{4}));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 0)->take()),
            (std::vector<std::uint64_t>{101, 102, 103, 104}));
}

TEST_F(HubReplay, SetReplayAfterDeliveriesTrimsAtTheNextDelivery) {
  Hub hub;
  for (std::uint64_t id = 1; id <= 5; ++id) hub.deliver(make_event(id));
  hub.set_replay("bookings", 2);
  hub.deliver(make_event(6));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 0)->take()), (std::vector<std::uint64_t>{5, 6}));
}

TEST_F(HubReplay, ZeroReplayDepthStillKeepsTheLatestEvent) {
  Hub hub(0);
  hub.set_replay("segments", 0);
  hub.deliver(make_event(1));
  hub.deliver(make_event(2));
  hub.deliver(make_event(3, "segments", "segment_updated"));
  hub.deliver(make_event(4, "segments", "segment_updated"));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 0)->take()), (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(ids(subscribe(hub, "segments", 0)->take()), (std::vector<std::uint64_t>{4}));
}

TEST_F(HubReplay, OutOfOrderDeliveryKeepsRecentSortedById) {
  Hub hub;
  hub.deliver(make_event(5));
  hub.deliver(make_event(3));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 2)->take()), (std::vector<std::uint64_t>{3, 5}));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 4)->take()), (std::vector<std::uint64_t>{5}));
  EXPECT_EQ(hub.latest("bookings")->id, 5u);
}

TEST_F(HubReplay, OutOfOrderDeliveryPastTheBoundDropsTheOldestId) {
  Hub hub(2);
  hub.deliver(make_event(5));
  hub.deliver(make_event(3));
  hub.deliver(make_event(4));
  EXPECT_EQ(ids(subscribe(hub, "bookings", 0)->take()), (std::vector<std::uint64_t>{4, 5}));
}

TEST_F(HubReplay, LatestReturnsTheNewestEventOrNullWhenNone) {
  Hub hub;
  EXPECT_EQ(hub.latest("segments"), nullptr);
  const auto first = make_event(1, "segments", "segment_updated");
  const auto second = make_event(2, "segments", "segment_updated");
  hub.deliver(first);
  EXPECT_EQ(hub.latest("segments"), first);
  hub.deliver(second);
  EXPECT_EQ(hub.latest("segments"), second);
  EXPECT_EQ(hub.latest("bookings"), nullptr);
}

TEST_F(HubDelivery, EveryStreamSubscriberGetsTheSameEventAndOtherStreamsNone) {
  Hub hub;
  auto a = subscribe(hub, "bookings");
  auto b = subscribe(hub, "bookings");
  auto other = subscribe(hub, "segments");
  const auto e = make_event(1);
  hub.deliver(e);
  const auto got_a = a->take();
  const auto got_b = b->take();
  ASSERT_EQ(got_a.size(), 1u);
  ASSERT_EQ(got_b.size(), 1u);
  EXPECT_EQ(got_a[0], e);  // shared, not copied
  EXPECT_EQ(got_b[0], e);
  EXPECT_TRUE(other->take().empty());
}

TEST_F(HubDelivery, EventsQueueInDeliveryOrderUntilTaken) {
  Hub hub;
  auto sub = subscribe(hub, "bookings");
  for (std::uint64_t id = 1; id <= 4; ++id) hub.deliver(make_event(id));
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_TRUE(sub->take().empty());
  hub.deliver(make_event(5));
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{5}));
}

TEST_F(HubDelivery, ReplayComesBeforeLiveEvents) {
  Hub hub;
  hub.deliver(make_event(1));
  hub.deliver(make_event(2));
  auto sub = subscribe(hub, "bookings", 1);
  hub.deliver(make_event(3));
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{2, 3}));
}

TEST_F(HubDelivery, BacklogBeyondMaxOverflowsAndClearsTheQueue) {
  Hub hub;
  auto sub = subscribe(hub, "bookings", std::nullopt, 3);
  for (std::uint64_t id = 1; id <= 3; ++id) hub.deliver(make_event(id));
  EXPECT_FALSE(sub->overflowed()) << "exactly max_backlog queued is not an overflow";
  hub.deliver(make_event(4));
  EXPECT_TRUE(sub->overflowed());
  EXPECT_TRUE(sub->take().empty());
  hub.deliver(make_event(5));
  EXPECT_TRUE(sub->take().empty()) << "an overflowed subscriber gets nothing more";
  EXPECT_TRUE(sub->overflowed());
}

TEST_F(HubDelivery, ASubscriberThatKeepsTakingNeverOverflows) {
  Hub hub;
  auto sub = subscribe(hub, "bookings", std::nullopt, 2);
  for (std::uint64_t id = 1; id <= 20; ++id) {
    hub.deliver(make_event(id));
    ASSERT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{id}));
  }
  EXPECT_FALSE(sub->overflowed());
}

TEST_F(HubDelivery, OneOverflowingSubscriberDoesNotAffectAnother) {
  Hub hub;
  auto slow = subscribe(hub, "bookings", std::nullopt, 1);
  auto fast = subscribe(hub, "bookings", std::nullopt, 100);
  for (std::uint64_t id = 1; id <= 3; ++id) hub.deliver(make_event(id));
  EXPECT_TRUE(slow->overflowed());
  EXPECT_FALSE(fast->overflowed());
  EXPECT_EQ(ids(fast->take()), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST_F(HubDelivery, UnsubscribeStopsDelivery) {
  Hub hub;
  auto gone = subscribe(hub, "bookings");
  auto stays = subscribe(hub, "bookings");
  hub.unsubscribe("bookings", gone);
  EXPECT_EQ(hub.subscribers("bookings"), 1u);
  hub.deliver(make_event(1));
  EXPECT_TRUE(gone->take().empty());
  EXPECT_EQ(ids(stays->take()), (std::vector<std::uint64_t>{1}));
}

TEST_F(HubDelivery, DeliveredWithoutSubscribersIsStillKeptForReplay) {
  Hub hub;
  hub.deliver(make_event(1));
  EXPECT_EQ(hub.subscribers("bookings"), 0u);
  EXPECT_EQ(ids(subscribe(hub, "bookings", 0)->take()), (std::vector<std::uint64_t>{1}));
}

TEST_F(HubSubscribers, CountsLiveSubscriptionsPerStream) {
  Hub hub;
  EXPECT_EQ(hub.subscribers("bookings"), 0u);
  auto a = subscribe(hub, "bookings");
  auto b = subscribe(hub, "bookings");
  auto c = subscribe(hub, "segments");
  EXPECT_EQ(hub.subscribers("bookings"), 2u);
  EXPECT_EQ(hub.subscribers("segments"), 1u);
  EXPECT_EQ(hub.subscribers("course_bookings"), 0u);
}

TEST_F(HubSubscribers, DestroyedSubscriptionNoLongerCounts) {
  Hub hub;
  auto a = subscribe(hub, "bookings");
  auto b = subscribe(hub, "bookings");
  ASSERT_EQ(hub.subscribers("bookings"), 2u);
  a.reset();
  EXPECT_EQ(hub.subscribers("bookings"), 1u);
  hub.deliver(make_event(1));  // skips the dead one
  EXPECT_EQ(ids(b->take()), (std::vector<std::uint64_t>{1}));
}

TEST_F(HubSubscribers, DestroyedAfterPendingWakeUpsRunNoLongerCounts) {
  Hub hub;
  auto a = subscribe(hub, "bookings");
  hub.deliver(make_event(1));
  io.poll();  // the posted wake-up holds a reference until it has run
  std::weak_ptr<Subscription> watch = a;
  a.reset();
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(hub.subscribers("bookings"), 0u);
}

TEST_F(HubSubscribers, UnsubscribeOfUnknownSubscriptionChangesNothing) {
  Hub hub;
  auto a = subscribe(hub, "bookings");
  auto stranger = subscribe(hub, "segments");
  hub.unsubscribe("bookings", stranger);
  EXPECT_EQ(hub.subscribers("bookings"), 1u);
  EXPECT_EQ(hub.subscribers("segments"), 1u);
}

TEST_F(SubscriptionWake, DeliveryWakesTheOwnerWaitingOnItsTimer) {
  Hub hub;
  auto sub = subscribe(hub, "bookings");
  std::optional<boost::system::error_code> woke;
  sub->timer().expires_after(std::chrono::hours(1));
  sub->timer().async_wait([&](boost::system::error_code ec) { woke = ec; });
  EXPECT_EQ(io.poll(), 0u);
  EXPECT_FALSE(woke);
  hub.deliver(make_event(1));
  io.poll();
  ASSERT_TRUE(woke);
  EXPECT_EQ(*woke, boost::asio::error::operation_aborted);
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{1}));
}

TEST_F(SubscriptionWake, WakeUpAfterTheSubscriptionIsDroppedDoesNotCrash) {
  Hub hub;
  auto sub = subscribe(hub, "bookings");
  hub.deliver(make_event(1));
  hub.deliver(make_event(2));
  sub.reset();
  EXPECT_GE(io.poll(), 1u);
  EXPECT_EQ(hub.subscribers("bookings"), 0u);
}

TEST_F(SubscriptionWake, StopCancelsTheWaitAndIgnoresLaterEvents) {
  Hub hub;
  auto sub = subscribe(hub, "bookings");
  std::optional<boost::system::error_code> woke;
  sub->timer().expires_after(std::chrono::hours(1));
  sub->timer().async_wait([&](boost::system::error_code ec) { woke = ec; });
  EXPECT_FALSE(sub->stopped());
  sub->stop();
  EXPECT_TRUE(sub->stopped());
  io.poll();
  ASSERT_TRUE(woke);
  EXPECT_EQ(*woke, boost::asio::error::operation_aborted);
  hub.deliver(make_event(1));
  EXPECT_TRUE(sub->take().empty());
  EXPECT_FALSE(sub->overflowed());
}

// --- Replay from the log ----------------------------------------------------------------------

using HubLog = HubTest;

// A log reader that records what it was asked and answers from `rows`.
struct FakeLog {
  std::vector<EventPtr> rows;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> asked;
  LogReader reader() {
    return [this](std::string stream, std::uint64_t after,
                  std::uint64_t upto) -> boost::asio::awaitable<std::vector<EventPtr>> {
      asked.emplace_back(after, upto);
      std::vector<EventPtr> out;
      for (const auto& e : rows)
        if (e->stream == stream && e->id > after && e->id <= upto) out.push_back(e);
      co_return out;
    };
  }
};

TEST_F(HubLog, AReplayFromBeforeTheStartIsReadFromTheLogUpToTheNewestDelivered) {
  Hub hub(10);
  FakeLog log;
  hub.set_log(log.reader(), 100);
  auto sub = subscribe(hub, "bookings", 40);
  EXPECT_TRUE(sub->take().empty());
  ASSERT_TRUE(sub->log_replay());
  EXPECT_EQ(*sub->log_replay(), (std::pair<std::uint64_t, std::uint64_t>{40, 100}));
  // What is delivered after subscribing is queued as usual, after the log's part.
  hub.deliver(make_event(101));
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{101}));
}

TEST_F(HubLog, AReplayWithinWhatIsKeptNeedsNoRead) {
  Hub hub(2);
  FakeLog log;
  hub.set_log(log.reader(), 100);
  for (std::uint64_t id = 101; id <= 104; ++id) hub.deliver(make_event(id));
  // 103 and 104 are kept; after 102 everything is in memory.
  auto sub = subscribe(hub, "bookings", 102);
  EXPECT_FALSE(sub->log_replay());
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{103, 104}));
  // After 101, event 102 was dropped from memory: the log has to be read.
  auto older = subscribe(hub, "bookings", 101);
  ASSERT_TRUE(older->log_replay());
  EXPECT_EQ(*older->log_replay(), (std::pair<std::uint64_t, std::uint64_t>{101, 104}));
  EXPECT_TRUE(older->take().empty());
}

TEST_F(HubLog, AStreamFirstNamedLaterIsCompleteOnlyFromThen) {
  Hub hub(10);
  FakeLog log;
  hub.set_log(log.reader(), 10);
  hub.deliver(make_event(11, "bookings"));
  hub.deliver(make_event(12, "bookings"));
  // The courses stream is first seen at 12: an event of it below that may be in the log.
  auto sub = subscribe(hub, "courses", 5);
  ASSERT_TRUE(sub->log_replay());
  EXPECT_EQ(*sub->log_replay(), (std::pair<std::uint64_t, std::uint64_t>{5, 12}));
  EXPECT_FALSE(subscribe(hub, "courses", 12)->log_replay());
}

TEST_F(HubLog, ATransientStreamNeverReadsTheLog) {
  Hub hub(1);
  FakeLog log;
  hub.set_transient("segments");
  hub.set_log(log.reader(), 50);
  hub.deliver(make_event(51, "segments", "segment_updated"));
  hub.deliver(make_event(52, "segments", "segment_updated"));
  auto sub = subscribe(hub, "segments", 0);
  EXPECT_FALSE(sub->log_replay());
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{52}));
}

TEST_F(HubLog, WithoutAReaderReplayComesFromMemoryOnly) {
  Hub hub(10);
  hub.deliver(make_event(7));
  auto sub = subscribe(hub, "bookings", 0);
  EXPECT_FALSE(sub->log_replay());
  EXPECT_EQ(ids(sub->take()), (std::vector<std::uint64_t>{7}));
}

TEST_F(HubLog, ReadLogAsksTheReaderForTheStreamAndRange) {
  Hub hub(10);
  FakeLog log;
  log.rows = {make_event(3), make_event(4, "courses"), make_event(6), make_event(9)};
  hub.set_log(log.reader(), 9);
  std::vector<EventPtr> got;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { got = co_await hub.read_log("bookings", 3, 8); },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(ids(got), (std::vector<std::uint64_t>{6}));
  EXPECT_EQ(log.asked, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{3, 8}}));
}

TEST_F(HubLog, MakeEventBuildsTheFrameOnce) {
  const auto e = events::make_event(42, "bookings", "booking_created", "{\"id\": 1}");
  EXPECT_EQ(e->id, 42u);
  EXPECT_EQ(e->frame, sse_frame(42, "booking_created", "{\"id\": 1}"));
}

}  // namespace
}  // namespace janji::events
