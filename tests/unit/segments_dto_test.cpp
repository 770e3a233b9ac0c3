#include "segments/dto.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

namespace janji::segments {
namespace {

TEST(SegmentsJsonText, WritesSeedFieldsWithTwoDecimalMonetaryString) {
  SegmentItem item{{7, "Lia", 3, 2, 150'000'000}, 0, "Loyal"};
  EXPECT_EQ(to_json_text({item}),
            R"([{"user_id":7,"name":"Lia","recency":3,"frequency":2,"monetary":"1500000.00",)"
            R"("cluster":0,"customer_segment":"Loyal"}])");
}

TEST(SegmentsJsonText, NoItemsIsAnEmptyArray) {
  EXPECT_EQ(to_json_text({}), "[]");
}

TEST(SegmentsJsonText, NamesAreJsonEscaped) {
  const std::string name = "Andi \"Putri\"\\ \n\t\x01 Énd";
  SegmentItem item{{1, name, 0, 1, 100}, 2, "Potensial"};
  const auto v = boost::json::parse(to_json_text({item, item}));
  ASSERT_EQ(v.as_array().size(), 2u);
  EXPECT_EQ(v.as_array()[0].as_object().at("name").as_string(), name);
  EXPECT_EQ(v.as_array()[1].as_object().at("customer_segment").as_string(), "Potensial");
}

TEST(SegmentsJsonText, LargeIntegersAndMaxMoneyRoundTrip) {
  SegmentItem item{{9'007'199'254'740'993, "x", 0, 123'456'789, 999'999'999'999}, 1, "Aktif"};
  const auto v = boost::json::parse(to_json_text({item}));
  const auto& o = v.as_array()[0].as_object();
  EXPECT_EQ(o.at("user_id").as_int64(), 9'007'199'254'740'993);
  EXPECT_EQ(o.at("frequency").as_int64(), 123'456'789);
  EXPECT_EQ(o.at("monetary").as_string(), "9999999999.99");
}

TEST(SegmentsJsonText, SubUnitAmountsKeepTwoDecimals) {
  SegmentItem item{{1, "A", 0, 1, 5}, 3, "Pasif"};
  const auto v = boost::json::parse(to_json_text({item}));
  EXPECT_EQ(v.as_array()[0].as_object().at("monetary").as_string(), "0.05");
}

TEST(SegmentsJsonText, IsTheSerialisedArrayOfEachItemsJson) {
  const std::vector<SegmentItem> items = {{{1, "Ani", 4, 2, 12'345}, 0, "Loyal"},
                                          {{2, "B\"o", 90, 1, 0}, 3, "Pasif"}};
  boost::json::array tree;
  for (const auto& item : items) tree.push_back(to_json(item));
  EXPECT_EQ(to_json_text(items), boost::json::serialize(tree));
}

}  // namespace
}  // namespace janji::segments
