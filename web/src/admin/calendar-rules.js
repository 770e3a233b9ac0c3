// The calendar view's pure rules: the weeks of a month (Monday first), stepping between
// months, the dates a month's grid covers, and what a day of GET /calendar is (blocked, full,
// overridden, past). Dates are "YYYY-MM-DD" texts of the business's calendar; the math is
// done on UTC midnights, so the machine's own time zone never matters.

/// The weekdays in the order of a grid's columns (Monday first, as in Indonesia); keys of
/// common.messages.js's `weekday.*` and `weekdayShort.*`.
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/// The largest capacity the server takes (CalendarCapacity's maximum).
export const MAX_CAPACITY = 1_000_000;

const DAY_MS = 86_400_000;
const pad = (n, width = 2) => String(n).padStart(width, '0');
const toUtc = (ymd) => Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10)));
const fromUtc = (ms) => {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/// "2026-12" of "2026-12-05".
export function monthOf(ymd) {
  return ymd.slice(0, 7);
}

/// The date `n` days after `ymd` (before it when `n` is negative).
export function addDays(ymd, n) {
  return fromUtc(toUtc(ymd) + n * DAY_MS);
}

/// The month `delta` months after `ym` ("2026-12", 1 → "2027-01"; "2026-01", -1 → "2025-12").
export function stepMonth(ym, delta) {
  const index = Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1 + delta;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/// The number of days of month `ym`.
export function daysInMonth(ym) {
  return new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).getUTCDate();
}

/// 0 for Monday … 6 for Sunday.
export function weekdayIndex(ymd) {
  return (new Date(toUtc(ymd)).getUTCDay() + 6) % 7;
}

/// The weeks of month `ym` as rows of 7 days, Monday first: [{date, day, inMonth}], the days of
/// the months before and after filling the first and last week. 4 to 6 weeks, as many as the
/// month needs.
export function monthWeeks(ym) {
  const first = `${ym}-01`;
  const start = addDays(first, -weekdayIndex(first));
  const last = `${ym}-${pad(daysInMonth(ym))}`;
  const end = addDays(last, 6 - weekdayIndex(last));
  const weeks = [];
  for (let d = start; d <= end; d = addDays(d, 7))
    weeks.push(
      Array.from({ length: 7 }, (_, i) => {
        const date = addDays(d, i);
        return { date, day: Number(date.slice(8, 10)), inMonth: monthOf(date) === ym };
      }),
    );
  return weeks;
}

/// The dates the grid of month `ym` shows, first and last included: {from, to} for
/// GET /calendar (at most 42 days, well within its 366).
export function gridRange(ym) {
  const weeks = monthWeeks(ym);
  return { from: weeks[0][0].date, to: weeks.at(-1)[6].date };
}

/// What a day of GET /calendar ({date, capacity, booked_clients, remaining}; null capacity:
/// unlimited) is on `today`, with `defaultCapacity` the business's DAILY_CLIENT_CAPACITY
/// (null: unlimited): {state, blocked, full, overridden, past, unlimited}, where `state` is
/// 'blocked' (capacity 0, a day off), 'full' (nothing remains) or 'open', and `overridden`
/// says an admin gave the date a capacity other than the default.
export function dayState(day, today, defaultCapacity = null) {
  const capacity = day.capacity ?? null;
  const blocked = capacity === 0;
  const full = !blocked && capacity !== null && (day.remaining ?? capacity - day.booked_clients) <= 0;
  return {
    state: blocked ? 'blocked' : full ? 'full' : 'open',
    blocked,
    full,
    overridden: capacity !== (defaultCapacity ?? null),
    past: day.date < today,
    unlimited: capacity === null,
  };
}

/// The days of GET /calendar by date.
export function byDate(days) {
  const out = new Map();
  for (const d of days ?? []) out.set(d.date, d);
  return out;
}

/// The capacity an admin typed: a whole number from 0 to MAX_CAPACITY, or null when the text
/// is not one.
export function parseCapacity(text) {
  const s = String(text ?? '').trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n <= MAX_CAPACITY ? n : null;
}

/// The date a key moves the focus of a month's grid to from `ymd` (arrows by a day or a week,
/// Home/End to the week's Monday/Sunday, PageUp/PageDown by a month, the day kept where the
/// month has it); null for any other key.
export function keyTarget(ymd, key) {
  switch (key) {
    case 'ArrowLeft':
      return addDays(ymd, -1);
    case 'ArrowRight':
      return addDays(ymd, 1);
    case 'ArrowUp':
      return addDays(ymd, -7);
    case 'ArrowDown':
      return addDays(ymd, 7);
    case 'Home':
      return addDays(ymd, -weekdayIndex(ymd));
    case 'End':
      return addDays(ymd, 6 - weekdayIndex(ymd));
    case 'PageUp':
    case 'PageDown': {
      const ym = stepMonth(monthOf(ymd), key === 'PageUp' ? -1 : 1);
      return `${ym}-${pad(Math.min(Number(ymd.slice(8, 10)), daysInMonth(ym)))}`;
    }
    default:
      return null;
  }
}

/// The date of month `ym` that takes the keyboard's focus when the grid is entered: the chosen
/// date if the month has it, else today if it has that, else its first day.
export function focusDateIn(ym, today, selected) {
  if (selected && monthOf(selected) === ym) return selected;
  if (today && monthOf(today) === ym) return today;
  return `${ym}-01`;
}
