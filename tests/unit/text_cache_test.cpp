#include "infra/text_cache.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <thread>

namespace janji {
namespace {

using namespace std::chrono_literals;

// A function, not a lambda: a coroutine lambda's captures die with the lambda.
boost::asio::awaitable<void> wait(TextCache& cache, std::string key,
                                  TextCache::Clock::duration patience, bool& waited) {
  co_await cache.await_making(key, patience);
  waited = true;
}

TEST(TextCache, KeepsATextUnderItsKeyAndVersionOnly) {
  TextCache cache(1 << 20, 10s);
  auto first = cache.find("order 0", "v1");
  ASSERT_FALSE(first.text);
  ASSERT_TRUE(first.making);
  EXPECT_EQ(*first.making->put("[1]"), "[1]");
  first.making.reset();

  auto again = cache.find("order 0", "v1");
  ASSERT_TRUE(again.text);
  EXPECT_EQ(*again.text, "[1]");
  EXPECT_FALSE(again.making);
  // The data changed: not found, and made again.
  auto changed = cache.find("order 0", "v2");
  EXPECT_FALSE(changed.text);
  EXPECT_TRUE(changed.making);
  EXPECT_FALSE(cache.find("order 1", "v1").text);
}

TEST(TextCache, OneMakingPerKeyAtATime) {
  TextCache cache(1 << 20, 10s);
  auto maker = cache.find("k", "v1");
  ASSERT_TRUE(maker.making);
  auto other = cache.find("k", "v1");
  EXPECT_FALSE(other.text);
  EXPECT_FALSE(other.making);  // reads for itself, keeps nothing
  EXPECT_TRUE(cache.find("another key", "v1").making);
  maker.making.reset();  // dropped without a text: nothing kept, the key is free again
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_TRUE(cache.find("k", "v1").making);
}

TEST(TextCache, ATextPastItsAgeIsGivenWhileTheNextOneIsMade) {
  TextCache cache(1 << 20, -1ns);  // every text is already too old
  cache.find("k", "v").making->put("[]");
  auto later = cache.find("k", "v");
  ASSERT_TRUE(later.text);
  EXPECT_EQ(*later.text, "[]");
  ASSERT_TRUE(later.making);  // the first to find it old makes the next one
  auto meanwhile = cache.find("k", "v");
  ASSERT_TRUE(meanwhile.text);
  EXPECT_FALSE(meanwhile.making);
  EXPECT_FALSE(cache.find("k", "v2").text);  // only for the data it was made from
  later.making->put("[1]");
  EXPECT_EQ(*cache.find("k", "v").text, "[1]");  // the old one dropped, the new one kept
  EXPECT_EQ(cache.bytes(), 3u);
}

TEST(TextCache, WhoAsksWhileAnOldTextIsRemadeDoesNotWait) {
  TextCache cache(1 << 20, -1ns);
  boost::asio::io_context io;
  cache.find("k", "v").making->put("[]");
  auto maker = cache.find("k", "v");
  ASSERT_TRUE(maker.making);
  bool waited = false;
  boost::asio::co_spawn(io, wait(cache, "k", 1h, waited), boost::asio::detached);
  io.poll();
  EXPECT_TRUE(waited);
}

TEST(TextCache, StaysWithinItsBudgetDroppingTheLeastRecentlyUsed) {
  TextCache cache(400, 10s);
  const std::string hundred(100, 'x');
  for (const char* key : {"a", "b", "c", "d"}) cache.find(key, "v").making->put(hundred);
  EXPECT_EQ(cache.bytes(), 400u);
  EXPECT_TRUE(cache.find("a", "v").text);  // "a" used again: "b" is now the oldest
  cache.find("e", "v").making->put(hundred);
  EXPECT_EQ(cache.bytes(), 400u);
  EXPECT_TRUE(cache.find("a", "v").text);
  EXPECT_FALSE(cache.find("b", "v").text);
  EXPECT_TRUE(cache.find("e", "v").text);
}

TEST(TextCache, ATextOverAQuarterOfTheBudgetIsNotKept) {
  TextCache cache(400, 10s);
  EXPECT_TRUE(cache.keeps(100));
  EXPECT_FALSE(cache.keeps(101));
  EXPECT_EQ(*cache.find("k", "v").making->put(std::string(101, 'x')), std::string(101, 'x'));
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_FALSE(cache.find("k", "v").text);
}

TEST(TextCache, ABudgetOfNothingKeepsNothing) {
  TextCache cache(0, 10s);
  EXPECT_FALSE(cache.keeps(0));
  auto found = cache.find("k", "v");
  EXPECT_FALSE(found.text);
  EXPECT_FALSE(found.making);
}

TEST(TextCache, AWaiterIsLetGoWhenTheTextIsPut) {
  TextCache cache(1 << 20, 10s);
  boost::asio::io_context io;  // outlives the making, whose end is posted to its waiters
  auto maker = cache.find("k", "v");
  bool waited = false;
  boost::asio::co_spawn(io, wait(cache, "k", 1h, waited), boost::asio::detached);
  io.poll();  // the waiter is now waiting
  EXPECT_FALSE(waited);
  std::thread other([&] { maker.making->put("[]"); });  // from a database thread
  other.join();
  io.run_for(10s);  // returns as soon as the waiter is done; an hour's wait would fail below
  EXPECT_TRUE(waited);
  EXPECT_TRUE(cache.find("k", "v").text);
}

TEST(TextCache, AWaiterGivesUpAfterItsPatience) {
  TextCache cache(1 << 20, 10s);
  boost::asio::io_context io;  // outlives the making, whose end is posted to its waiters
  auto maker = cache.find("k", "v");
  bool waited = false;
  boost::asio::co_spawn(io, wait(cache, "k", 1ms, waited), boost::asio::detached);
  io.run_for(10s);
  EXPECT_TRUE(waited);
  EXPECT_TRUE(maker.making);  // still making
}

TEST(TextCache, NobodyMakingMeansNoWait) {
  TextCache cache(1 << 20, 10s);
  boost::asio::io_context io;
  bool waited = false;
  boost::asio::co_spawn(io, wait(cache, "k", 1h, waited), boost::asio::detached);
  io.poll();
  EXPECT_TRUE(waited);
}

}  // namespace
}  // namespace janji
