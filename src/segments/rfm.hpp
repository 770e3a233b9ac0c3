#pragma once

#include "segments/dto.hpp"
#include "segments/kmeans.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace janji::segments {

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

}  // namespace janji::segments
