#include "calendar/store.hpp"

#include "audit/store.hpp"
#include "calendar/rules.hpp"
#include "core/error.hpp"

#include <map>

namespace janji::calendar {

namespace {

// The date's own capacity, when an admin set one.
constexpr std::string_view kOwnCapacity = "SELECT capacity FROM calendar_days WHERE day = $1";
// The clients booked on a date, read from service_bookings_day_idx alone.
constexpr std::string_view kBookedClients =
    "SELECT COALESCE(SUM(jumlah_client), 0) FROM service_bookings "
    "WHERE tanggal_acara >= $1 AND tanggal_acara < $2 AND status <> 'cancelled'";

std::optional<std::int64_t> own_capacity(const db::Rows& rows) {
  return rows.empty() ? std::nullopt : rows.front().opt_int64(0);
}

std::optional<std::int64_t> own_capacity(db::Connection& c, const std::string& key) {
  return own_capacity(c.query(kOwnCapacity, {key}));
}

db::SoonRows ask_booked_clients(db::Connection& c, const Settings& settings,
                                std::chrono::year_month_day date) {
  const auto [start, end] = day_span(date, settings.zone);
  return c.query_soon(kBookedClients, {db::time(start), db::time(end)});
}

std::int64_t booked_clients(db::Connection& c, const Settings& settings,
                            std::chrono::year_month_day date) {
  return ask_booked_clients(c, settings, date).get().front().int64(0);
}

std::string turn_of(std::chrono::year_month_day date) {
  return "calendar-day:" + format_day(date);
}

// A limited date's count, taken in its turn: no other transaction can add to it until the
// caller's commit.
db::SoonRows ask_booked_clients_in_turn(db::Connection& c, const Settings& settings,
                                        std::chrono::year_month_day date) {
  c.serialize_on(turn_of(date));
  return ask_booked_clients(c, settings, date);
}

Day make_day(std::chrono::year_month_day date, std::optional<std::int64_t> own,
             const Settings& settings, std::int64_t booked) {
  Day day;
  day.date = date;
  day.capacity = capacity_of(own, settings.daily_capacity);
  day.booked_clients = booked;
  day.remaining = remaining(day.capacity, booked);
  return day;
}

}  // namespace

void check_room(db::Connection& c, const Settings& settings, Timestamp event_at,
                std::int64_t clients) {
  ask_room(c, settings, event_at, clients).check();
}

RoomCheck ask_room(db::Connection& c, const Settings& settings, Timestamp event_at,
                   std::int64_t clients) {
  const auto date = settings.zone.local(event_at).day;
  const auto key = format_day(date);
  RoomCheck room(c, settings, date, clients, c.query_soon(kOwnCapacity, {key}));
  // With a default capacity nearly every date is limited: its turn and count are asked for
  // now, in the same round trip as its override.
  if (settings.daily_capacity) room.booked_ = ask_booked_clients_in_turn(c, settings, date);
  return room;
}

std::string day_turn(const Settings& settings, Timestamp event_at) {
  return turn_of(settings.zone.local(event_at).day);
}

void RoomCheck::check() {
  const auto capacity = capacity_of(own_capacity(own_.get()), settings_->daily_capacity);
  // Unlimited: nothing to count. Limited, a date holds at most its capacity's bookings, so
  // the count stays small however many bookings the business has in all.
  if (!capacity) return;
  if (!booked_) booked_ = ask_booked_clients_in_turn(*c_, *settings_, date_);
  if (!fits(capacity, booked_->get().front().int64(0), clients_))
    throw ApiError::conflict(fully_booked(date_));
}

boost::asio::awaitable<std::vector<Day>> CalendarStore::days(Range range) {
  co_return co_await db_.read([&range, this](db::Connection& c) {
    std::map<std::string, std::int64_t> overrides;
    for (const auto& r : c.query("SELECT day, capacity FROM calendar_days WHERE day >= $1 AND "
                                 "day <= $2",
                                 {format_day(range.from), format_day(range.to)}))
      overrides.emplace(r.text(0), r.int64(1));
    const auto first = day_span(range.from, settings_.zone).first;
    const auto last = day_span(range.to, settings_.zone).second;
    std::map<std::string, std::int64_t> booked;
    for (const auto& r : c.query("SELECT tanggal_acara, jumlah_client FROM service_bookings "
                                 "WHERE tanggal_acara >= $1 AND tanggal_acara < $2 "
                                 "AND status <> 'cancelled'",
                                 {db::time(first), db::time(last)}))
      booked[format_day(settings_.zone.local(r.time(0)).day)] += r.int64(1);
    std::vector<Day> out;
    for (auto d = std::chrono::sys_days(range.from); d <= std::chrono::sys_days(range.to);
         d += std::chrono::days(1)) {
      Day day;
      day.date = std::chrono::year_month_day(d);
      const auto key = format_day(day.date);
      const auto o = overrides.find(key);
      day.capacity =
          capacity_of(o == overrides.end() ? std::nullopt : std::optional<std::int64_t>(o->second),
                      settings_.daily_capacity);
      const auto b = booked.find(key);
      day.booked_clients = b == booked.end() ? 0 : b->second;
      day.remaining = remaining(day.capacity, day.booked_clients);
      out.push_back(day);
    }
    return out;
  });
}

boost::asio::awaitable<Day> CalendarStore::set(std::chrono::year_month_day day,
                                               std::int64_t capacity, Timestamp now,
                                               audit::Actor by) {
  co_return co_await db_.write([&, this](db::Connection& c) {
    const auto key = format_day(day);
    const auto own = own_capacity(c, key);
    // Setting a capacity changes no booking: the count serves before and after.
    const auto booked = booked_clients(c, settings_, day);
    c.execute(
        "INSERT INTO calendar_days (day, capacity, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (day) DO UPDATE SET capacity = excluded.capacity, "
        "updated_at = excluded.updated_at",
        {key, capacity, db::time(now)});
    auto after = make_day(day, capacity, settings_, booked);
    audit::record(
        c,
        {by, "calendar.capacity_set", "calendar_day", key,
         own ? std::optional<boost::json::value>(to_json(make_day(day, own, settings_, booked)))
             : std::nullopt,
         to_json(after)},
        now);
    return after;
  });
}

boost::asio::awaitable<bool> CalendarStore::clear(std::chrono::year_month_day day, Timestamp now,
                                                  audit::Actor by) {
  co_return co_await db_.write([&, this](db::Connection& c) {
    const auto key = format_day(day);
    const auto own = own_capacity(c, key);
    if (!own) return false;
    const auto before = make_day(day, own, settings_, booked_clients(c, settings_, day));
    c.execute("DELETE FROM calendar_days WHERE day = $1", {key});
    audit::record(c,
                  {by, "calendar.capacity_cleared", "calendar_day", format_day(day),
                   to_json(before), std::nullopt},
                  now);
    return true;
  });
}

}  // namespace janji::calendar
