#include "core/json.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

namespace janji {
namespace {

namespace json = boost::json;

json::value element(int i, json::storage_ptr sp = {}) {
  // Escapes, non-ASCII text, nesting, and every few elements one far larger than the
  // scratch memory, so it spills onto the heap.
  return json::object({{"id", i},
                       {"name", "quote \" backslash \\ tab \t caf\xc3\xa9 \xe2\x82\xac"},
                       {"price", i * 0.5},
                       {"tags", json::array({"a", nullptr, true, -i})},
                       {"blob", std::string(i % 7 == 0 ? 10'000 : 3, 'x')}},
                      sp);
}

TEST(JsonArrayText, WritesWhatSerializingTheWholeArrayWrites) {
  json::array whole;
  JsonArrayText text;
  for (int i = 0; i < 50; ++i) {
    whole.push_back(element(i));
    text.add([i](json::storage_ptr sp) { return element(i, std::move(sp)); });
  }
  EXPECT_EQ(std::move(text).finish(), json::serialize(whole));
}

TEST(JsonArrayText, ExpectingMoreOrFewerElementsChangesNothingButRoom) {
  for (std::size_t expected : {0u, 1u, 3u, 1000u}) {
    JsonArrayText text;
    text.expect(expected);
    for (int i = 0; i < 3; ++i)
      text.add([i](json::storage_ptr sp) { return element(i, std::move(sp)); });
    EXPECT_EQ(std::move(text).finish(),
              json::serialize(json::array({element(0), element(1), element(2)})))
        << "expected " << expected;
  }
}

TEST(JsonArrayText, AnEmptyListIsAnEmptyArray) {
  EXPECT_EQ(JsonArrayText().finish(), "[]");
}

TEST(SerializeInto, AppendsToWhatIsThere) {
  std::string out = "prefix:";
  serialize_into(out, element(7));
  EXPECT_EQ(out, "prefix:" + json::serialize(element(7)));
}

}  // namespace
}  // namespace janji
