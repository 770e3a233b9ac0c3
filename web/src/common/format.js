// How the pages show money and time: the one place that knows the locales. Rupiah are
// formatted the Indonesian way (1.500.000); dates for now in English words, as the pages'
// text is English.

const DATE_LOCALE = 'en-GB';
const EMPTY = '—';

const whole = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const withCents = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('id-ID', { notation: 'compact', maximumSignificantDigits: 3 });

/// An amount of rupiah (a JSON number, or the service surface's decimal string "1500000.00")
/// as "Rp 1.500.000"; cents only when there are any ("Rp 200.000,50").
export function rupiah(amount) {
  if (amount === null || amount === undefined || amount === '') return EMPTY;
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  return `Rp ${(Number.isInteger(n) ? whole : withCents).format(n)}`;
}

/// A short amount for an axis, without the currency: "1,5 jt", "150 rb", "200".
export function rupiahCompact(amount) {
  return compact.format(Number(amount));
}

/// A Date from an ISO text. The service surface sends naive datetimes
/// ("2026-12-05T00:00:00") that are UTC, which Date would read as local time.
export function parseInstant(value) {
  if (value instanceof Date) return value;
  const s = String(value ?? '');
  const naive = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s);
  return new Date(naive ? `${s}Z` : s);
}

const formats = {
  // 5 Dec 2026
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  // 5 Dec 2026, 14:30 UTC
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' },
  // Saturday, 5 December 2026 at 14:30 WIB
  long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' },
};
const cache = new Map();

function format(style, value, timeZone) {
  if (value === null || value === undefined || value === '') return EMPTY;
  const d = parseInstant(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const key = `${style}|${timeZone ?? ''}`;
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(DATE_LOCALE, { ...formats[style], ...(timeZone ? { timeZone } : {}) }));
  return cache.get(key).format(d);
}

/// "5 Dec 2026": the date in `timeZone` (UTC unless given), as the admin pages show it.
export const formatDate = (value, timeZone = 'UTC') => format('date', value, timeZone);

/// "5 Dec 2026, 14:30 UTC": date and time in `timeZone` (UTC unless given).
export const formatDateTime = (value, timeZone = 'UTC') => format('dateTime', value, timeZone);

/// "Saturday, 5 December 2026 at 14:30 WIB"-like text in `timeZone` (the browser's own when
/// not given), for a reader who is not used to the short forms.
export const formatLongDateTime = (value, timeZone) => format('long', value, timeZone);
