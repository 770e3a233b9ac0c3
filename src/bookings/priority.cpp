#include "bookings/priority.hpp"

#include <algorithm>

namespace janji::bookings {

long long diff_days(Timestamp tanggal_acara, Timestamp now) {
  return std::max(0LL, floor_days_between(now, tanggal_acara));
}

std::string segment_for_score(const PriorityRules& rules, int score) {
  if (score >= rules.high_min) return "high";
  if (score >= rules.medium_min) return "medium";
  return "low";
}

Priority compute_priority(const PriorityRules& rules, Timestamp tanggal_acara, Timestamp now,
                          std::string_view status, Money price_locked, long long jumlah_client) {
  Priority p;
  const auto days = diff_days(tanggal_acara, now);
  if (days <= rules.urgent_days) {
    p.score += 40;
    p.urgency = "urgent";
  } else if (days <= rules.soon_days) {
    p.score += 25;
    p.urgency = "soon";
  } else {
    p.score += 10;
    p.urgency = "upcoming";
  }

  if (status == "paid")
    p.score += 30;
  else if (status == "dp")
    p.score += 20;
  else
    p.score += 5;

  if (price_locked >= rules.vip_min) {
    p.score += 30;
    p.monetary = "vip";
  } else if (price_locked >= rules.premium_min) {
    p.score += 15;
    p.monetary = "premium";
  } else {
    p.score += 5;
    p.monetary = "regular";
  }

  p.score += jumlah_client >= rules.group_min_clients ? 15 : 5;
  p.segment = segment_for_score(rules, p.score);
  return p;
}

}  // namespace janji::bookings
