// The pacing of an idle-priority pool (infra/blocking_pool.hpp).

#include "infra/blocking_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

namespace janji {
namespace {

using std::chrono::milliseconds;

TEST(IdleRest, NoneWhenTheJobHadItsCoreToItself) {
  EXPECT_EQ(idle_rest(milliseconds(20), milliseconds(20)).count(), 0);
  EXPECT_EQ(idle_rest(milliseconds(25), milliseconds(20)).count(), 0);  // a little waiting
}

TEST(IdleRest, TwiceItsCpuTimeWhenItShared) {
  EXPECT_EQ(idle_rest(milliseconds(26), milliseconds(20)), milliseconds(40));
  EXPECT_EQ(idle_rest(milliseconds(90), milliseconds(30)), milliseconds(60));
}

TEST(IdleRest, AtMostAQuarterOfASecond) {
  EXPECT_EQ(idle_rest(milliseconds(900), milliseconds(300)), milliseconds(250));
}

TEST(BlockingPool, APacedPoolStillRunsEveryJob) {
  BlockingPool pool(1, "test-idle", BlockingPool::Priority::kIdle);
  boost::asio::io_context io;
  int done = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (int i = 0; i < 3; ++i) done += co_await pool.run([i] { return i + 1; });
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(done, 6);
}

}  // namespace
}  // namespace janji
