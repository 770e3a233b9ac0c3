// Access is declared once, in the route table, and the dispatcher enforces it: these walk
// the whole table of the wired App and call every route as a stranger, a customer and an
// admin.
#include "app/app.hpp"
#include "infra/crypto/crypto.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace janji {
namespace {

namespace json = boost::json;
using http::Access;

class AccessTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::init();
    char dir_template[] = "/tmp/janji-access-XXXXXX";
    dir_ = new std::string(::mkdtemp(dir_template));
    Config config;
    config.data_dir = *dir_;
    config.database_url = "sqlite:///" + *dir_ + "/janji.db";
    config.secret_key = std::string(64, 'k');
    config.db_threads = 2;
    config.hash_threads = 1;
    config.admin_email = "owner@example.com";
    config.admin_password = "owner-password-1";
    app_ = new App(std::move(config));
    app_->ensure_configured_admin();

    const auto signed_up =
        call(http::Verb::post, "/auth/register", "",
             R"({"name": "Customer", "email": "customer@example.com", "password": "secret-123"})");
    ASSERT_EQ(signed_up.status, 201u) << signed_up.body;
    customer_ = new std::string(login("customer@example.com", "secret-123"));
    admin_ = new std::string(login("owner@example.com", "owner-password-1"));
  }
  static void TearDownTestSuite() {
    delete app_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete customer_;
    delete admin_;
  }

  /// Runs one request through the dispatcher, as the server would after reading it.
  static http::Response call(http::Verb verb, const std::string& target, const std::string& token,
                             const std::string& body = "",
                             std::string content_type = "application/json") {
    http::Request req;
    req.raw.method(verb);
    req.raw.target(target);
    req.raw.version(11);
    if (!token.empty()) req.raw.set(http::bhttp::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      req.raw.set(http::bhttp::field::content_type, content_type);
      req.raw.body() = body;
    }
    boost::asio::io_context io;
    // Database work completes from other threads: keep run() going until the answer.
    auto guard = boost::asio::make_work_guard(io);
    http::Response res;
    std::exception_ptr failure;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { res = co_await app_->dispatcher()(req); },
        [&](std::exception_ptr e) {
          failure = e;
          guard.reset();
        });
    io.run();
    if (failure) std::rethrow_exception(failure);
    return res;
  }

  static std::string login(const std::string& email, const std::string& password) {
    const auto res =
        call(http::Verb::post, "/auth/login", "", "username=" + email + "&password=" + password,
             "application/x-www-form-urlencoded");
    EXPECT_EQ(res.status, 200u) << res.body;
    return std::string(json::parse(res.body).at("access_token").as_string());
  }

  /// The route's pattern with every parameter filled in with a value of its declared type.
  static std::string sample_path(const http::Route& route) {
    std::string path;
    for (std::size_t i = 0; i < route.segments.size(); ++i) {
      path += '/';
      if (!route.is_param[i])
        path += route.segments[i];
      else
        path += route.doc.id_format == "uuid" ? "0b8e6a4e-2d2c-4f8e-9a51-3c1f8a7d9e01" : "1";
    }
    return path.empty() ? "/" : path;
  }

  static std::string name(const http::Route& route) {
    return std::string(http::bhttp::to_string(route.method)) + " " + route.pattern;
  }

  static inline App* app_ = nullptr;
  static inline std::string* dir_ = nullptr;
  static inline std::string* customer_ = nullptr;
  static inline std::string* admin_ = nullptr;
};

TEST_F(AccessTest, TheTableHasRoutesOfEveryAccessLevel) {
  int count[4] = {0, 0, 0, 0};
  for (const auto& r : app_->router().routes()) ++count[static_cast<int>(r.doc.access)];
  EXPECT_GT(count[static_cast<int>(Access::kPublic)], 5);
  EXPECT_GT(count[static_cast<int>(Access::kUser)], 3);
  EXPECT_GT(count[static_cast<int>(Access::kAdmin)], 15);
  EXPECT_EQ(count[static_cast<int>(Access::kMetrics)], 1);  // GET /metrics
}

TEST_F(AccessTest, EveryNonPublicRouteAnswers401WithoutAToken) {
  for (const auto& r : app_->router().routes()) {
    if (r.doc.access == Access::kPublic) continue;
    const auto res = call(r.method, sample_path(r), "");
    EXPECT_EQ(res.status, 401u) << name(r) << ": " << res.body;
  }
}

TEST_F(AccessTest, EveryNonPublicRouteAnswers401ToAForgedToken) {
  const std::string forged = *admin_ + "x";
  for (const auto& r : app_->router().routes()) {
    if (r.doc.access == Access::kPublic) continue;
    const auto res = call(r.method, sample_path(r), forged);
    EXPECT_EQ(res.status, 401u) << name(r) << ": " << res.body;
  }
}

TEST_F(AccessTest, EveryAdminRouteAnswers403ToACustomer) {
  for (const auto& r : app_->router().routes()) {
    if (r.doc.access != Access::kAdmin && r.doc.access != Access::kMetrics) continue;
    const auto res = call(r.method, sample_path(r), *customer_);
    EXPECT_EQ(res.status, 403u) << name(r) << ": " << res.body;
  }
}

TEST_F(AccessTest, EveryRouteLetsItsCallerThrough) {
  for (const auto& r : app_->router().routes()) {
    const bool admin = r.doc.access == Access::kAdmin || r.doc.access == Access::kMetrics;
    const auto& token = admin                           ? *admin_
                        : r.doc.access == Access::kUser ? *customer_
                                                        : std::string();
    const auto res = call(r.method, sample_path(r), token);
    EXPECT_NE(res.status, 401u) << name(r) << ": " << res.body;
    // A customer may be refused another user's data by the route's own rule, never by role.
    if (r.doc.access != Access::kUser) {
      EXPECT_NE(res.status, 403u) << name(r) << ": " << res.body;
    }
  }
}

TEST_F(AccessTest, StreamsTakeTheTokenFromTheQueryOnlyWhereDeclared) {
  int streams = 0;
  for (const auto& r : app_->router().routes()) {
    const auto res = call(r.method, sample_path(r) + "?access_token=" + *admin_, "");
    if (r.doc.query_token) {
      ++streams;
      EXPECT_EQ(res.status, 200u) << name(r) << ": " << res.body;
    } else if (r.doc.access != Access::kPublic) {
      EXPECT_EQ(res.status, 401u) << name(r) << ": " << res.body;
    }
  }
  EXPECT_EQ(streams, 3);
}

TEST_F(AccessTest, AnAdminFlagMakesAPublicRouteAdminOnly) {
  EXPECT_EQ(call(http::Verb::get, "/api/courses", "").status, 200u);
  EXPECT_EQ(call(http::Verb::get, "/api/courses?include_inactive=true", "").status, 401u);
  EXPECT_EQ(call(http::Verb::get, "/api/courses?include_inactive=true", *customer_).status, 403u);
  EXPECT_EQ(call(http::Verb::get, "/api/courses?include_inactive=true", *admin_).status, 200u);
}

TEST_F(AccessTest, RefusalsAreRenderedByTheRoutesSurface) {
  const auto fastapi = call(http::Verb::get, "/bookings/", "");
  EXPECT_EQ(json::parse(fastapi.body).at("detail"), "Not authenticated");
  const auto course = call(http::Verb::get, "/api/booking/pending", *customer_);
  const auto body = json::parse(course.body);
  EXPECT_EQ(body.at("success"), false);
  EXPECT_EQ(body.at("error").at("code"), "FORBIDDEN");
}

}  // namespace
}  // namespace janji
