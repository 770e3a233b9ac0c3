// Unit tests of the pages' money and date formatting (web/src/common/format.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDateTime, formatLongDateTime, parseInstant, rupiah, rupiahCompact } from '../src/common/format.js';

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

test('dates read as day, short month and year in UTC unless a zone is given', () => {
  assert.equal(formatDate('2026-12-05T23:30:00'), '5 Dec 2026');
  assert.equal(formatDate('2026-12-05T23:30:00Z', 'Asia/Jakarta'), '6 Dec 2026');
  assert.equal(formatDateTime('2026-12-05T07:05:00Z'), '5 Dec 2026, 07:05 UTC');
  assert.match(formatLongDateTime('2026-12-06T07:30:00Z', 'Asia/Jakarta'), /^Sunday,? 6 December 2026.*14:30/);
});

test('a missing date is a dash; one that is not a date is shown as it came', () => {
  for (const f of [formatDate, formatDateTime, formatLongDateTime]) {
    assert.equal(f(null), '—');
    assert.equal(f(''), '—');
    assert.equal(f('garbage'), 'garbage');
  }
});
