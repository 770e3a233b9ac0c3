#pragma once

#include "core/money.hpp"

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace janji::segments {

/// The event stream of this domain (the event log's `stream`, the SSE stream).
inline constexpr std::string_view kStream = "segments";

/// One customer's aggregates, as the store computes them from non-cancelled bookings.
struct CustomerRfm {
  std::int64_t user_id = 0;
  std::string name;
  long long recency = 0;    // whole days since the last booking
  long long frequency = 0;  // bookings
  Money monetary = 0;       // sum of price_locked
};

/// A customer and the segment the clustering put them in.
struct SegmentItem {
  CustomerRfm customer;
  int cluster = 0;  // rank: 0 = Loyal … 3 = Pasif
  std::string_view segment;
};

/// SegmentItem as seed 004 writes it (monetary as a two-decimal string).
boost::json::value to_json(const SegmentItem& item, boost::json::storage_ptr sp = {});
/// The SegmentItem list as GET /segments/ answers it, written one item at a time: 100,000
/// customers would otherwise cost a tree of a few hundred thousand small allocations.
std::string to_json_text(const std::vector<SegmentItem>& items);

}  // namespace janji::segments
