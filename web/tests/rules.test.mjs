// Unit tests of the dashboard's pure rules (web/src/admin/rules.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  axisDomain,
  boardQuery,
  compareBookings,
  linearScale,
  matchesFilter,
  niceTicks,
  pageInfo,
  sortCustomers,
  timeBadge,
  waitlistPositions,
  upsertBooking,
} from '../src/admin/rules.js';

const b = (id, score, date, extra = {}) => ({
  id,
  priority_score: score,
  tanggal_acara: date,
  priority_segment: score >= 80 ? 'high' : score >= 50 ? 'medium' : 'low',
  status: 'pending',
  ...extra,
});

test('priority order breaks ties by the nearest event date, then id, as the server does', () => {
  const list = [b(3, 50, '2026-12-10T00:00:00'), b(1, 50, '2026-12-10T00:00:00'), b(2, 50, '2026-12-05T00:00:00'), b(4, 90, '2027-01-01T00:00:00')];
  assert.deepEqual(list.sort(compareBookings('priority_score_desc')).map((x) => x.id), [4, 2, 1, 3]);
  assert.deepEqual(list.sort(compareBookings('tanggal_acara_desc')).map((x) => x.id), [4, 3, 1, 2]);
  assert.deepEqual(list.sort(compareBookings('id_desc')).map((x) => x.id), [4, 3, 2, 1]);
});

test('an updated booking replaces the old one in place of its new priority', () => {
  const filter = { segment: '', status: '', order_by: 'priority_score_desc' };
  const list = [b(1, 90, '2026-12-10T00:00:00'), b(2, 60, '2026-12-10T00:00:00')];
  const after = upsertBooking(list, b(2, 95, '2026-12-10T00:00:00'), filter);
  assert.deepEqual(after.map((x) => [x.id, x.priority_score]), [[2, 95], [1, 90]]);
  assert.equal(list.length, 2, 'the old list is left as it was');
});

test('a booking that leaves the filter leaves the list; one that matches is added', () => {
  const filter = { segment: 'high', status: '', order_by: 'priority_score_desc' };
  const list = [b(1, 90, '2026-12-10T00:00:00')];
  assert.deepEqual(upsertBooking(list, b(1, 40, '2026-12-10T00:00:00'), filter), []);
  assert.deepEqual(upsertBooking(list, b(7, 85, '2026-12-01T00:00:00'), filter).map((x) => x.id), [1, 7]);
  assert.equal(matchesFilter(b(1, 90, 'x', { status: 'paid' }), { segment: 'high', status: 'pending' }), false);
  assert.equal(matchesFilter(b(1, 90, 'x', { status: 'paid' }), { segment: '', status: 'paid' }), true);
});

test('axis ticks are round numbers covering the domain', () => {
  assert.deepEqual(niceTicks(0, 100), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceTicks(0, 1_050_000), [0, 500000, 1000000]);
  assert.deepEqual(niceTicks(0, 900_000), [0, 200000, 400000, 600000, 800000]);
  assert.deepEqual(niceTicks(5, 5), [5]);
  const [lo, hi] = axisDomain([3, 557]);
  assert.equal(lo, 0);
  assert.ok(hi >= 557 && hi <= 700, String(hi));
  assert.deepEqual(axisDomain([0, 0]), [0, 1]);
});

test('a linear scale maps ends onto ends, and a flat domain onto the middle', () => {
  const y = linearScale([0, 100], [300, 0]);
  assert.equal(y(0), 300);
  assert.equal(y(100), 0);
  assert.equal(y(25), 225);
  assert.equal(linearScale([4, 4], [0, 10])(4), 5);
});

test('customers sort by segment rank, then by money spent', () => {
  const rows = [
    { user_id: 1, cluster: 2, monetary: '100.00' },
    { user_id: 2, cluster: 0, monetary: '50.00' },
    { user_id: 3, cluster: 2, monetary: '900.00' },
  ];
  assert.deepEqual(sortCustomers(rows).map((r) => r.user_id), [2, 3, 1]);
});

test('page info says where the pager stands', () => {
  assert.deepEqual(pageInfo({ page: 1, total_pages: 2 }), { page: 1, pages: 2, prev: false, next: true });
  assert.deepEqual(pageInfo({ page: 2, total_pages: 2 }), { page: 2, pages: 2, prev: true, next: false });
  assert.deepEqual(pageInfo({ page: 1, total_pages: 0 }), { page: 0, pages: 0, prev: false, next: false });
});

test('the board shows open bookings by default; finished ones only behind their filter', () => {
  const open = { status: 'open' };
  assert.ok(matchesFilter(b(1, 50, '2026-12-10T00:00:00', { status: 'dp' }), open));
  assert.ok(!matchesFilter(b(1, 50, '2026-12-10T00:00:00', { status: 'completed' }), open));
  assert.ok(matchesFilter(b(1, 50, '2026-12-10T00:00:00', { status: 'cancelled' }), { status: 'finished' }));
  assert.ok(!matchesFilter(b(1, 50, '2026-12-10T00:00:00', { status: 'paid' }), { status: 'finished' }));
  assert.ok(matchesFilter(b(1, 50, '2026-12-10T00:00:00', { status: 'paid' }), { status: 'all' }));
  assert.equal(boardQuery({ segment: '', status: 'open', order_by: 'priority_score_desc' }, 500).toString(), 'order_by=priority_score_desc&limit=500&state=open');
  assert.equal(boardQuery({ segment: 'high', status: 'paid', order_by: 'id_desc' }, 10).toString(), 'order_by=id_desc&limit=10&segment=high&status=paid');
  assert.equal(boardQuery({ segment: '', status: 'all', order_by: 'id_desc' }, 10).toString(), 'order_by=id_desc&limit=10');
});

test('a past open booking is overdue, not urgent; a finished one has no time badge', () => {
  const zone = 'Asia/Makassar';
  // 16:30 UTC on the 3rd is already the 4th in Makassar.
  assert.equal(timeBadge(b(1, 80, '2026-12-03T16:30:00', { urgency_level: 'urgent' }), '2026-12-04', zone), 'urgent');
  assert.equal(timeBadge(b(1, 80, '2026-12-03T15:30:00', { urgency_level: 'urgent' }), '2026-12-04', zone), 'overdue');
  assert.equal(timeBadge(b(1, 80, '2026-01-10T00:00:00', { status: 'completed', urgency_level: 'urgent' }), '2026-12-04', zone), null);
  assert.equal(timeBadge(b(1, 80, '2027-01-10T00:00:00', { urgency_level: 'upcoming' }), '2026-12-04', zone), 'upcoming');
});

test('a place on the waiting list counts within its own course', () => {
  const w = (course_id) => ({ course_id });
  assert.deepEqual(waitlistPositions([w('a'), w('b'), w('a'), w('a'), w('b')]), [1, 1, 2, 3, 2]);
  assert.deepEqual(waitlistPositions([]), []);
});
