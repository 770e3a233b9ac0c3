#pragma once

#include "core/money.hpp"
#include "core/time.hpp"

#include <string>
#include <string_view>

namespace janji::bookings {

/// Thresholds of the priority score; the defaults are DESIGN.md's rule table.
struct PriorityRules {
  int urgent_days = 2;              // diff_days <= this → urgent
  int soon_days = 7;                // diff_days <= this → soon
  Money vip_min = 300'000'000;      // 3,000,000.00
  Money premium_min = 150'000'000;  // 1,500,000.00
  int group_min_clients = 3;
  int high_min = 80;
  int medium_min = 50;
};

struct Priority {
  int score = 0;
  std::string segment;   // high | medium | low
  std::string urgency;   // urgent | soon | upcoming
  std::string monetary;  // vip | premium | regular
};

/// floor((tanggal_acara - now) / 24h), never below 0.
long long diff_days(Timestamp tanggal_acara, Timestamp now);

/// The transparent rule score: urgency + status + monetary + clients.
Priority compute_priority(const PriorityRules& rules, Timestamp tanggal_acara, Timestamp now,
                          std::string_view status, Money price_locked, long long jumlah_client);

std::string segment_for_score(const PriorityRules& rules, int score);

}  // namespace janji::bookings
