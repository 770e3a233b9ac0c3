// Unit tests of the calendar view's pure rules (web/src/admin/calendar-rules.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDays,
  byDate,
  dayState,
  daysInMonth,
  focusDateIn,
  gridRange,
  keyTarget,
  monthOf,
  monthWeeks,
  parseCapacity,
  stepMonth,
  weekdayIndex,
  WEEKDAYS,
} from '../src/admin/calendar-rules.js';

const dates = (week) => week.map((d) => d.date);

test('the weeks of a month start on Monday, with the days of the months around it', () => {
  // December 2026 begins on a Tuesday and ends on a Thursday.
  const weeks = monthWeeks('2026-12');
  assert.equal(weeks.length, 5);
  assert.ok(weeks.every((w) => w.length === 7));
  assert.deepEqual(dates(weeks[0]), ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
  assert.deepEqual(dates(weeks[4]), ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  assert.deepEqual(weeks[0][0], { date: '2026-11-30', day: 30, inMonth: false });
  assert.deepEqual(weeks[0][1], { date: '2026-12-01', day: 1, inMonth: true });
  assert.equal(weeks[4][4].inMonth, false);
  // Every week's first day is a Monday; the month's days all appear, once, in order.
  assert.ok(weeks.every((w) => weekdayIndex(w[0].date) === 0));
  const inMonth = weeks.flat().filter((d) => d.inMonth).map((d) => d.day);
  assert.deepEqual(inMonth, Array.from({ length: 31 }, (_, i) => i + 1));
});

test('a month starting on Monday has no leading days; a long one spreads over six weeks', () => {
  // June 2026 begins on a Monday, ends on a Tuesday.
  const june = monthWeeks('2026-06');
  assert.equal(june[0][0].date, '2026-06-01');
  assert.equal(june.length, 5);
  // February 2027 begins on a Monday and has 28 days: exactly four weeks, nothing around.
  const feb = monthWeeks('2027-02');
  assert.equal(feb.length, 4);
  assert.ok(feb.flat().every((d) => d.inMonth));
  // August 2026 begins on a Saturday and has 31 days: six weeks.
  const aug = monthWeeks('2026-08');
  assert.equal(aug.length, 6);
  assert.deepEqual(dates(aug[0]).slice(0, 5), ['2026-07-27', '2026-07-28', '2026-07-29', '2026-07-30', '2026-07-31']);
  assert.equal(aug[5][6].date, '2026-09-06');
  // A month ending on a Sunday has no trailing days.
  const may = monthWeeks('2026-05');
  assert.equal(may.at(-1)[6].date, '2026-05-31');
});

test('leap years', () => {
  assert.equal(daysInMonth('2028-02'), 29);
  assert.equal(daysInMonth('2026-02'), 28);
  assert.equal(daysInMonth('2100-02'), 28);
  assert.equal(daysInMonth('2000-02'), 29);
  assert.ok(monthWeeks('2028-02').flat().some((d) => d.date === '2028-02-29' && d.inMonth));
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2028-03-01', -1), '2028-02-29');
});

test('month stepping crosses years both ways', () => {
  assert.equal(stepMonth('2026-12', 1), '2027-01');
  assert.equal(stepMonth('2027-01', -1), '2026-12');
  assert.equal(stepMonth('2026-05', 0), '2026-05');
  assert.equal(stepMonth('2026-05', 12), '2027-05');
  assert.equal(stepMonth('2026-05', -17), '2024-12');
  assert.equal(stepMonth('2026-11', 14), '2028-01');
  assert.equal(monthOf('2026-12-05'), '2026-12');
});

test("a month's grid range is its first and last shown date, within GET /calendar's limit", () => {
  assert.deepEqual(gridRange('2026-12'), { from: '2026-11-30', to: '2027-01-03' });
  assert.deepEqual(gridRange('2027-02'), { from: '2027-02-01', to: '2027-02-28' });
  assert.deepEqual(gridRange('2026-08'), { from: '2026-07-27', to: '2026-09-06' });
  for (let ym = '2026-01'; ym <= '2030-12'; ym = stepMonth(ym, 1)) {
    const { from, to } = gridRange(ym);
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    assert.ok([28, 35, 42].includes(days), `${ym}: ${days} days`);
    assert.ok(from <= `${ym}-01` && to >= `${ym}-${daysInMonth(ym)}`);
  }
});

test('weekdays are Monday first', () => {
  assert.equal(WEEKDAYS[0], 'monday');
  assert.equal(WEEKDAYS[6], 'sunday');
  assert.equal(weekdayIndex('2026-12-07'), 0); // a Monday
  assert.equal(weekdayIndex('2026-12-06'), 6); // a Sunday
});

const day = (date, capacity, booked, remaining = capacity === null ? null : Math.max(capacity - booked, 0)) => ({
  date,
  capacity,
  booked_clients: booked,
  remaining,
});

test("a day's state: blocked, full, overridden, open, past", () => {
  const today = '2026-12-05';
  assert.deepEqual(dayState(day('2026-12-10', 3, 1), today, 3), {
    state: 'open',
    blocked: false,
    full: false,
    overridden: false,
    past: false,
    unlimited: false,
  });
  // Blocked (capacity 0) is a day off, not "full", and an override of the default.
  const off = dayState(day('2026-12-10', 0, 0), today, 3);
  assert.equal(off.state, 'blocked');
  assert.ok(off.blocked && !off.full && off.overridden);
  // A day off stays one when bookings made before it was blocked remain.
  assert.equal(dayState(day('2026-12-10', 0, 2), today, 3).state, 'blocked');
  // Full: nothing remains, also when the bookings exceed a lowered capacity.
  const full = dayState(day('2026-12-10', 3, 3), today, 3);
  assert.equal(full.state, 'full');
  assert.ok(full.full && !full.overridden);
  assert.equal(dayState(day('2026-12-10', 2, 3, 0), today, 3).state, 'full');
  assert.ok(dayState(day('2026-12-10', 2, 3, 0), today, 3).overridden);
  // Overridden: any capacity other than the default, more too.
  assert.ok(dayState(day('2026-12-10', 5, 0), today, 3).overridden);
  // Past: before today only; today is not past.
  assert.ok(dayState(day('2026-12-04', 3, 0), today, 3).past);
  assert.ok(!dayState(day('2026-12-05', 3, 0), today, 3).past);
  assert.ok(dayState(day('2025-12-31', 0, 0), today, 3).past && dayState(day('2025-12-31', 0, 0), today, 3).blocked);
});

test('unlimited days are never full; with an unlimited default a limited day is an override', () => {
  const today = '2026-12-05';
  const open = dayState(day('2026-12-10', null, 40), today, null);
  assert.equal(open.state, 'open');
  assert.ok(open.unlimited && !open.overridden && !open.full);
  assert.ok(dayState(day('2026-12-10', 4, 0), today, null).overridden);
  assert.ok(dayState(day('2026-12-10', 4, 0), today, undefined).overridden);
  // Unlimited on a date while the default is limited cannot happen through the API, but reads
  // as an override.
  assert.ok(dayState(day('2026-12-10', null, 0), today, 3).overridden);
});

test('days are found by date', () => {
  const m = byDate([day('2026-12-01', 3, 0), day('2026-12-02', 0, 0)]);
  assert.equal(m.get('2026-12-02').capacity, 0);
  assert.equal(m.get('2026-12-03'), undefined);
  assert.equal(byDate(null).size, 0);
});

test('a typed capacity is a whole number from 0 to the server maximum', () => {
  assert.equal(parseCapacity('0'), 0);
  assert.equal(parseCapacity(' 12 '), 12);
  assert.equal(parseCapacity('1000000'), 1_000_000);
  for (const bad of ['', '  ', '-1', '1.5', '1e3', 'tiga', '1000001', null, undefined]) assert.equal(parseCapacity(bad), null, String(bad));
});

test('keys move the focus by a day, a week, to the week ends and by a month', () => {
  assert.equal(keyTarget('2026-12-01', 'ArrowLeft'), '2026-11-30');
  assert.equal(keyTarget('2026-12-31', 'ArrowRight'), '2027-01-01');
  assert.equal(keyTarget('2026-12-03', 'ArrowUp'), '2026-11-26');
  assert.equal(keyTarget('2026-12-29', 'ArrowDown'), '2027-01-05');
  assert.equal(keyTarget('2026-12-03', 'Home'), '2026-11-30');
  assert.equal(keyTarget('2026-12-03', 'End'), '2026-12-06');
  assert.equal(keyTarget('2026-12-07', 'Home'), '2026-12-07');
  assert.equal(keyTarget('2026-12-06', 'End'), '2026-12-06');
  assert.equal(keyTarget('2026-12-15', 'PageDown'), '2027-01-15');
  assert.equal(keyTarget('2027-01-31', 'PageUp'), '2026-12-31');
  assert.equal(keyTarget('2027-01-31', 'PageDown'), '2027-02-28');
  assert.equal(keyTarget('2026-12-15', 'Enter'), null);
});

test("the grid's focus starts on the chosen date, else today, else the first of the month", () => {
  assert.equal(focusDateIn('2026-12', '2026-12-05', '2026-12-20'), '2026-12-20');
  assert.equal(focusDateIn('2026-12', '2026-12-05', '2027-01-20'), '2026-12-05');
  assert.equal(focusDateIn('2026-12', '2026-12-05', null), '2026-12-05');
  assert.equal(focusDateIn('2027-01', '2026-12-05', null), '2027-01-01');
});
