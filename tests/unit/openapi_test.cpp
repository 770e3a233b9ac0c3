#include "app/openapi.hpp"
#include "app/app.hpp"
#include "infra/crypto/crypto.hpp"

#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

namespace janji {
namespace {

namespace json = boost::json;

const std::set<std::string> kHttpMethods{"get",     "put",  "post",  "delete",
                                         "options", "head", "patch", "trace"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// The `{name}` segments of a pattern, read independently of openapi.cpp's helper.
std::vector<std::string> braces(const std::string& pattern) {
  std::vector<std::string> out;
  for (std::size_t open = pattern.find('{'); open != std::string::npos;
       open = pattern.find('{', open + 1)) {
    const auto close = pattern.find('}', open);
    if (close == std::string::npos) break;
    out.push_back(pattern.substr(open + 1, close - open - 1));
  }
  return out;
}

void collect_refs(const json::value& v, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (kv.key() == "$ref" && kv.value().is_string()) out.emplace_back(kv.value().get_string());
      collect_refs(kv.value(), out);
    }
  } else if (v.is_array()) {
    for (const auto& e : v.get_array()) collect_refs(e, out);
  }
}

class OpenApiTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::init();
    Config config;
    config.database_url = "sqlite://:memory:";
    config.secret_key = std::string(64, 'k');
    config.db_threads = 1;
    config.hash_threads = 1;
    app_ = new App(std::move(config));
    doc_ = new json::value(build_openapi(app_->router()));
    documented_ = new std::vector<http::Route>;
    for (const auto& r : app_->router().routes())
      if (r.doc.in_openapi) documented_->push_back(r);
  }
  static void TearDownTestSuite() {
    delete documented_;
    delete doc_;
    delete app_;
    documented_ = nullptr;
    doc_ = nullptr;
    app_ = nullptr;
  }

  /// The routes /openapi.json describes: all but the web pages.
  static const std::vector<http::Route>& routes() { return *documented_; }
  static const json::object& paths() { return doc_->at("paths").as_object(); }
  static const json::object& operation(const http::Route& r) {
    return paths().at(r.pattern).at(lower(http::bhttp::to_string(r.method))).as_object();
  }

  static App* app_;
  static json::value* doc_;
  static std::vector<http::Route>* documented_;
};

App* OpenApiTest::app_ = nullptr;
json::value* OpenApiTest::doc_ = nullptr;
std::vector<http::Route>* OpenApiTest::documented_ = nullptr;

TEST_F(OpenApiTest, AppDeclaresRoutes) {
  EXPECT_GT(routes().size(), 5u);
  EXPECT_EQ(doc_->at("openapi"), "3.1.0");
}

TEST_F(OpenApiTest, WebPagesAreRoutedButNotDocumented) {
  std::set<std::string> hidden;
  for (const auto& r : app_->router().routes())
    if (!r.doc.in_openapi) hidden.insert(r.pattern);
  EXPECT_EQ(hidden, (std::set<std::string>{"/admin", "/register", "/register/status", "/docs",
                                           "/assets/{name}"}));
  for (const auto& p : hidden) EXPECT_FALSE(paths().contains(p)) << p;
}

TEST_F(OpenApiTest, EveryRouteHasExactlyOneOperation) {
  for (const auto& r : routes()) {
    const auto method = lower(http::bhttp::to_string(r.method));
    const auto* item = paths().if_contains(r.pattern);
    ASSERT_NE(item, nullptr) << "no path item for " << r.pattern;
    EXPECT_NE(item->as_object().if_contains(method), nullptr) << method << ' ' << r.pattern;
  }
}

TEST_F(OpenApiTest, EveryOperationIsARoute) {
  std::set<std::pair<std::string, std::string>> declared;
  for (const auto& r : routes())
    declared.emplace(lower(http::bhttp::to_string(r.method)), r.pattern);
  std::size_t operations = 0;
  for (const auto& [path, item] : paths()) {
    for (const auto& [method, op] : item.as_object()) {
      ++operations;
      EXPECT_TRUE(kHttpMethods.count(std::string(method))) << "not a method: " << method;
      EXPECT_TRUE(declared.count({std::string(method), std::string(path)}))
          << method << ' ' << path << " is documented but not routed";
    }
  }
  EXPECT_EQ(operations, routes().size());
}

