// Unit tests of the pure rules of the notifications, webhooks and audit views
// (web/src/admin/ops-rules.js), and of the words their catalogues give the server's values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import audit from '../src/admin/audit.messages.js';
import notifications from '../src/admin/notifications.messages.js';
import {
  AUDIT_ACTIONS,
  auditDiff,
  bothLive,
  canRetry,
  changedFields,
  CHANNELS,
  DELIVERY_STATUSES,
  EVENT_TYPES,
  label,
  listQuery,
  sameJson,
  showJson,
  SUBJECT_TYPES,
  toggleEvent,
  validActorId,
  waNumber,
  waText,
  WEBHOOK_EVENTS,
  webhookRefusals,
} from '../src/admin/ops-rules.js';

test('every known status, channel, event, subject type and action has words in both languages', () => {
  for (const lang of ['id', 'en']) {
    for (const s of DELIVERY_STATUSES) assert.ok(notifications[lang][`status.${s}`], `${lang} status.${s}`);
    for (const c of CHANNELS) assert.ok(notifications[lang][`channel.${c}`], `${lang} channel.${c}`);
    for (const e of EVENT_TYPES) assert.ok(notifications[lang][`event.${e}`], `${lang} event.${e}`);
    for (const s of SUBJECT_TYPES) assert.ok(audit[lang][`subject.${s}`], `${lang} subject.${s}`);
    for (const a of AUDIT_ACTIONS) assert.ok(audit[lang][`action.${a}`], `${lang} action.${a}`);
  }
  assert.equal(notifications.id['event.booking.created'], 'Pendaftaran kursus baru');
  assert.equal(audit.id['action.course.updated'], 'Kursus diubah');
});

test('a known value is translated, one the server added since is shown as it is', () => {
  const t = (key) => `<${key}>`;
  assert.equal(label(t, 'event.', EVENT_TYPES, 'booking.created'), '<event.booking.created>');
  assert.equal(label(t, 'event.', EVENT_TYPES, 'booking.teleported'), 'booking.teleported');
});

test('the list query carries the non-empty filters, then page and limit', () => {
  assert.equal(listQuery({ status: 'failed', channel: '' }, 2, 20).toString(), 'status=failed&page=2&limit=20');
  assert.equal(listQuery({ subject_type: 'course', subject_id: ' abc ', actor_id: null }, 1, 50).toString(), 'subject_type=course&subject_id=abc&page=1&limit=50');
});

test('an actor id is empty or a positive whole number', () => {
  for (const ok of ['', ' ', '1', '42', ' 7 ']) assert.ok(validActorId(ok), JSON.stringify(ok));
  for (const bad of ['0', '-1', '1.5', 'abc', '1e3', '01']) assert.ok(!validActorId(bad), JSON.stringify(bad));
});

test('only queued and failed deliveries made by a sender can be retried', () => {
  assert.ok(canRetry({ status: 'failed', channel: 'webhook' }));
  assert.ok(canRetry({ status: 'queued', channel: 'email' }));
  assert.ok(!canRetry({ status: 'sent', channel: 'webhook' }));
  assert.ok(!canRetry({ status: 'sent', channel: 'wa_link' }));
  assert.ok(!canRetry({ status: 'queued', channel: 'wa_link' }));
});

test('the text of a wa.me link is its decoded text parameter, newlines and symbols kept', () => {
  const message = 'Halo Siti, pendaftaran kursus Gitar & Biola #2 sudah kami terima.\nBiaya: Rp 150.000 (+ pajak) 100%';
  const link = `https://wa.me/6281298765432?text=${encodeURIComponent(message)}`;
  assert.equal(waText(link), message);
  assert.equal(waNumber(link), '+6281298765432');
  assert.equal(waText('https://wa.me/6281298765432'), null);
  assert.equal(waText(null), null);
  assert.equal(waText('not a link'), null);
  assert.equal(waNumber('https://example.com/62812'), null);
});

test('"all" events stands alone; a single event replaces it; the server order is kept', () => {
  assert.deepEqual(toggleEvent([], '*', true), ['*']);
  assert.deepEqual(toggleEvent(['*'], '*', false), []);
  assert.deepEqual(toggleEvent(['booking_created', 'booking.created'], '*', true), ['*']);
  assert.deepEqual(toggleEvent(['*'], 'booking.created', true), ['booking.created']);
  assert.deepEqual(toggleEvent(['booking.confirmed'], 'booking_created', true), ['booking_created', 'booking.confirmed']);
  assert.deepEqual(toggleEvent(['booking_created', 'booking.confirmed'], 'booking_created', false), ['booking.confirmed']);
  assert.deepEqual(toggleEvent([], 'booking.exploded', true), []);
  assert.equal(WEBHOOK_EVENTS.length, 10);
});

