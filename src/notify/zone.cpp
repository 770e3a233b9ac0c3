#include "notify/zone.hpp"

#include <date/tz.h>

#include <stdexcept>

namespace janji::notify {

namespace chr = std::chrono;

Zone::Zone(std::string_view name) : name_(name), zone_(nullptr) {
  // Outside the try: a machine without tzdata is a broken installation, not a wrong name.
  date::get_tzdb();
  try {
    zone_ = date::locate_zone(name);
  } catch (const std::runtime_error&) {
    throw std::invalid_argument("unknown time zone \"" + name_ +
                                "\": expected an IANA name such as Asia/Makassar");
  }
}

LocalTime Zone::local(Timestamp t) const {
  const auto info = zone_->get_info(t);
  // date's local_time and std::chrono's sys_time count from the same epoch.
  const auto local = t + info.offset;
  const auto day = chr::floor<chr::days>(local);
  return {chr::year_month_day{day}, chr::floor<chr::minutes>(local - day), info.abbrev};
}

Timestamp Zone::to_utc(chr::year_month_day day, chr::minutes time_of_day) const {
  const auto days = chr::sys_days{day}.time_since_epoch();
  const date::local_time<chr::minutes> local{chr::duration_cast<chr::minutes>(days) + time_of_day};
  const auto utc = zone_->to_sys(local, date::choose::earliest);
  return chr::time_point_cast<chr::microseconds>(utc);
}

}  // namespace janji::notify