TEST_F(OpenApiTest, OperationIdsAreUnique) {
  std::set<std::string> ids;
  for (const auto& r : routes()) {
    const auto& op = operation(r);
    ASSERT_TRUE(op.contains("operationId"));
    EXPECT_TRUE(ids.insert(std::string(op.at("operationId").as_string())).second)
        << op.at("operationId");
  }
}

TEST_F(OpenApiTest, EveryRouteHasATagAndASummary) {
  for (const auto& r : routes()) {
    EXPECT_FALSE(r.doc.tag.empty()) << r.pattern;
    EXPECT_FALSE(r.doc.summary.empty()) << r.pattern;
    const auto& op = operation(r);
    ASSERT_EQ(op.at("tags").as_array().size(), 1u);
    EXPECT_FALSE(op.at("tags").as_array()[0].as_string().empty()) << r.pattern;
    EXPECT_FALSE(op.at("summary").as_string().empty()) << r.pattern;
  }
}

TEST_F(OpenApiTest, EveryRefResolvesInComponentsSchemas) {
  std::vector<std::string> refs;
  collect_refs(*doc_, refs);
  ASSERT_FALSE(refs.empty());
  const auto& schemas = doc_->at("components").at("schemas").as_object();
  constexpr std::string_view kPrefix = "#/components/schemas/";
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind(kPrefix, 0), 0u) << ref;
    EXPECT_TRUE(schemas.contains(ref.substr(kPrefix.size()))) << "unresolved " << ref;
  }
}

TEST_F(OpenApiTest, EveryPathParameterIsDeclaredInPath) {
  for (const auto& r : routes()) {
    const auto names = braces(r.pattern);
    const auto& op = operation(r);
    const auto* params = op.if_contains("parameters");
    for (const auto& name : names) {
      ASSERT_NE(params, nullptr) << r.pattern << " declares no parameters";
      const auto& list = params->as_array();
      const bool found = std::any_of(list.begin(), list.end(), [&](const json::value& p) {
        return p.at("name").as_string() == name && p.at("in") == "path" && p.at("required") == true;
      });
      EXPECT_TRUE(found) << name << " of " << r.pattern;
    }
    // And no path parameter the pattern does not have.
    if (params) {
      for (const auto& p : params->as_array()) {
        if (p.at("in") != "path") continue;
        const std::string n(p.at("name").as_string());
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end())
            << n << " in " << r.pattern;
      }
    }
  }
}

TEST_F(OpenApiTest, EveryRouteWithARequestSchemaHasARequestBody) {
  std::size_t with_body = 0;
  for (const auto& r : routes()) {
    const auto& op = operation(r);
    if (r.doc.request_schema.empty()) {
      EXPECT_FALSE(op.contains("requestBody")) << r.pattern;
      continue;
    }
    ++with_body;
    ASSERT_TRUE(op.contains("requestBody")) << r.pattern;
    const auto& content = op.at("requestBody").at("content").as_object();
    EXPECT_TRUE(content.contains("application/json")) << r.pattern;
    EXPECT_TRUE(openapi_schemas().contains(r.doc.request_schema)) << r.doc.request_schema;
  }
  EXPECT_GT(with_body, 0u);
}

TEST_F(OpenApiTest, EverySchemaNamedByARouteExists) {
  for (const auto& r : routes()) {
    auto name = r.doc.response_schema;
    if (name.size() > 2 && name.front() == '[') name = name.substr(1, name.size() - 2);
    if (!name.empty()) {
      EXPECT_TRUE(openapi_schemas().contains(name)) << name << " for " << r.pattern;
    }
  }
}

TEST_F(OpenApiTest, ProtectedRoutesDocumentSecurityAnd401) {
  const auto& schemes = doc_->at("components").at("securitySchemes").as_object();
  std::size_t public_ops = 0;
  for (const auto& r : routes()) {
    const auto& op = operation(r);
    const auto& responses = op.at("responses").as_object();
    ASSERT_TRUE(op.contains("security")) << r.pattern;
    const auto& security = op.at("security").as_array();
    if (r.doc.access == http::Access::kPublic) {
      // An explicit empty list: "no credentials", whatever a default would say.
      EXPECT_TRUE(security.empty()) << r.pattern;
      ++public_ops;
      continue;
    }
    ASSERT_EQ(security.size(), 1u) << r.pattern;
    for (const auto& [scheme, scopes] : security[0].as_object())
      EXPECT_TRUE(schemes.contains(scheme)) << scheme << " of " << r.pattern;
    EXPECT_TRUE(responses.contains("401")) << r.pattern;
    if (r.doc.access == http::Access::kAdmin || r.doc.access == http::Access::kMetrics) {
      EXPECT_TRUE(responses.contains("403")) << r.pattern;
    }
  }
}

