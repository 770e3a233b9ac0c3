#include "segments/kmeans.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <thread>

namespace janji::segments {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double squared_distance(const Point& a, const Point& b) {
  const double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return dx * dx + dy * dy + dz * dz;
}

namespace {

std::size_t pick_index(Rng& rng, std::size_t n) {
  return static_cast<std::size_t>(rng.uniform() * static_cast<double>(n)) % n;
}

// k-means++: each next centre is drawn with probability proportional to its squared
// distance from the nearest centre chosen so far.
std::vector<Point> seed_centres(const std::vector<Point>& pts, int k, Rng& rng) {
  std::vector<Point> centres;
  centres.reserve(k);
  centres.push_back(pts[pick_index(rng, pts.size())]);
  std::vector<double> nearest(pts.size(), std::numeric_limits<double>::max());
  while (static_cast<int>(centres.size()) < k) {
    double total = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      nearest[i] = std::min(nearest[i], squared_distance(pts[i], centres.back()));
      total += nearest[i];
    }
    if (total <= 0) {
      // Every point sits on a centre already; any point will do.
      centres.push_back(pts[pick_index(rng, pts.size())]);
      continue;
    }
    double target = rng.uniform() * total;
    std::size_t chosen = pts.size() - 1;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      target -= nearest[i];
      if (target < 0) {
        chosen = i;
        break;
      }
    }
    centres.push_back(pts[chosen]);
  }
  return centres;
}

KMeansResult lloyd(const std::vector<Point>& pts, std::vector<Point> centres, int max_iterations,
                   double tolerance) {
  const int k = static_cast<int>(centres.size());
  std::vector<int> labels(pts.size(), -1);
  for (int iter = 0; iter < max_iterations; ++iter) {
    bool changed = false;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      int best = 0;
      double best_d = squared_distance(pts[i], centres[0]);
      for (int c = 1; c < k; ++c) {
        const double d = squared_distance(pts[i], centres[c]);
        if (d < best_d) {
          best_d = d;
          best = c;
        }
      }
      if (labels[i] != best) {
        labels[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    std::vector<Point> sums(k, Point{0, 0, 0});
    std::vector<std::size_t> counts(k, 0);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      for (int d = 0; d < 3; ++d) sums[labels[i]][d] += pts[i][d];
      ++counts[labels[i]];
    }
    double shift = 0;
    for (int c = 0; c < k; ++c) {
      if (counts[c] == 0) continue;  // an empty cluster keeps its centre
      Point moved;
      for (int d = 0; d < 3; ++d) moved[d] = sums[c][d] / static_cast<double>(counts[c]);
      shift += squared_distance(moved, centres[c]);
      centres[c] = moved;
    }
    // As scikit-learn does: stop once the centres barely move (relative to the data's
    // spread); the labels are then re-assigned to the final centres below.
    if (shift <= tolerance) break;
  }
  KMeansResult r{std::move(labels), std::move(centres), 0};
  for (std::size_t i = 0; i < pts.size(); ++i) {
    int best = 0;
    double best_d = squared_distance(pts[i], r.centroids[0]);
    for (int c = 1; c < k; ++c) {
      const double d = squared_distance(pts[i], r.centroids[c]);
      if (d < best_d) {
        best_d = d;
        best = c;
      }
    }
    r.labels[i] = best;
    r.inertia += best_d;
  }
  return r;
}

double mean_variance(const std::vector<Point>& pts) {
  double total = 0;
  for (int d = 0; d < 3; ++d) {
    double mean = 0, var = 0;
    for (const auto& p : pts) mean += p[d];
    mean /= static_cast<double>(pts.size());
    for (const auto& p : pts) var += (p[d] - mean) * (p[d] - mean);
    total += var / static_cast<double>(pts.size());
  }
  return total / 3;
}

}  // namespace

KMeansResult kmeans(const std::vector<Point>& points, int k, int restarts, std::uint64_t seed,
                    int max_iterations) {
  if (k < 1 || points.size() < static_cast<std::size_t>(k))
    throw std::invalid_argument("k-means needs at least k points");
  restarts = std::max(1, restarts);
  // Each restart gets its own generator, seeded in order from the master seed, so the
  // restarts can run in parallel and still give the same answer.
  Rng master(seed);
  std::vector<std::uint64_t> seeds(restarts);
  for (auto& s : seeds) s = master.next();
  const double tolerance = 1e-4 * mean_variance(points);

  std::vector<KMeansResult> results(restarts);
  auto run = [&](int r) {
    Rng rng(seeds[r]);
    results[r] = lloyd(points, seed_centres(points, k, rng), max_iterations, tolerance);
  };
  // Small inputs are not worth a thread.
  const unsigned workers =
      points.size() < 5000 ? 1u
                           : std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()),
                                                static_cast<unsigned>(restarts));
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w)
    threads.emplace_back([&, w] {
      for (int r = static_cast<int>(w); r < restarts; r += static_cast<int>(workers)) run(r);
    });
  for (int r = 0; r < restarts; r += static_cast<int>(workers)) run(r);
  for (auto& t : threads) t.join();

  std::size_t best = 0;
  for (std::size_t r = 1; r < results.size(); ++r)
    if (results[r].inertia < results[best].inertia) best = r;
  return std::move(results[best]);
}

}  // namespace janji::segments
