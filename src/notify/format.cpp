#include "notify/format.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

namespace janji::notify {

namespace chr = std::chrono;

namespace {

// Indexed by chr::weekday::c_encoding() (Sunday is 0) and by month - 1.
constexpr std::array<std::string_view, 7> kWeekdaysId = {"Minggu", "Senin", "Selasa", "Rabu",
                                                         "Kamis",  "Jumat", "Sabtu"};
constexpr std::array<std::string_view, 7> kWeekdaysEn = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonthsId = {
    "Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
    "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
constexpr std::array<std::string_view, 12> kMonthsEn = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string two_digits(long long v) {
  return {static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
}

std::string time_text(chr::minutes time_of_day, Locale locale) {
  const auto m = time_of_day.count();
  return two_digits(m / 60) + (locale == Locale::kId ? "." : ":") + two_digits(m % 60);
}

}  // namespace

std::optional<Locale> parse_locale(std::string_view name) {
  if (name == "id") return Locale::kId;
  if (name == "en") return Locale::kEn;
  return std::nullopt;
}

std::string_view locale_name(Locale locale) {
  return locale == Locale::kId ? "id" : "en";
}

std::string format_rupiah(Money minor) {
  const bool negative = minor < 0;
  // Unsigned, so the most negative amount has a magnitude too.
  const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(minor) : minor;
  const std::string whole = std::to_string(abs / 100);
  std::string out = negative ? "Rp -" : "Rp ";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += '.';
    out += whole[i];
  }
  if (const auto sen = abs % 100; sen != 0) out += "," + two_digits(static_cast<long long>(sen));
  return out;
}

std::string format_date(chr::year_month_day day, Locale locale) {
  if (!day.ok()) throw std::invalid_argument("not a calendar date");
  const bool id = locale == Locale::kId;
  const chr::weekday wd{chr::sys_days{day}};
  std::string out(id ? kWeekdaysId[wd.c_encoding()] : kWeekdaysEn[wd.c_encoding()]);
  out += ", ";
  out += std::to_string(unsigned(day.day()));
  out += ' ';
  const auto month = unsigned(day.month()) - 1;
  out += id ? kMonthsId[month] : kMonthsEn[month];
  out += ' ';
  out += std::to_string(int(day.year()));
  return out;
}

std::string format_date(Timestamp t, const Zone& zone, Locale locale) {
  return format_date(zone.local(t).day, locale);
}

std::string format_date(std::string_view yyyy_mm_dd, Locale locale) {
  const auto day = parse_date(yyyy_mm_dd);
  if (!day)
    throw std::invalid_argument("a date is YYYY-MM-DD, not \"" + std::string(yyyy_mm_dd) + "\"");
  return format_date(*day, locale);
}

std::string format_time(Timestamp t, const Zone& zone, Locale locale) {
  return time_text(zone.local(t).time_of_day, locale);
}

std::string format_date_time(Timestamp t, const Zone& zone, Locale locale) {
  const auto local = zone.local(t);
  return format_date(local.day, locale) + (locale == Locale::kId ? " pukul " : " at ") +
         time_text(local.time_of_day, locale) + " " + local.abbreviation;
}

}  // namespace janji::notify
