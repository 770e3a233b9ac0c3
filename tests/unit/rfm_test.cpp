#include "segments/rfm.hpp"
#include "core/time.hpp"
#include "importer/demo.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace janji::segments {
namespace {

CustomerRfm customer(std::int64_t id, long long recency, long long frequency, Money monetary) {
  return {id, "c" + std::to_string(id), recency, frequency, monetary};
}

double mean_of(const std::vector<Point>& pts, int d) {
  double s = 0;
  for (const auto& p : pts) s += p[static_cast<std::size_t>(d)];
  return s / static_cast<double>(pts.size());
}

double population_sd_of(const std::vector<Point>& pts, int d) {
  const double m = mean_of(pts, d);
  double v = 0;
  for (const auto& p : pts)
    v += (p[static_cast<std::size_t>(d)] - m) * (p[static_cast<std::size_t>(d)] - m);
  return std::sqrt(v / static_cast<double>(pts.size()));
}

std::vector<CustomerRfm> varied_customers() {
  return {customer(1, 3, 12, 360'000'000), customer(2, 40, 2, 40'000'000),
          customer(3, 200, 1, 20'000'000), customer(4, 0, 7, 210'000'000),
          customer(5, 15, 4, 90'000'000),  customer(6, 365, 1, 55'000'000)};
}

TEST(RfmFeatures, EachVaryingFeatureHasMeanZeroAndPopulationSdOne) {
  const auto pts = standardised_features(varied_customers());
  ASSERT_EQ(pts.size(), 6u);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(mean_of(pts, d), 0.0, 1e-12) << "feature " << d;
    EXPECT_NEAR(population_sd_of(pts, d), 1.0, 1e-12) << "feature " << d;
  }
}

TEST(RfmFeatures, StandardisesLog1pOfRecencyFrequencyAndMonetary) {
  const auto cs = varied_customers();
  const auto pts = standardised_features(cs);
  // Monetary enters in major units (rupiah), as the original computed it from price_locked.
  auto raw = [&](std::size_t i, int d) {
    const auto& c = cs[i];
    return d == 0   ? std::log1p(static_cast<double>(c.recency))
           : d == 1 ? std::log1p(static_cast<double>(c.frequency))
                    : std::log1p(static_cast<double>(c.monetary) / 100.0);
  };
  for (int d = 0; d < 3; ++d) {
    double m = 0;
    for (std::size_t i = 0; i < cs.size(); ++i) m += raw(i, d);
    m /= static_cast<double>(cs.size());
    double v = 0;
    for (std::size_t i = 0; i < cs.size(); ++i) v += (raw(i, d) - m) * (raw(i, d) - m);
    const double sd = std::sqrt(v / static_cast<double>(cs.size()));
    for (std::size_t i = 0; i < cs.size(); ++i)
      EXPECT_NEAR(pts[i][static_cast<std::size_t>(d)], (raw(i, d) - m) / sd, 1e-9)
          << "customer " << i << " feature " << d;
  }
}

