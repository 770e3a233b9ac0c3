#pragma once

#include "core/time.hpp"
#include "notify/zone.hpp"

#include <chrono>
#include <string_view>

namespace janji::notify {

/// How long a delivery waits after its `attempts_made`-th failed attempt before the next
/// one (NOTIFY_RETRY_MIN and NOTIFY_RETRY_MAX): `min` after the first, then 2·min, 4·min, …
/// and never more than `max`. Fewer than one attempt counts as one; a `max` below `min`
/// wins, and a `min` or `max` of zero or less means no wait. Any attempt count is safe: the
/// doubling stops at `max`.
std::chrono::seconds retry_delay(int attempts_made, std::chrono::seconds min,
                                 std::chrono::seconds max);

/// True once `give_up` (NOTIFY_GIVE_UP) has passed since the delivery was first queued, the
/// very instant included: it is then `failed` and not tried again.
bool given_up(Timestamp first_queued, Timestamp now, std::chrono::seconds give_up);

/// When the reminder of an event on `event_day` is due: the day before at
/// `reminder_hour`:00 (REMINDER_HOUR) on the business's clocks, as a UTC instant. For a
/// service booking the event's day is `zone.local(tanggal_acara).day`, the date the
/// calendar counts it on. Throws std::invalid_argument for an hour outside 0 to 23.
Timestamp reminder_due(std::chrono::year_month_day event_day, int reminder_hour, const Zone& zone);

/// The same for a date written "YYYY-MM-DD"; throws std::invalid_argument when it is not one.
Timestamp reminder_due(std::string_view event_date, int reminder_hour, const Zone& zone);

}  // namespace janji::notify
