#include "segments/kmeans.hpp"
#include "segments/rfm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <set>
#include <stdexcept>
#include <vector>

namespace janji::segments {
namespace {

/// A standard normal draw (Box–Muller) from the project's own generator, so the data are the
/// same on every platform.
double gaussian(Rng& rng) {
  const double u1 = 1.0 - rng.uniform();  // (0, 1]: log(u1) is finite
  const double u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

constexpr int kBlobs = 4;
constexpr int kPerBlob = 50;

/// Four Gaussian blobs (sd 1) of 50 points around centres 100 apart; point i belongs to
/// blob i / 50.
std::vector<Point> four_blobs() {
  const Point centres[kBlobs] = {{0, 0, 0}, {100, 0, 0}, {0, 100, 0}, {0, 0, 100}};
  Rng rng(7);
  std::vector<Point> pts;
  for (const auto& c : centres)
    for (int i = 0; i < kPerBlob; ++i)
      pts.push_back({c[0] + gaussian(rng), c[1] + gaussian(rng), c[2] + gaussian(rng)});
  return pts;
}

std::vector<Point> uniform_points(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Point> pts(n);
  for (auto& p : pts) p = {rng.uniform(), rng.uniform(), rng.uniform()};
  return pts;
}

double inertia_of(const std::vector<Point>& pts, const KMeansResult& r) {
  double sum = 0;
  for (std::size_t i = 0; i < pts.size(); ++i)
    sum += squared_distance(pts[i], r.centroids[static_cast<std::size_t>(r.labels[i])]);
  return sum;
}

TEST(Rng, SameSeedGivesSameSequence) {
  Rng a(12345), b(12345), c(12346);
  bool differs_from_other_seed = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    if (x != c.next()) differs_from_other_seed = true;
  }
  EXPECT_TRUE(differs_from_other_seed);
}

TEST(Rng, MatchesSplitMix64ReferenceVector) {
  // The published SplitMix64 outputs for seed 0: the sequence is pinned across platforms.
  Rng rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.next(), 0x06C45D188009454FULL);
}

TEST(Rng, UniformStaysInHalfOpenUnitIntervalAndCoversIt) {
  Rng rng(42);
  double lo = 1, hi = 0, sum = 0;
  constexpr int kDraws = 100000;
  int below_half = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
    if (u < 0.5) ++below_half;
  }
  EXPECT_LT(lo, 0.001);
  EXPECT_GT(hi, 0.999);
  EXPECT_NEAR(sum / kDraws, 0.5, 0.01);
  EXPECT_NEAR(static_cast<double>(below_half) / kDraws, 0.5, 0.01);
}

TEST(KMeans, SquaredDistanceIsSumOfSquaredDifferences) {
  EXPECT_DOUBLE_EQ(squared_distance({0, 0, 0}, {1, 2, 2}), 9.0);
  EXPECT_DOUBLE_EQ(squared_distance({1, 2, 2}, {0, 0, 0}), 9.0);
  EXPECT_DOUBLE_EQ(squared_distance({-1, 5, 3}, {2, 1, 3}), 25.0);
  EXPECT_DOUBLE_EQ(squared_distance({1.5, -2, 7}, {1.5, -2, 7}), 0.0);
}

TEST(KMeans, RecoversFourWellSeparatedBlobs) {
  const auto pts = four_blobs();
  const auto r = kmeans(pts, kBlobs, kRestarts, kSeed);
  ASSERT_EQ(r.labels.size(), pts.size());
  ASSERT_EQ(r.centroids.size(), static_cast<std::size_t>(kBlobs));

  std::set<int> blob_labels;
  for (int b = 0; b < kBlobs; ++b) {
    const int label = r.labels[static_cast<std::size_t>(b * kPerBlob)];
    for (int i = 0; i < kPerBlob; ++i)
      EXPECT_EQ(r.labels[static_cast<std::size_t>(b * kPerBlob + i)], label)
          << "blob " << b << " point " << i;
    blob_labels.insert(label);
  }
  EXPECT_EQ(blob_labels.size(), static_cast<std::size_t>(kBlobs))
      << "two blobs were merged into one cluster";
  // 600 coordinates with unit variance: about 600 in total, nowhere near a merged blob's.
  EXPECT_LT(r.inertia, 1000.0);
  EXPECT_NEAR(r.inertia, inertia_of(pts, r), 1e-6 * r.inertia);
}

