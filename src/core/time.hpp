#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace janji {

/// A UTC instant with microsecond precision; every stored time is one of these.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

Timestamp now_utc();

/// Naive UTC as the original backend wrote it: "2026-02-11T12:00:00", with ".ffffff" only
/// when the microseconds are not zero, and no zone suffix.
std::string format_naive(Timestamp t);

/// ISO 8601 UTC with milliseconds and 'Z', as the course surface writes it.
std::string format_iso_z(Timestamp t);

/// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]" (a space may stand for 'T'),
/// optionally followed by 'Z' or a "+HH:MM"/"-HH:MM"/"+HHMM" offset, which is converted to
/// UTC. Naive input is taken as UTC. Returns nullopt with `error` set when invalid.
std::optional<Timestamp> parse_datetime(std::string_view text, std::string* error = nullptr);

/// A calendar date written exactly "YYYY-MM-DD" (years 1 to 9999), such as an event's day;
/// nullopt for anything else, an impossible date (2026-02-30) included.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

/// floor((later - earlier) / 24h), which is negative when `later` is before `earlier`.
long long floor_days_between(Timestamp earlier, Timestamp later);

}  // namespace janji
