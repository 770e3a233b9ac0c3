// Unit tests of the server's enums as the pages see them (web/src/common/enums.js): they are
// the lists of web/openapi.json, and every value has the words the pages show for it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import {
  BOOKING_ORDERS,
  BOOKING_STATUSES,
  COURSE_LEVELS,
  COURSE_LEVEL_LABELS,
  CUSTOMER_SEGMENTS,
  ENROLLMENT_STATUSES,
  EXPERIENCE_LEVELS,
  PRIORITY_SEGMENTS,
  REFERRAL_LABELS,
  REFERRAL_SOURCES,
  WEEKDAYS,
  WEEKDAY_LABELS,
  shortWeekday,
} from '../src/common/enums.js';

const doc = JSON.parse(fs.readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
const property = (schema, name) => doc.components.schemas[schema].properties[name];

/// The values of the query parameter `name` of GET `path`, wherever the document puts it.
function queryValues(path, name) {
  const params = doc.paths[path].get.parameters ?? [];
  return params.find((p) => p.in === 'query' && p.name === name).schema.enum;
}

test('the lists are the enums of the server document, in its order', () => {
  assert.deepEqual(BOOKING_STATUSES, property('BookingRead', 'status').enum);
  assert.deepEqual(PRIORITY_SEGMENTS, property('BookingRead', 'priority_segment').enum);
  assert.deepEqual(CUSTOMER_SEGMENTS, property('SegmentItem', 'customer_segment').enum);
  assert.deepEqual(ENROLLMENT_STATUSES, property('EnrollmentUpdate', 'status').enum);
  assert.deepEqual(COURSE_LEVELS, property('Course', 'level').enum);
  assert.deepEqual(EXPERIENCE_LEVELS, property('CourseRegistration', 'experience_level').enum);
  assert.deepEqual(WEEKDAYS, property('CourseRegistration', 'preferred_days').items.enum);
  assert.deepEqual(REFERRAL_SOURCES, property('CourseRegistration', 'referral_source').enum);
});

test('the segments run from best to worst, as the server numbers its clusters', () => {
  assert.deepEqual(CUSTOMER_SEGMENTS, ['Loyal', 'Aktif', 'Potensial', 'Pasif']);
  assert.deepEqual(PRIORITY_SEGMENTS, ['high', 'medium', 'low']);
});

test('every value the pages offer has a label, and every label a value', () => {
  assert.deepEqual(Object.keys(COURSE_LEVEL_LABELS).sort(), [...COURSE_LEVELS].sort());
  assert.deepEqual(Object.keys(WEEKDAY_LABELS).sort(), [...WEEKDAYS].sort());
  assert.deepEqual(Object.keys(REFERRAL_LABELS).sort(), [...REFERRAL_SOURCES].sort());
  for (const l of EXPERIENCE_LEVELS) assert.ok(COURSE_LEVEL_LABELS[l], l);
  assert.equal(shortWeekday('wednesday'), 'Wed');
  assert.equal(shortWeekday('someday'), 'someday');
});

test('the board offers only orders that GET /bookings/ accepts', () => {
  const path = Object.keys(doc.paths).find((p) => /^\/bookings\/?$/.test(p));
  const accepted = queryValues(path, 'order_by');
  for (const order of Object.keys(BOOKING_ORDERS)) assert.ok(accepted.includes(order), order);
});
