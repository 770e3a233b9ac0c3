#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace janji::segments {

using Point = std::array<double, 3>;

struct KMeansResult {
  std::vector<int> labels;       // cluster of each point
  std::vector<Point> centroids;  // k of them
  double inertia = 0;            // sum of squared distances to the assigned centroid
};

/// A small deterministic generator (SplitMix64): the same seed gives the same sequence on
/// every platform, which std's distributions do not promise.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

/// Lloyd's k-means with k-means++ seeding, `restarts` times (each with a generator seeded
/// from `seed`; large inputs run restarts on several threads); keeps the run with the
/// lowest inertia (the first on ties). A run stops when no label changes or the centres
/// move less than 1e-4 of the data's mean variance. Deterministic for a given input, k,
/// restarts and seed. Requires points.size() >= k >= 1.
KMeansResult kmeans(const std::vector<Point>& points, int k, int restarts, std::uint64_t seed,
                    int max_iterations = 300);

double squared_distance(const Point& a, const Point& b);

}  // namespace janji::segments
