#include "segments/rfm.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace janji::segments {

std::vector<Point> standardised_features(const std::vector<CustomerRfm>& customers) {
  const auto n = customers.size();
  std::vector<Point> pts(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = customers[i];
    pts[i] = {std::log1p(static_cast<double>(std::max(0LL, c.recency))),
              std::log1p(static_cast<double>(c.frequency)),
              std::log1p(static_cast<double>(c.monetary) / 100.0)};
  }
  for (int d = 0; d < 3; ++d) {
    double mean = 0;
    for (const auto& p : pts) mean += p[d];
    mean /= static_cast<double>(std::max<std::size_t>(1, n));
    double var = 0;
    for (const auto& p : pts) var += (p[d] - mean) * (p[d] - mean);
    var /= static_cast<double>(std::max<std::size_t>(1, n));
    const double sd = std::sqrt(var);
    for (auto& p : pts) p[d] = sd > 1e-12 ? (p[d] - mean) / sd : 0.0;
  }
  return pts;
}

std::vector<int> rank_clusters(const std::vector<Point>& centroids) {
  const int k = static_cast<int>(centroids.size());
  std::vector<int> order(k);
  std::iota(order.begin(), order.end(), 0);
  auto value = [&](int c) { return centroids[c][1] + centroids[c][2] - centroids[c][0]; };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return value(a) > value(b); });
  std::vector<int> rank(k);
  for (int r = 0; r < k; ++r) rank[order[r]] = r;
  return rank;
}

std::vector<SegmentItem> segment_customers(std::vector<CustomerRfm> customers) {
  if (customers.size() < static_cast<std::size_t>(kClusters))
    throw std::invalid_argument("segmentation needs at least four customers");
  std::sort(customers.begin(), customers.end(),
            [](const auto& a, const auto& b) { return a.user_id < b.user_id; });
  const auto pts = standardised_features(customers);
  const auto km = kmeans(pts, kClusters, kRestarts, kSeed);
  const auto rank = rank_clusters(km.centroids);
  std::vector<SegmentItem> out;
  out.reserve(customers.size());
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const int r = rank[km.labels[i]];
    out.push_back({std::move(customers[i]), r, kSegmentNames[r]});
  }
  return out;
}

}  // namespace janji::segments
