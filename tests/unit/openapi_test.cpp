#include "app/openapi.hpp"
#include "app/app.hpp"
#include "infra/crypto/crypto.hpp"

#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
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
  EXPECT_EQ(hidden, (std::set<std::string>{"/admin", "/register", "/docs", "/assets/{name}"}));
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
  for (const auto& r : routes()) {
    const auto& op = operation(r);
    const auto& responses = op.at("responses").as_object();
    if (r.doc.access == http::Access::kPublic) {
      EXPECT_FALSE(op.contains("security")) << r.pattern;
      continue;
    }
    EXPECT_TRUE(op.contains("security")) << r.pattern;
    EXPECT_TRUE(responses.contains("401")) << r.pattern;
    if (r.doc.access == http::Access::kAdmin) {
      EXPECT_TRUE(responses.contains("403")) << r.pattern;
    }
  }
}

TEST_F(OpenApiTest, SuccessStatusIsDocumented) {
  for (const auto& r : routes()) {
    const auto& responses = operation(r).at("responses").as_object();
    EXPECT_TRUE(responses.contains(std::to_string(r.doc.status))) << r.pattern;
  }
}

TEST(PathParameters, ListsBracedSegmentsInOrder) {
  EXPECT_EQ(path_parameters("/packages/{package_id}/service-types/{service_type_id}"),
            (std::vector<std::string>{"package_id", "service_type_id"}));
  EXPECT_TRUE(path_parameters("/bookings/me").empty());
  EXPECT_TRUE(path_parameters("/").empty());
}

}  // namespace
}  // namespace janji