TEST_F(OpenApiTest, PublicOperationsIncludeLoginAndHealth) {
  EXPECT_TRUE(paths().at("/auth/login").at("post").at("security").as_array().empty());
  EXPECT_TRUE(paths().at("/health").at("get").at("security").as_array().empty());
  EXPECT_FALSE(paths().at("/auth/me").at("get").at("security").as_array().empty());
}

TEST_F(OpenApiTest, PathParametersAreTypedByIdFormat) {
  const json::value uuid = json::object{{"type", "string"}, {"format", "uuid"}};
  const json::value integer = json::object{{"type", "integer"}};
  const json::value date = json::object{{"type", "string"}, {"format", "date"}};
  std::size_t uuid_params = 0, integer_params = 0, date_params = 0;
  for (const auto& r : routes()) {
    const auto* params = operation(r).if_contains("parameters");
    if (!params) continue;
    for (const auto& p : params->as_array()) {
      if (p.at("in") != "path") continue;
      if (r.doc.id_format == "uuid") {
        EXPECT_EQ(p.at("schema"), uuid) << r.pattern;
        ++uuid_params;
      } else if (r.doc.id_format == "date") {
        EXPECT_EQ(p.at("schema"), date) << r.pattern;
        ++date_params;
      } else {
        EXPECT_EQ(p.at("schema"), integer) << r.pattern;
        ++integer_params;
      }
    }
  }
  EXPECT_GT(uuid_params, 0u);
  EXPECT_GT(integer_params, 0u);
  EXPECT_EQ(date_params, 2u);  // PUT and DELETE /calendar/{date}
  const auto& course = paths().at("/api/courses/{id}").at("get").at("parameters").as_array();
  EXPECT_EQ(course[0].at("schema"), uuid);
  const auto& booking = paths().at("/bookings/{booking_id}").at("get").at("parameters").as_array();
  EXPECT_EQ(booking[0].at("schema"), integer);
}

TEST_F(OpenApiTest, SeedPathsKeepTheirTrailingSlash) {
  EXPECT_TRUE(paths().at("/bookings/").as_object().contains("get"));
  EXPECT_TRUE(paths().at("/bookings/").as_object().contains("post"));
  EXPECT_TRUE(paths().at("/segments/").as_object().contains("get"));
  EXPECT_FALSE(paths().contains("/bookings"));
  EXPECT_FALSE(paths().contains("/segments"));
}

TEST_F(OpenApiTest, OperationIdsAreSnakeCaseMethodAndPath) {
  for (const auto& r : routes()) {
    const std::string id(operation(r).at("operationId").as_string());
    const auto method = lower(http::bhttp::to_string(r.method));
    EXPECT_EQ(id.rfind(method + "_", 0), 0u) << id << " for " << r.pattern;
    EXPECT_TRUE(std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    })) << id;
    EXPECT_EQ(id.find("__"), std::string::npos) << id;
    EXPECT_NE(id.back(), '_') << id;
  }
  EXPECT_EQ(paths().at("/bookings/me").at("get").at("operationId"), "get_bookings_me");
  EXPECT_EQ(paths().at("/api/booking/register-course").at("post").at("operationId"),
            "post_api_booking_register_course");
}

TEST_F(OpenApiTest, EveryTagIsDescribed) {
  std::map<std::string, std::string> described;
  for (const auto& t : doc_->at("tags").as_array())
    described[std::string(t.at("name").as_string())] = t.at("description").as_string();
  for (const auto& r : routes()) {
    ASSERT_TRUE(described.count(r.doc.tag)) << r.doc.tag;
    EXPECT_FALSE(described[r.doc.tag].empty()) << r.doc.tag;
  }
}

TEST_F(OpenApiTest, EveryOperationDocumentsAClientError) {
  for (const auto& r : routes()) {
    const auto& responses = operation(r).at("responses").as_object();
    const bool any = std::any_of(responses.begin(), responses.end(),
                                 [](const auto& kv) { return kv.key().starts_with("4"); });
    EXPECT_TRUE(any) << r.pattern;
  }
}

