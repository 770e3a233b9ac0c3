// Unit tests of the pages' money and date formatting (web/src/common/format.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatter, parseInstant, rupiah, rupiahCompact, ymdIn } from '../src/common/format.js';

const id = formatter('id-ID', 'Asia/Makassar');
const en = formatter('en-GB', 'Asia/Makassar');

test('rupiah are grouped by thousands with dots, cents only when there are any', () => {
  assert.equal(rupiah('1500000.00'), 'Rp 1.500.000');
  assert.equal(rupiah(150000), 'Rp 150.000');
  assert.equal(rupiah('200000.50'), 'Rp 200.000,50');
  assert.equal(rupiah(1250000.5), 'Rp 1.250.000,50');
  assert.equal(rupiah('999.00'), 'Rp 999');
  assert.equal(rupiah('0.00'), 'Rp 0');
  assert.equal(rupiah(null), '—');
  assert.equal(rupiah('n/a'), 'n/a');
});

test('compact rupiah for an axis say juta and ribu', () => {
  assert.equal(rupiahCompact(1_500_000), '1,5\u00a0jt', 'a space that does not break');
  assert.equal(rupiahCompact(150_000), '150\u00a0rb');
  assert.equal(rupiahCompact(200), '200');
});

test('a naive datetime of the service surface is UTC; one with a zone keeps it', () => {
  assert.equal(parseInstant('2026-12-05T23:30:00').toISOString(), '2026-12-05T23:30:00.000Z');
  assert.equal(parseInstant('2026-12-05T23:30').toISOString(), '2026-12-05T23:30:00.000Z');
  assert.equal(parseInstant('2026-12-05T23:30:00+07:00').toISOString(), '2026-12-05T16:30:00.000Z');
  assert.equal(parseInstant('2026-12-05T23:30:00.250Z').toISOString(), '2026-12-05T23:30:00.250Z');
});

test('dates and times are told in the business zone, the Indonesian way, 24-hour', () => {
  // 23:30 UTC is 07:30 the next day in Makassar (UTC+8).
  assert.equal(id.date('2026-12-05T23:30:00'), '6 Des 2026');
  assert.equal(en.date('2026-12-05T23:30:00'), '6 Dec 2026');
  assert.equal(id.dateTime('2026-12-05T07:05:00Z'), '5 Des 2026, 15.05');
  assert.equal(en.dateTime('2026-12-05T07:05:00Z'), '5 Dec 2026, 15:05');
  assert.equal(id.time('2026-12-05T13:05:00Z'), '21.05');
  assert.match(id.long('2026-12-06T07:30:00Z'), /^Minggu, 6 Desember 2026.*15\.30 WITA$/);
  assert.equal(id.zoneName(), 'WITA');
  assert.equal(formatter('id-ID', 'Asia/Jakarta').date('2026-12-05T23:30:00Z'), '6 Des 2026');
});

test('calendar dates are shown as they are, whatever the zone', () => {
  assert.equal(id.day('2026-12-04'), 'Jum, 4 Des 2026');
  assert.equal(en.day('2026-12-04'), 'Fri, 4 Dec 2026');
  assert.equal(id.month('2026-12'), 'Desember 2026');
  assert.equal(ymdIn(new Date('2026-12-05T16:30:00Z'), 'Asia/Makassar'), '2026-12-06');
  assert.equal(ymdIn(new Date('2026-12-05T15:30:00Z'), 'Asia/Makassar'), '2026-12-05');
});

test('a missing date is a dash; one that is not a date is shown as it came', () => {
  for (const f of [id.date, id.dateTime, id.long]) {
    assert.equal(f(null), '—');
    assert.equal(f(''), '—');
    assert.equal(f('garbage'), 'garbage');
  }
});
