#include "notify/schedule.hpp"

#include <stdexcept>
#include <string>

namespace janji::notify {

namespace chr = std::chrono;

chr::seconds retry_delay(int attempts_made, chr::seconds min, chr::seconds max) {
  if (min <= chr::seconds{0} || max <= chr::seconds{0}) return chr::seconds{0};
  if (min >= max) return max;
  auto delay = min;
  // Doubling stops once `max` is reached, so this runs at most ~63 times and never
  // overflows, however many attempts were made.
  for (int i = 1; i < attempts_made && delay < max; ++i) delay = delay > max / 2 ? max : delay * 2;
  return delay;
}

bool given_up(Timestamp first_queued, Timestamp now, chr::seconds give_up) {
  // Compared in whole seconds: exact, as `give_up` is whole seconds, and a huge `give_up`
  // is not converted to microseconds, which could overflow.
  return chr::floor<chr::seconds>(now - first_queued) >= give_up;
}

Timestamp reminder_due(chr::year_month_day event_day, int reminder_hour, const Zone& zone) {
  if (reminder_hour < 0 || reminder_hour > 23)
    throw std::invalid_argument("a reminder hour is 0 to 23, not " + std::to_string(reminder_hour));
  const chr::year_month_day day_before{chr::sys_days{event_day} - chr::days{1}};
  return zone.to_utc(day_before, chr::hours{reminder_hour});
}

Timestamp reminder_due(std::string_view event_date, int reminder_hour, const Zone& zone) {
  const auto day = parse_date(event_date);
  if (!day)
    throw std::invalid_argument("an event date is YYYY-MM-DD, not \"" + std::string(event_date) +
                                "\"");
  return reminder_due(*day, reminder_hour, zone);
}

}  // namespace janji::notify
