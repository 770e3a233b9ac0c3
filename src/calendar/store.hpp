#pragma once

#include "audit/dto.hpp"
#include "calendar/dto.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace janji::calendar {

/// Refuses (409, "<date> is fully booked") `clients` more on the date of `event_at`, in the
/// caller's transaction: the date's override by its key and, when the date is limited, its
/// booked clients from one index range. On PostgreSQL a limited date's checks run one
/// transaction at a time, so concurrent bookings cannot both take its last places.
void check_room(db::Connection& c, const Settings& settings, Timestamp event_at,
                std::int64_t clients);

/// check_room in two steps, so its statements go with the caller's next round trip (see
/// db::Connection): `ask_room` asks, `check` reads the answers and refuses.
class RoomCheck {
 public:
  void check();

 private:
  friend RoomCheck ask_room(db::Connection&, const Settings&, Timestamp, std::int64_t);
  RoomCheck(db::Connection& c, const Settings& settings, std::chrono::year_month_day date,
            std::int64_t clients, db::SoonRows own)
      : c_(&c), settings_(&settings), date_(date), clients_(clients), own_(std::move(own)) {}

  db::Connection* c_;
  const Settings* settings_;
  std::chrono::year_month_day date_;
  std::int64_t clients_;
  db::SoonRows own_;
  std::optional<db::SoonRows> booked_;  // asked for with the override when limited by default
};
RoomCheck ask_room(db::Connection& c, const Settings& settings, Timestamp event_at,
                   std::int64_t clients);

/// The turn a check of the room on the date of `event_at` takes: a staged write that checks
/// it names it among its keys (db::Write).
std::string day_turn(const Settings& settings, Timestamp event_at);

/// The per-date overrides and the clients booked per date.
class CalendarStore {
 public:
  CalendarStore(db::Runner& db, Settings settings) : db_(db), settings_(std::move(settings)) {}

  boost::asio::awaitable<std::vector<Day>> days(Range range);
  /// Sets the date's capacity and returns the date as it is now.
  boost::asio::awaitable<Day> set(std::chrono::year_month_day day, std::int64_t capacity,
                                  Timestamp now, audit::Actor by);
  /// Removes the date's override (false when it had none).
  boost::asio::awaitable<bool> clear(std::chrono::year_month_day day, Timestamp now,
                                     audit::Actor by);

  const Settings& settings() const { return settings_; }

 private:
  db::Runner& db_;
  Settings settings_;
};

}  // namespace janji::calendar
