// Unit tests of the server's enums as the pages see them (web/src/common/enums.js): they are
// the lists of web/openapi.json, and every value has the words the pages show for it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import common from '../src/common/common.messages.js';
import {
  BOOKING_ORDERS,
  BOOKING_STATUSES,
  COURSE_LEVELS,
  CUSTOMER_SEGMENTS,
  ENROLLMENT_STATUSES,
  EXPERIENCE_LEVELS,
  OPEN_STATUSES,
  PRIORITY_SEGMENTS,
  REFERRAL_SOURCES,
  WEEKDAYS,
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

test('every value the pages offer has words in every language', () => {
  const groups = {
    bookingStatus: BOOKING_STATUSES,
    prioritySegment: PRIORITY_SEGMENTS,
    enrollmentStatus: ENROLLMENT_STATUSES,
    courseLevel: [...COURSE_LEVELS, ...EXPERIENCE_LEVELS],
    weekday: WEEKDAYS,
    weekdayShort: WEEKDAYS,
    referral: REFERRAL_SOURCES,
    order: BOOKING_ORDERS,
    courseBookingStatus: queryValues('/api/booking/export.csv', 'status'),
  };
  for (const lang of ['id', 'en'])
    for (const [group, values] of Object.entries(groups))
      for (const v of values) assert.ok(common[lang][`${group}.${v}`], `${lang} ${group}.${v}`);
  assert.ok(OPEN_STATUSES.every((s) => BOOKING_STATUSES.includes(s)));
});

test('the board offers only orders that GET /bookings/ accepts', () => {
  const path = Object.keys(doc.paths).find((p) => /^\/bookings\/?$/.test(p));
  const accepted = queryValues(path, 'order_by');
  for (const order of BOOKING_ORDERS) assert.ok(accepted.includes(order), order);
});
