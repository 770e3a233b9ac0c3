#include "core/time.hpp"

#include <cstdio>

namespace janji {

namespace chr = std::chrono;

Timestamp now_utc() {
  return chr::time_point_cast<chr::microseconds>(chr::system_clock::now());
}

namespace {

struct Parts {
  chr::year_month_day ymd;
  chr::hh_mm_ss<chr::microseconds> hms;
};

Parts split(Timestamp t) {
  const auto day = chr::floor<chr::days>(t);
  return {chr::year_month_day{day}, chr::hh_mm_ss<chr::microseconds>{t - day}};
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::optional<Timestamp> fail(std::string* error, const char* why) {
  if (error) *error = why;
  return std::nullopt;
}

}  // namespace

namespace {

// Writes `v` as exactly `width` decimal digits, zero-padded.
char* put_digits(char* p, unsigned v, int width) {
  for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
  return p + width;
}

}  // namespace

std::string format_naive(Timestamp t) {
  const auto [ymd, hms] = split(t);
  const int year = int(ymd.year());
  const auto us = hms.subseconds().count();
  if (year < 0 || year > 9999) {  // rare enough for snprintf
    char buf[96];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", year,
                          unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                          int(hms.minutes().count()), int(hms.seconds().count()));
    if (us != 0) std::snprintf(buf + n, sizeof buf - n, ".%06lld", static_cast<long long>(us));
    return buf;
  }
  // Lists write three of these per booking, so no printf here.
  char buf[26];
  char* p = put_digits(buf, unsigned(year), 4);
  *p++ = '-';
  p = put_digits(p, unsigned(ymd.month()), 2);
  *p++ = '-';
  p = put_digits(p, unsigned(ymd.day()), 2);
  *p++ = 'T';
  p = put_digits(p, unsigned(hms.hours().count()), 2);
  *p++ = ':';
  p = put_digits(p, unsigned(hms.minutes().count()), 2);
  *p++ = ':';
  p = put_digits(p, unsigned(hms.seconds().count()), 2);
  if (us != 0) {
    *p++ = '.';
    p = put_digits(p, unsigned(us), 6);
  }
  return std::string(buf, p);
}

std::string format_iso_z(Timestamp t) {
  const auto [ymd, hms] = split(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03lldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count() / 1000));
  return buf;
}

std::optional<Timestamp> parse_datetime(std::string_view s, std::string* error) {
  int y, mo, d;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return fail(error, "invalid date, expected YYYY-MM-DD");
  const chr::year_month_day ymd{chr::year{y}, chr::month{unsigned(mo)}, chr::day{unsigned(d)}};
  if (!ymd.ok() || y < 1) return fail(error, "day value is outside expected range");
  int h = 0, mi = 0, sec = 0;
  long long micros = 0;
  std::size_t i = 10;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
      return fail(error, "invalid date separator, expected `T`, `t` or space");
    ++i;
    if (!digits(s, i, 2, h) || i + 2 >= s.size() || s[i + 2] != ':' || !digits(s, i + 3, 2, mi))
      return fail(error, "invalid time, expected HH:MM[:SS]");
    i += 5;
    if (i < s.size() && s[i] == ':') {
      if (!digits(s, i + 1, 2, sec)) return fail(error, "invalid second");
      i += 3;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        std::size_t n = 0;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n)
          if (n < 6) micros = micros * 10 + (s[i] - '0');
        if (n == 0 || n > 9) return fail(error, "invalid fraction of a second");
        for (std::size_t k = n; k < 6; ++k) micros *= 10;
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return fail(error, "time value is outside expected range");
  }
  long long offset_minutes = 0;
  if (i < s.size()) {
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      int oh, om = 0;
      if (!digits(s, i + 1, 2, oh)) return fail(error, "invalid timezone offset");
      i += 3;
      // "+07", "+0700" or "+07:00"; a colon must be followed by the minutes.
      const bool colon = i < s.size() && s[i] == ':';
      if (colon) ++i;
      if (colon || i < s.size()) {
        if (!digits(s, i, 2, om)) return fail(error, "invalid timezone offset");
        i += 2;
      }
      if (oh > 23 || om > 59) return fail(error, "timezone offset is outside expected range");
      offset_minutes = sign * (oh * 60LL + om);
    }
    if (i != s.size()) return fail(error, "unexpected extra characters at the end of the input");
  }
  const auto local = chr::sys_days{ymd} + chr::hours{h} + chr::minutes{mi} + chr::seconds{sec} +
                     chr::microseconds{micros};
  const Timestamp utc{local - chr::minutes{offset_minutes}};
  const auto year = int(chr::year_month_day{chr::floor<chr::days>(utc)}.year());
  if (year < 1 || year > 9999) return fail(error, "datetime is outside the years 1 to 9999");
  return utc;
}

std::optional<chr::year_month_day> parse_date(std::string_view s) {
  int y, mo, d;
  if (s.size() != 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || y < 1)
    return std::nullopt;
  const chr::year_month_day ymd{chr::year{y}, chr::month{unsigned(mo)}, chr::day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

long long floor_days_between(Timestamp earlier, Timestamp later) {
  return chr::floor<chr::days>(later - earlier).count();
}

}  // namespace janji
