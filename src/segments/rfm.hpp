#pragma once

#include "core/money.hpp"
#include "segments/kmeans.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace janji::segments {

/// One customer's aggregates, as the store computes them from non-cancelled bookings.
struct CustomerRfm {
  std::int64_t user_id = 0;
  std::string name;
  long long recency = 0;    // whole days since the last booking
  long long frequency = 0;  // bookings
  Money monetary = 0;       // sum of price_locked
};

struct SegmentItem {
  CustomerRfm customer;
  int cluster = 0;  // rank: 0 = Loyal … 3 = Pasif
  std::string_view segment;
};

inline constexpr int kClusters = 4;
inline constexpr std::array<std::string_view, kClusters> kSegmentNames = {"Loyal", "Aktif",
                                                                          "Potensial", "Pasif"};
inline constexpr int kRestarts = 10;
inline constexpr std::uint64_t kSeed = 20240601;

/// log1p of recency, frequency and monetary, each standardised to mean 0 and (population)
/// standard deviation 1; a feature without variance becomes 0.
std::vector<Point> standardised_features(const std::vector<CustomerRfm>& customers);

/// Ranks clusters best to worst by value = frequency + monetary − recency of the centre (in
/// standardised units); the result maps a k-means label to its rank.
std::vector<int> rank_clusters(const std::vector<Point>& centroids);

/// Clusters customers into the four named segments; `customers` must hold at least four.
/// Deterministic: the same customers (in any order) give the same result, ordered by user id.
std::vector<SegmentItem> segment_customers(std::vector<CustomerRfm> customers);

/// The SegmentItem list as seed 004 writes it (monetary as a two-decimal string).
std::string segments_json(const std::vector<SegmentItem>& items);

}  // namespace janji::segments