TEST(RfmFeatures, TwoCustomersStandardiseToPlusAndMinusOne) {
  const auto pts = standardised_features({customer(1, 1, 1, 100), customer(2, 30, 9, 900'000)});
  for (int d = 0; d < 3; ++d) {
    const auto k = static_cast<std::size_t>(d);
    EXPECT_NEAR(std::abs(pts[0][k]), 1.0, 1e-12);
    EXPECT_NEAR(pts[0][k], -pts[1][k], 1e-12);
  }
  EXPECT_LT(pts[0][0], 0);  // the more recent customer is below the mean recency
}

TEST(RfmFeatures, ZeroVarianceFeatureBecomesExactlyZeroNotNaN) {
  std::vector<CustomerRfm> cs = varied_customers();
  for (auto& c : cs) c.recency = 0;
  const auto pts = standardised_features(cs);
  for (const auto& p : pts) {
    EXPECT_EQ(p[0], 0.0);
    EXPECT_FALSE(std::isnan(p[1]));
    EXPECT_FALSE(std::isnan(p[2]));
  }
  // The other features still vary and are still standardised.
  EXPECT_NEAR(population_sd_of(pts, 1), 1.0, 1e-12);
  EXPECT_NEAR(population_sd_of(pts, 2), 1.0, 1e-12);
}

TEST(RfmFeatures, IdenticalCustomersGiveAllZeroFeatures) {
  std::vector<CustomerRfm> cs(5, customer(1, 10, 3, 60'000'000));
  for (const auto& p : standardised_features(cs)) EXPECT_EQ(p, (Point{0, 0, 0}));
}

TEST(RfmRankClusters, OrdersByFrequencyPlusMonetaryMinusRecencyDescending) {
  // values: 0, 3, -3, 1
  const std::vector<Point> centroids = {{0, 0, 0}, {-1, 1, 1}, {1, -1, -1}, {0, 1, 0}};
  EXPECT_EQ(rank_clusters(centroids), (std::vector<int>{2, 0, 3, 1}));
}

TEST(RfmRankClusters, HigherRecencyRanksWorse) {
  // Same frequency and monetary; only how long ago differs.
  const std::vector<Point> centroids = {{2, 0, 0}, {-2, 0, 0}, {0, 0, 0}, {1, 0, 0}};
  EXPECT_EQ(rank_clusters(centroids), (std::vector<int>{3, 0, 1, 2}));
}

TEST(RfmRankClusters, ResultIsAPermutationOfRanks) {
  const std::vector<Point> centroids = {
      {0.3, -1.2, 0.8}, {1.1, 0.4, -0.2}, {-0.9, 0.9, 1.3}, {0.0, -0.3, -1.7}};
  auto rank = rank_clusters(centroids);
  std::sort(rank.begin(), rank.end());
  EXPECT_EQ(rank, (std::vector<int>{0, 1, 2, 3}));
}

TEST(RfmSegmentNames, AreLoyalAktifPotensialPasif) {
  EXPECT_EQ(kClusters, 4);
  EXPECT_EQ(kSegmentNames[0], "Loyal");
  EXPECT_EQ(kSegmentNames[1], "Aktif");
  EXPECT_EQ(kSegmentNames[2], "Potensial");
  EXPECT_EQ(kSegmentNames[3], "Pasif");
}

/// Four clear groups of ten customers, from best (group 0) to worst (group 3). User ids are
/// interleaved (id % 4 == group) and the list is built in descending id order, so neither
/// the input order nor the id order lines up with the groups.
std::vector<CustomerRfm> four_groups() {
  struct Group {
    long long recency, frequency;
    Money unit_price;
  };
  constexpr Group kGroups[] = {{3, 25, 45'000'000},  // recent, frequent, expensive
                               {30, 8, 30'000'000},
                               {120, 3, 25'000'000},
                               {500, 1, 20'000'000}};  // long ago, once, cheap
  std::vector<CustomerRfm> cs;
  for (int i = 39; i >= 0; --i) {
    const auto& g = kGroups[i % 4];
    const int jitter = i / 4;  // 0..9
    const long long f = g.frequency + (g.frequency > 1 ? jitter % 3 : 0);
    cs.push_back(customer(100 + i, g.recency + jitter, f, g.unit_price * f + jitter * 100'000));
  }
  return cs;
}

TEST(SegmentCustomers, FourClearGroupsGetTheirRankedSegments) {
  const auto items = segment_customers(four_groups());
  ASSERT_EQ(items.size(), 40u);
  for (const auto& it : items) {
    const int group = static_cast<int>((it.customer.user_id - 100) % 4);
    EXPECT_EQ(it.cluster, group) << "user " << it.customer.user_id;
    EXPECT_EQ(it.segment, kSegmentNames[static_cast<std::size_t>(it.cluster)]);
  }
  // The group named in the issue explicitly.
  EXPECT_EQ(items[0].customer.user_id, 100);
  EXPECT_EQ(items[0].segment, "Loyal");
  EXPECT_EQ(items[3].customer.user_id, 103);
  EXPECT_EQ(items[3].segment, "Pasif");
}

TEST(SegmentCustomers, OutputIsOrderedByUserIdWhateverTheInputOrder) {
  const auto items = segment_customers(four_groups());  // input is in descending id order
  ASSERT_EQ(items.size(), 40u);
  for (std::size_t i = 0; i < items.size(); ++i)
    EXPECT_EQ(items[i].customer.user_id, static_cast<std::int64_t>(100 + i));
}

TEST(SegmentCustomers, ShuffledInputGivesIdenticalJson) {
  const auto input = four_groups();
  const auto expected = to_json_text(segment_customers(input));
  std::mt19937 gen(5);
  for (int round = 0; round < 5; ++round) {
    auto shuffled = input;
    std::shuffle(shuffled.begin(), shuffled.end(), gen);
    EXPECT_EQ(to_json_text(segment_customers(shuffled)), expected) << "round " << round;
  }
}

TEST(SegmentCustomers, FewerThanFourCustomersThrowsInvalidArgument) {
  EXPECT_THROW(segment_customers({}), std::invalid_argument);
  EXPECT_THROW(
      segment_customers({customer(1, 1, 1, 100), customer(2, 2, 2, 200), customer(3, 3, 3, 300)}),
      std::invalid_argument);
}

TEST(SegmentCustomers, ExactlyFourDistinctCustomersGetOneSegmentEach) {
  const auto items =
      segment_customers({customer(4, 400, 1, 20'000'000), customer(2, 30, 6, 180'000'000),
                         customer(1, 2, 20, 800'000'000), customer(3, 90, 3, 75'000'000)});
  ASSERT_EQ(items.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(items[i].customer.user_id, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(items[i].cluster, static_cast<int>(i));
  }
}

TEST(SegmentsJson, EveryItemHasExactlyTheSeedFieldsInOrder) {
  const auto json = boost::json::parse(to_json_text(segment_customers(four_groups())));
  const auto& arr = json.as_array();
  ASSERT_EQ(arr.size(), 40u);
  const std::vector<std::string> expected_keys = {
      "user_id", "name", "recency", "frequency", "monetary", "cluster", "customer_segment"};
  for (const auto& v : arr) {
    const auto& o = v.as_object();
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    EXPECT_EQ(keys, expected_keys);
    ASSERT_TRUE(o.at("monetary").is_string());
    const std::string m(o.at("monetary").as_string());
    ASSERT_GE(m.size(), 4u);
    EXPECT_EQ(m[m.size() - 3], '.') << m;
    const auto cluster = o.at("cluster").as_int64();
    EXPECT_EQ(o.at("customer_segment").as_string(),
              kSegmentNames[static_cast<std::size_t>(cluster)]);
  }
}

// --- the demo history that `janji seed-demo` loads -----------------------------------------

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Money demo_price(std::string_view type) {
  static const std::map<std::string_view, Money> kPrices = {
      {"Reguler Party", 20'000'000},  {"Premium Party", 30'000'000},
      {"Premium Wisuda", 35'000'000}, {"Paket Ramah Tamah & Wisuda Premium", 55'000'000},
      {"Prewedding", 40'000'000},     {"Reguler Engagement", 40'000'000},
  };
  return kPrices.at(type);
}

/// RFM per (name, district), as the store would compute it after `seed-demo`, with "now"
/// fixed at 2026-01-01. The history runs to 2026-01-21, so some bookings lie after "now";
/// the store clamps those recencies to 0 (segments/store.cpp) and so does this.
std::vector<CustomerRfm> demo_customers() {
  const auto now = *parse_datetime("2026-01-01");
  struct Acc {
    std::string name;
    long long frequency = 0;
    Money monetary = 0;
    Timestamp last{};
  };
  std::map<std::pair<std::string, std::string>, Acc> by_customer;
  for (const auto& h : parse_history_csv(demo_bookings_csv())) {
    auto& a = by_customer[{lower(h.name), lower(h.district)}];
    a.name = h.name;
    ++a.frequency;
    a.monetary += demo_price(service_type_for_kind(h.kind));
    a.last = std::max(a.last, *parse_datetime(h.booking_date));
  }
  std::vector<CustomerRfm> cs;
  std::int64_t id = 0;
  for (const auto& [key, a] : by_customer)
    cs.push_back(
        {++id, a.name, std::max(0LL, floor_days_between(a.last, now)), a.frequency, a.monetary});
  return cs;
}

TEST(SegmentDemoHistory, AllFourSegmentsAreNonEmpty) {
  const auto cs = demo_customers();
  ASSERT_GE(cs.size(), 4u);
  const auto items = segment_customers(cs);
  ASSERT_EQ(items.size(), cs.size());
  std::array<int, kClusters> counts{};
  for (const auto& it : items) {
    ASSERT_GE(it.cluster, 0);
    ASSERT_LT(it.cluster, kClusters);
    ++counts[static_cast<std::size_t>(it.cluster)];
  }
  for (int c = 0; c < kClusters; ++c)
    EXPECT_GT(counts[static_cast<std::size_t>(c)], 0) << kSegmentNames[static_cast<std::size_t>(c)];
}

TEST(SegmentDemoHistory, SegmentMeansDecreaseInValueFromLoyalToPasif) {
  const auto items = segment_customers(demo_customers());
  std::vector<CustomerRfm> cs;
  for (const auto& it : items) cs.push_back(it.customer);
  const auto pts = standardised_features(cs);
  std::array<double, kClusters> sum{};
  std::array<int, kClusters> n{};
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto c = static_cast<std::size_t>(items[i].cluster);
    sum[c] += pts[i][1] + pts[i][2] - pts[i][0];
    ++n[c];
  }
  for (std::size_t c = 0; c + 1 < kClusters; ++c) {
    ASSERT_GT(n[c], 0);
    ASSERT_GT(n[c + 1], 0);
    EXPECT_GT(sum[c] / n[c], sum[c + 1] / n[c + 1])
        << kSegmentNames[c] << " is not worth more than " << kSegmentNames[c + 1];
  }
}

}  // namespace
}  // namespace janji::segments