TEST(KMeans, SameInputAndSeedGiveIdenticalResults) {
  const auto pts = uniform_points(300, 99);
  const auto a = kmeans(pts, 4, kRestarts, kSeed);
  const auto b = kmeans(pts, 4, kRestarts, kSeed);
  EXPECT_EQ(a.labels, b.labels);
  ASSERT_EQ(a.centroids.size(), b.centroids.size());
  for (std::size_t c = 0; c < a.centroids.size(); ++c) EXPECT_EQ(a.centroids[c], b.centroids[c]);
  EXPECT_EQ(a.inertia, b.inertia);
}

TEST(KMeans, LargeInputGivesIdenticalResultsOnEveryCall) {
  // Large enough for the restarts to be spread over threads.
  const auto pts = uniform_points(6000, 31);
  const auto a = kmeans(pts, 4, kRestarts, kSeed);
  const auto b = kmeans(pts, 4, kRestarts, kSeed);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.centroids, b.centroids);
  EXPECT_EQ(a.inertia, b.inertia);
}

TEST(KMeans, EveryPointIsLabelledWithItsNearestCentroid) {
  const auto pts = uniform_points(500, 77);
  const auto r = kmeans(pts, 4, kRestarts, kSeed);
  ASSERT_EQ(r.labels.size(), pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const auto own = squared_distance(pts[i], r.centroids[static_cast<std::size_t>(r.labels[i])]);
    for (const auto& c : r.centroids) ASSERT_LE(own, squared_distance(pts[i], c)) << "point " << i;
  }
}

TEST(KMeans, MoreRestartsNeverGiveHigherInertiaThanTheFirstAlone) {
  // Restart r draws from the same per-restart seed whatever the total, so the best of ten
  // includes the single run.
  const auto pts = uniform_points(400, 5);
  EXPECT_LE(kmeans(pts, 4, kRestarts, kSeed).inertia, kmeans(pts, 4, 1, kSeed).inertia);
}

TEST(KMeans, InertiaIsWithinOnePercentOfBestOfFiftyRestarts) {
  const auto pts = uniform_points(500, 2024);
  double best = std::numeric_limits<double>::infinity();
  for (std::uint64_t seed = 1; seed <= 50; ++seed)
    best = std::min(best, kmeans(pts, 4, 1, seed).inertia);
  const auto production = kmeans(pts, 4, kRestarts, kSeed);
  EXPECT_LE(production.inertia, best * 1.01)
      << "production " << production.inertia << ", best of 50 " << best;
  EXPECT_NEAR(production.inertia, inertia_of(pts, production), 1e-9 * production.inertia);
}

TEST(KMeans, KEqualToPointCountPutsEachPointInItsOwnCluster) {
  const std::vector<Point> pts = {{0, 0, 0}, {1, 0, 0}, {0, 5, 0}, {0, 0, 9}, {3, 3, 3}};
  const auto r = kmeans(pts, 5, kRestarts, kSeed);
  EXPECT_EQ(r.inertia, 0.0);
  ASSERT_EQ(r.labels.size(), pts.size());
  EXPECT_EQ(std::set<int>(r.labels.begin(), r.labels.end()).size(), pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i)
    EXPECT_EQ(r.centroids[static_cast<std::size_t>(r.labels[i])], pts[i]);
}

TEST(KMeans, IdenticalPointsGiveZeroInertiaAndValidLabels) {
  const std::vector<Point> pts(10, Point{2.5, -1, 4});
  const auto r = kmeans(pts, 4, kRestarts, kSeed);
  EXPECT_EQ(r.inertia, 0.0);
  ASSERT_EQ(r.labels.size(), pts.size());
  ASSERT_EQ(r.centroids.size(), 4u);
  for (int label : r.labels) {
    EXPECT_GE(label, 0);
    EXPECT_LT(label, 4);
  }
  for (const auto& c : r.centroids) {
    EXPECT_FALSE(std::isnan(c[0]) || std::isnan(c[1]) || std::isnan(c[2]));
  }
}

TEST(KMeans, FewerPointsThanClustersThrowsInvalidArgument) {
  const std::vector<Point> pts = {{0, 0, 0}, {1, 1, 1}, {2, 2, 2}};
  EXPECT_THROW(kmeans(pts, 4, kRestarts, kSeed), std::invalid_argument);
  EXPECT_THROW(kmeans({}, 1, kRestarts, kSeed), std::invalid_argument);
}

TEST(KMeans, NonPositiveKThrowsInvalidArgument) {
  const std::vector<Point> pts = {{0, 0, 0}, {1, 1, 1}};
  EXPECT_THROW(kmeans(pts, 0, kRestarts, kSeed), std::invalid_argument);
  EXPECT_THROW(kmeans(pts, -1, kRestarts, kSeed), std::invalid_argument);
}

}  // namespace
}  // namespace janji::segments