test("the server's refusals of a webhook are recognised, others keep its words", () => {
  const body = {
    success: false,
    error: {
      code: 'VALIDATION_ERROR',
      message: 'Invalid request data',
      details: [
        { path: 'url', message: 'Must not point to a loopback or private address' },
        { path: 'events', message: 'Unknown event type' },
        { path: 'colour', message: 'Something new' },
      ],
    },
  };
  assert.deepEqual(webhookRefusals(body), [
    { key: 'refused.private', field: 'url' },
    { key: 'refused.unknownEvent', field: 'events' },
    { text: 'colour: Something new' },
  ]);
  assert.deepEqual(webhookRefusals({ error: { details: [{ path: 'url', message: 'Must be an http or https URL' }] } }), [
    { key: 'refused.scheme', field: 'url' },
  ]);
  assert.deepEqual(webhookRefusals({ error: { details: [{ path: 'events', message: 'Must be a non-empty list of event types' }] } }), [
    { key: 'refused.noEvents', field: 'events' },
  ]);
  assert.deepEqual(webhookRefusals({ error: { message: 'Internal error' } }), []);
  assert.deepEqual(webhookRefusals(null), []);
});

test('JSON values compare by content, objects regardless of key order', () => {
  assert.ok(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
  assert.ok(!sameJson({ a: 1 }, { a: 1, b: null }));
  assert.ok(!sameJson([1, 2], [2, 1]));
  assert.ok(!sameJson(1, '1'));
  assert.ok(!sameJson(null, {}));
  assert.ok(sameJson(null, null));
});

test('the diff of an update marks the changed fields and keeps the rest', () => {
  const before = { id: 'c1', title: 'Piano', price_per_session: 150000, schedule: { days: ['monday'] }, old: true };
  const after = { id: 'c1', title: 'Piano Dasar', price_per_session: 150000, schedule: { days: ['monday', 'friday'] }, max_students: 5 };
  const rows = auditDiff(before, after);
  assert.deepEqual(
    rows.map((r) => [r.field, r.change]),
    [
      ['id', 'same'],
      ['title', 'changed'],
      ['price_per_session', 'same'],
      ['schedule', 'changed'],
      ['max_students', 'added'],
      ['old', 'removed'],
    ],
  );
  assert.equal(rows[1].before, 'Piano');
  assert.equal(rows[1].after, 'Piano Dasar');
  assert.equal(rows[5].after, undefined);
  assert.deepEqual(changedFields(before, after), ['title', 'schedule', 'max_students', 'old']);
});

test('a creation has every field added, a deletion every field removed', () => {
  assert.deepEqual(changedFields(null, { id: 1, url: 'https://x' }), ['id', 'url']);
  assert.ok(auditDiff(null, { id: 1 }).every((r) => r.change === 'added' && r.before === undefined));
  assert.ok(auditDiff({ id: 1 }, null).every((r) => r.change === 'removed' && r.after === undefined));
});

test('a subject that is not an object is one whole row', () => {
  assert.deepEqual(auditDiff(null, null), [{ field: '', before: undefined, after: undefined, change: 'same' }]);
  assert.deepEqual(auditDiff('a', 'b'), [{ field: '', before: 'a', after: 'b', change: 'changed' }]);
  assert.deepEqual(auditDiff([1], { a: 1 }), [{ field: '', before: [1], after: { a: 1 }, change: 'changed' }]);
});

test('values are shown as compact JSON, strings as they are', () => {
  assert.equal(showJson('Piano'), 'Piano');
  assert.equal(showJson(150000), '150000');
  assert.equal(showJson(null), 'null');
  assert.equal(showJson({ a: [1, 2] }), '{"a":[1,2]}');
  assert.equal(showJson(undefined), '');
});

test('two streams are live together only when both are', () => {
  assert.equal(bothLive('live', 'live'), 'live');
  assert.equal(bothLive('live', 'connecting'), 'connecting');
  assert.equal(bothLive('reconnecting', 'live'), 'reconnecting');
  assert.equal(bothLive('connecting', 'reconnecting'), 'reconnecting');
});
