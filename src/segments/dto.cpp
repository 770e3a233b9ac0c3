#include "segments/dto.hpp"

#include "core/json.hpp"

#include <boost/json/object.hpp>

namespace janji::segments {

boost::json::value to_json(const SegmentItem& item, boost::json::storage_ptr sp) {
  return boost::json::object({{"user_id", item.customer.user_id},
                              {"name", item.customer.name},
                              {"recency", item.customer.recency},
                              {"frequency", item.customer.frequency},
                              {"monetary", format_money(item.customer.monetary)},
                              {"cluster", item.cluster},
                              {"customer_segment", item.segment}},
                             sp);
}

std::string to_json_text(const std::vector<SegmentItem>& items) {
  JsonArrayText text;
  text.expect(items.size());
  for (const auto& item : items)
    text.add([&item](boost::json::storage_ptr sp) { return to_json(item, std::move(sp)); });
  return std::move(text).finish();
}

}  // namespace janji::segments
