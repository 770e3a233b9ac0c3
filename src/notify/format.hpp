#pragma once

#include "core/money.hpp"
#include "core/time.hpp"
#include "notify/zone.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace janji::notify {

/// The language of a message (NOTIFY_LOCALE): Indonesian unless configured otherwise.
enum class Locale { kId, kEn };

/// "id" or "en"; nullopt for anything else.
std::optional<Locale> parse_locale(std::string_view name);
std::string_view locale_name(Locale locale);

/// Rupiah as Indonesians write them, in both locales: "Rp 1.500.000", dots between
/// thousands. Sen only when there are any, after a decimal comma ("Rp 200.000,50"); a
/// negative amount as "Rp -50.000". Both as the admin pages show money.
std::string format_rupiah(Money minor);

/// A long date: "Sabtu, 5 Desember 2026" or "Saturday, 5 December 2026".
std::string format_date(std::chrono::year_month_day day, Locale locale);
/// The date on the business's clocks at `t`.
std::string format_date(Timestamp t, const Zone& zone, Locale locale);
/// The date written "YYYY-MM-DD", which is a calendar date in no zone; throws
/// std::invalid_argument when it is not one.
std::string format_date(std::string_view yyyy_mm_dd, Locale locale);

/// The time on the business's clocks at `t`: "09.00" in Indonesian, "09:00" in English.
std::string format_time(Timestamp t, const Zone& zone, Locale locale);

/// Both, with the zone's abbreviation so a reader elsewhere is not misled:
/// "Sabtu, 5 Desember 2026 pukul 09.00 WITA" or "Saturday, 5 December 2026 at 09:00 WITA".
std::string format_date_time(Timestamp t, const Zone& zone, Locale locale);

}  // namespace janji::notify
