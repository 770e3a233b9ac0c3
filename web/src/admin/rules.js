// Pure rules of the dashboard, shared by its views and unit-tested in tests/rules.test.mjs.

import { OPEN_STATUSES } from '../common/enums.js';
import { parseInstant, ymdIn } from '../common/format.js';

const time = (naive) => parseInstant(naive).getTime();

/// The server's orders (GET /bookings/?order_by=…), so that a booking that arrives on the
/// stream takes the place the server would have given it. Priority ties break by nearest
/// event date, then id.
export function compareBookings(order) {
  switch (order) {
    case 'tanggal_acara_asc':
      return (a, b) => time(a.tanggal_acara) - time(b.tanggal_acara) || a.id - b.id;
    case 'tanggal_acara_desc':
      return (a, b) => time(b.tanggal_acara) - time(a.tanggal_acara) || b.id - a.id;
    case 'id_desc':
      return (a, b) => b.id - a.id;
    case 'id_asc':
      return (a, b) => a.id - b.id;
    default:
      return (a, b) =>
        b.priority_score - a.priority_score ||
        time(a.tanggal_acara) - time(b.tanggal_acara) ||
        a.id - b.id;
  }
}

/// Whether `booking` passes the board's filter. `status` is one status, or 'open' (what still
/// needs the owner), 'finished' (completed and cancelled), or '' / 'all'.
export function matchesFilter(booking, { segment, status }) {
  const open = OPEN_STATUSES.includes(booking.status);
  const byStatus =
    !status || status === 'all' || (status === 'open' ? open : status === 'finished' ? !open : booking.status === status);
  return (!segment || booking.priority_segment === segment) && byStatus;
}

/// The query of GET /bookings/ for the board's filter.
export function boardQuery({ segment, status, order_by }, limit) {
  const q = new URLSearchParams({ order_by, limit: String(limit) });
  if (segment) q.set('segment', segment);
  if (status === 'open' || status === 'finished') q.set('state', status);
  else if (status && status !== 'all') q.set('status', status);
  return q;
}

/// How the board marks a booking's time: 'overdue' for an open booking whose event day (in
/// the business's zone) is before `today` ("YYYY-MM-DD" there), its urgency for other open
/// ones, nothing for finished ones (they need nobody).
export function timeBadge(booking, today, zone) {
  if (!OPEN_STATUSES.includes(booking.status)) return null;
  if (ymdIn(parseInstant(booking.tanggal_acara), zone) < today) return 'overdue';
  return booking.urgency_level;
}

/// The list after `booking` was created or changed: replaced in place (or added), dropped
/// when it no longer passes the filter, and the list kept in the filter's order.
export function upsertBooking(list, booking, filter) {
  const rest = list.filter((b) => b.id !== booking.id);
  if (matchesFilter(booking, filter)) rest.push(booking);
  return rest.sort(compareBookings(filter.order_by));
}

/// Ticks for an axis over [lo, hi]: about `count` round numbers (1, 2 or 5 × 10^k apart).
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/// A linear map from [d0, d1] onto [r0, r1]; a flat domain maps to the middle.
export function linearScale([d0, d1], [r0, r1]) {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/// The domain of the plot's axes: from 0 to a little past the largest value.
export function axisDomain(values) {
  const max = Math.max(0, ...values);
  if (max === 0) return [0, 1];
  const ticks = niceTicks(0, max * 1.05);
  return [0, Math.max(ticks[ticks.length - 1], max)];
}

/// Customers of /segments/ best segment first, then by money spent.
export function sortCustomers(rows) {
  return [...rows].sort(
    (a, b) => a.cluster - b.cluster || Number(b.monetary) - Number(a.monetary) || a.user_id - b.user_id,
  );
}

/// The page shown (0 when there are none) and whether there are pages before and after.
export function pageInfo({ page, total_pages }) {
  return { page: total_pages === 0 ? 0 : page, pages: total_pages, prev: page > 1, next: page < total_pages };
}

/// Each waiting booking's place in its own course's line (the list comes oldest first, all
/// courses mixed): [1, 1, 2] for courses A, B, A.
export function waitlistPositions(bookings) {
  const seen = new Map();
  return bookings.map((b) => {
    const n = (seen.get(b.course_id) ?? 0) + 1;
    seen.set(b.course_id, n);
    return n;
  });
}
