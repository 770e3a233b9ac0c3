// How the pages show money and time: the one place that knows the formats. Rupiah are
// always written the Indonesian way (Rp 1.500.000); dates and times in the page's language,
// 24-hour, in the business's time zone (see formatter()).

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
  // 4 Des 2026
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  // Sab, 4 Des 2026
  weekdayDate: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
  // 4 Des 2026, 14.30
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  // 14.30
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  // Sabtu, 4 Desember 2026 pukul 14.30 WITA
  long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  // Desember 2026
  month: { month: 'long', year: 'numeric' },
};
const cache = new Map();

function dateFormat(locale, style, timeZone) {
  const key = `${locale}|${style}|${timeZone}`;
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(locale, { ...formats[style], timeZone }));
  return cache.get(key);
}

function format(locale, style, value, timeZone) {
  if (value === null || value === undefined || value === '') return EMPTY;
  const d = parseInstant(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return dateFormat(locale, style, timeZone).format(d);
}

/// A calendar date ("2026-12-04", a date in the business's zone already) as a Date at UTC
/// midnight, to be formatted with timeZone UTC.
const calendarDate = (ymd) => new Date(`${ymd}T00:00:00Z`);

/// The formats of one page: `locale` ("id-ID") and the business's IANA time zone. Instants
/// (ISO texts, naive ones UTC) are shown in that zone; calendar dates as they are.
export function formatter(locale, zone) {
  return {
    locale,
    zone,
    money: rupiah,
    moneyCompact: rupiahCompact,
    number: (n) => new Intl.NumberFormat(locale).format(n),
    /// "4 Des 2026" (the day in the business's zone)
    date: (v) => format(locale, 'date', v, zone),
    /// "4 Des 2026, 14.30"
    dateTime: (v) => format(locale, 'dateTime', v, zone),
    /// "14.30"
    time: (v) => format(locale, 'time', v, zone),
    /// "Sabtu, 4 Desember 2026 pukul 14.30 WITA"
    long: (v) => format(locale, 'long', v, zone),
    /// "Sab, 4 Des 2026" for a calendar date "2026-12-04"
    day: (ymd) => (ymd ? dateFormat(locale, 'weekdayDate', 'UTC').format(calendarDate(ymd)) : EMPTY),
    /// "Desember 2026" for a month "2026-12"
    month: (ym) => dateFormat(locale, 'month', 'UTC').format(calendarDate(`${ym}-01`)),
    /// The zone's short name in this language: "WITA" in Indonesian, "GMT+8" in English.
    zoneName: () =>
      new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName')?.value ?? zone,
    /// Today's date in the business's zone, "2026-12-04".
    today: () => ymdIn(new Date(), zone),
  };
}

/// The calendar date of instant `d` in `zone`, as "YYYY-MM-DD".
export function ymdIn(d, zone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
