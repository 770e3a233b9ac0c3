#include "infra/logging.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <stdexcept>
#include <string>

namespace janji {
namespace {

namespace json = boost::json;

TEST(LogFormat, TextAndJsonOnly) {
  EXPECT_EQ(parse_log_format("text"), LogFormat::kText);
  EXPECT_EQ(parse_log_format("json"), LogFormat::kJson);
  EXPECT_THROW(parse_log_format("JSON"), std::invalid_argument);
  EXPECT_THROW(parse_log_format(""), std::invalid_argument);
}

TEST(JsonLogLine, AMessageIsOneEscapedField) {
  const auto line = json_log_line("2026-12-06T03:31:18.123Z", "warning",
                                  "quote \" backslash \\ newline \n tab \t bell \x07", "");
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one object per line";
  const auto v = json::parse(line).as_object();
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.at("time"), "2026-12-06T03:31:18.123Z");
  EXPECT_EQ(v.at("level"), "warning");
  EXPECT_EQ(v.at("message"), "quote \" backslash \\ newline \n tab \t bell \x07");
}

TEST(JsonLogLine, ARequestIsFieldsOfItsOwn) {
  const auto fields = request_fields(RequestLine{.method = "GET",
                                                 .path = "/bookings/\"x\"",
                                                 .status = 404,
                                                 .ms = 1.256,
                                                 .request_id = "abc123",
                                                 .client = "127.0.0.1",
                                                 .stream = false});
  const auto v = json::parse(json_log_line("t", "info", "", fields)).as_object();
  EXPECT_EQ(v.at("time"), "t");
  EXPECT_EQ(v.at("level"), "info");
  EXPECT_EQ(v.at("method"), "GET");
  EXPECT_EQ(v.at("path"), "/bookings/\"x\"");
  EXPECT_EQ(v.at("status").to_number<int>(), 404);
  EXPECT_DOUBLE_EQ(v.at("ms").to_number<double>(), 1.26);
  EXPECT_EQ(v.at("request_id"), "abc123");
  EXPECT_EQ(v.at("client"), "127.0.0.1");
  EXPECT_FALSE(v.contains("stream"));
  EXPECT_FALSE(v.contains("message"));
}

TEST(JsonLogLine, AStreamSaysSo) {
  const auto fields = request_fields(
      RequestLine{.method = "GET", .path = "/events", .status = 200, .stream = true});
  const auto v = json::parse(json_log_line("t", "info", "", fields)).as_object();
  EXPECT_EQ(v.at("stream"), true);
  EXPECT_EQ(v.at("ms").to_number<double>(), 0.0);
}

}  // namespace
}  // namespace janji
