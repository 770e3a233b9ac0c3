#pragma once

#include "core/time.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace janji::notify {

/// What the clocks of a zone show at one instant.
struct LocalTime {
  std::chrono::year_month_day day;
  std::chrono::minutes time_of_day;  // since local midnight; seconds are dropped
  std::string abbreviation;          // "WITA", "CEST", or "+08" where the zone has no letters
};

/// An IANA time zone (BUSINESS_TIMEZONE, e.g. "Asia/Makassar"), looked up once in the
/// system's tzdata, so daylight-saving rules apply where the zone has them. Copies are cheap
/// and may be used from any thread.
class Zone {
 public:
  /// Throws std::invalid_argument naming `name` when the tzdata has no such zone, and
  /// std::runtime_error when the tzdata cannot be read at all.
  explicit Zone(std::string_view name);

  const std::string& name() const { return name_; }

  /// The local date, time and zone abbreviation at `t`.
  LocalTime local(Timestamp t) const;

  /// The instant at which the zone's clocks show `time_of_day` on `day`. A time that a
  /// daylight-saving change skips is the instant the clocks jump (02:30 on a spring-forward
  /// night is the same instant as 03:00), and a time that occurs twice is the first of them.
  Timestamp to_utc(std::chrono::year_month_day day, std::chrono::minutes time_of_day) const;

 private:
  std::string name_;
  const date::time_zone* zone_;
};

}  // namespace janji::notify