TEST_F(OpenApiTest, ErrorsAreDescribedInTheSchemaTheirSurfaceRenders) {
  std::size_t envelope_routes = 0;
  for (const auto& r : routes()) {
    const bool envelope = r.pattern.rfind("/api/", 0) == 0;
    envelope_routes += envelope;
    for (const auto& [status, response] : operation(r).at("responses").as_object()) {
      if (status.starts_with("2")) continue;
      const auto& ref = response.at("content").at("application/json").at("schema").at("$ref");
      if (envelope) {
        EXPECT_EQ(ref, "#/components/schemas/Envelope") << status << ' ' << r.pattern;
        EXPECT_NE(status, "422") << r.pattern << ": the course API answers 400 to bad input";
      } else {
        EXPECT_NE(ref, "#/components/schemas/Envelope") << status << ' ' << r.pattern;
      }
    }
  }
  EXPECT_GT(envelope_routes, 0u);
}

/// Two paths one request could match: as long, and equal wherever neither has a `{param}`
/// (Redocly's no-ambiguous-paths, which web/redocly.yaml leaves to this test).
bool ambiguous(const std::string& a, const std::string& b) {
  const auto pa = http::split_path(a), pb = http::split_path(b);
  if (pa.size() != pb.size()) return false;
  std::size_t va = 0, vb = 0;
  for (std::size_t i = 0; i < pa.size(); ++i) {
    const bool a_var = pa[i].starts_with('{'), b_var = pb[i].starts_with('{');
    va += a_var;
    vb += b_var;
    if (!a_var && !b_var && pa[i] != pb[i]) return false;
  }
  return va == vb;
}

TEST_F(OpenApiTest, OnlySeed000sPathsAreAmbiguous) {
  EXPECT_TRUE(ambiguous("/a/{x}/c", "/a/b/{y}"));
  EXPECT_FALSE(ambiguous("/bookings/me", "/bookings/{booking_id}"));
  std::set<std::pair<std::string, std::string>> found;
  for (const auto& [a, ia] : paths())
    for (const auto& [b, ib] : paths())
      if (a < b && ambiguous(a, b)) found.emplace(a, b);
  // The course API's own URLs (seed 000), and the waitlist beside confirm and reject; the
  // router's literal-first rule and their different methods keep them apart.
  EXPECT_EQ(found, (std::set<std::pair<std::string, std::string>>{
                       {"/api/bookings/user/{userId}", "/api/bookings/{id}/confirm"},
                       {"/api/bookings/user/{userId}", "/api/bookings/{id}/reject"},
                       {"/api/bookings/user/{userId}", "/api/bookings/{id}/waitlist"}}));
}

TEST_F(OpenApiTest, DocumentNamesItsServerAndLicense) {
  EXPECT_EQ(doc_->at("servers").at(0).at("url"), "/");
  EXPECT_FALSE(doc_->at("info").at("license").at("identifier").as_string().empty());
}

TEST_F(OpenApiTest, SuccessStatusIsDocumented) {
  for (const auto& r : routes()) {
    const auto& responses = operation(r).at("responses").as_object();
    EXPECT_TRUE(responses.contains(std::to_string(r.doc.status))) << r.pattern;
  }
}

TEST(OperationId, IsTheMethodAndThePathInSnakeCase) {
  EXPECT_EQ(operation_id("GET", "/bookings/me"), "get_bookings_me");
  EXPECT_EQ(operation_id("POST", "/api/booking/register-course"),
            "post_api_booking_register_course");
  EXPECT_EQ(operation_id("GET", "/bookings/{booking_id}"), "get_bookings_booking_id");
  EXPECT_EQ(operation_id("GET", "/api/bookings/user/{userId}"), "get_api_bookings_user_user_id");
  EXPECT_EQ(operation_id("GET", "/openapi.json"), "get_openapi_json");
  EXPECT_EQ(operation_id("DELETE", "/"), "delete_root");
}

TEST(OperationId, IgnoresTheTrailingSlashTheRouterIgnores) {
  EXPECT_EQ(operation_id("POST", "/bookings/"), "post_bookings");
  EXPECT_EQ(operation_id("POST", "/bookings/"), operation_id("POST", "/bookings"));
}

TEST(PathParameters, ListsBracedSegmentsInOrder) {
  EXPECT_EQ(path_parameters("/packages/{package_id}/service-types/{service_type_id}"),
            (std::vector<std::string>{"package_id", "service_type_id"}));
  EXPECT_TRUE(path_parameters("/bookings/me").empty());
  EXPECT_TRUE(path_parameters("/").empty());
}

}  // namespace
}  // namespace janji
