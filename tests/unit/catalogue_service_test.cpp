#include "catalogue/service.hpp"
#include "core/error.hpp"
#include "infra/blocking_pool.hpp"
#include "infra/db/migrations.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace janji::catalogue {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

class CatalogueServiceTest : public testing::Test {
 protected:
  CatalogueServiceTest() : db_(db::open_database("sqlite://:memory:", 1)) { db::migrate(*db_); }

  /// Runs `op` to completion, as a handler would await it.
  static void complete(boost::asio::awaitable<void> op) {
    boost::asio::io_context io;
    // Database work completes on the pool's thread: keep run() going until the answer.
    auto guard = boost::asio::make_work_guard(io);
    std::exception_ptr failure;
    boost::asio::co_spawn(io, std::move(op), [&](std::exception_ptr e) {
      failure = e;
      guard.reset();
    });
    io.run();
    if (failure) std::rethrow_exception(failure);
  }

  template <class T>
  static T run(boost::asio::awaitable<T> op) {
    std::optional<T> out;
    auto body = [&]() -> boost::asio::awaitable<void> { out = co_await std::move(op); };
    complete(body());
    return std::move(*out);
  }

  /// The status and public message of the ApiError `op` ends with.
  template <class Op>
  static std::pair<int, std::string> failure(Op op) {
    try {
      complete(std::move(op));
    } catch (const ApiError& e) {
      return {e.status(), e.message()};
    }
    return {0, ""};
  }

  std::unique_ptr<db::Database> db_;
  BlockingPool pool_{1, "catalogue-test"};
  db::Runner runner_{*db_, pool_};
  CatalogueStore store_{runner_};
};

TEST_F(CatalogueServiceTest, ListingIsServedFromMemoryWithinTheTtl) {
  CatalogueService service(store_, hours(1));
  const auto first = run(service.list());
  const auto second = run(service.list());
  EXPECT_EQ(first, second);
}

TEST_F(CatalogueServiceTest, WithoutTtlEveryListingIsReadAgain) {
  CatalogueService service(store_, milliseconds(0));
  const auto first = run(service.list());
  const auto second = run(service.list());
  EXPECT_NE(first, second);
  EXPECT_EQ(first->json, second->json);
}

TEST_F(CatalogueServiceTest, WriteThroughTheServiceShowsAtOnce) {
  CatalogueService service(store_, hours(1));
  const auto before = run(service.list());
  const auto created = run(service.create_package({"Wedding", std::nullopt}, std::nullopt));
  const auto after = run(service.list());
  EXPECT_NE(before, after);
  ASSERT_EQ(after->packages.size(), before->packages.size() + 1);
  EXPECT_EQ(after->packages.back().id, created.id);
  EXPECT_EQ(after->json, to_json_text(after->packages));
  EXPECT_EQ(run(service.find(created.id)).name, "Wedding");
}

TEST_F(CatalogueServiceTest, FailedWriteAlsoForgetsTheListing) {
  CatalogueService service(store_, hours(1));
  run(service.create_package({"Wedding", std::nullopt}, std::nullopt));
  const auto before = run(service.list());
  EXPECT_THROW(run(service.create_package({"Wedding", std::nullopt}, std::nullopt)), ApiError);
  EXPECT_NE(run(service.list()), before);
}

TEST_F(CatalogueServiceTest, MissingPackageOrTypeIsNotFound) {
  CatalogueService service(store_, hours(1));
  const std::pair<int, std::string> no_package{404, "Package not found"};
  const std::pair<int, std::string> no_type{404, "Service type not found"};
  const auto ignore = [](auto op) -> boost::asio::awaitable<void> { co_await std::move(op); };
  EXPECT_EQ(failure(ignore(service.find(999))), no_package);
  EXPECT_EQ(failure(ignore(service.update_package(999, {}, std::nullopt))), no_package);
  EXPECT_EQ(failure(service.delete_package(999, std::nullopt)), no_package);
  EXPECT_EQ(failure(ignore(service.add_type({0, 999, "Akad", std::nullopt, 100}, std::nullopt))),
            no_package);
  EXPECT_EQ(failure(ignore(service.update_type(999, {}, std::nullopt))), no_type);
  EXPECT_EQ(failure(ignore(service.delete_type(999, std::nullopt))), no_type);
}

}  // namespace
}  // namespace janji::catalogue
