// Pure rules of the notifications, webhooks and audit views, unit-tested in
// tests/ops-rules.test.mjs: the server's vocabularies, the lists' queries, the text of a wa.me
// link, the refusals of a webhook and the fields an audited change touched.

/// What a delivery can be (GET /api/admin/notifications?status=&channel=).
export const DELIVERY_STATUSES = ['queued', 'sent', 'failed'];
export const CHANNELS = ['whatsapp', 'email', 'webhook', 'wa_link'];

/// The event types a webhook endpoint takes ("*" takes them all), in the server's order.
export const WEBHOOK_EVENTS = [
  'booking_created',
  'booking_updated',
  'segment_updated',
  'booking.created',
  'booking.confirmed',
  'booking.rejected',
  'booking.expired',
  'booking.cancelled',
  'booking.waitlisted',
  'booking.seat_offered',
];

/// The event types a notification can come from: the webhooks' and the day-before reminder.
export const EVENT_TYPES = [...WEBHOOK_EVENTS, 'booking.reminder'];

/// The kinds of subject the audit log records, and its actions.
export const SUBJECT_TYPES = [
  'booking',
  'course',
  'course_booking',
  'enrollment',
  'package',
  'service_type',
  'calendar_day',
  'webhook',
  'notification',
  'user',
  'import',
];

export const AUDIT_ACTIONS = [
  'admin.created',
  'admin.promoted',
  'admin.password_reset',
  'booking.status_changed',
  'booking.cancelled_by_customer',
  'calendar.capacity_set',
  'calendar.capacity_cleared',
  'course.created',
  'course.updated',
  'course.deactivated',
  'course.deleted',
  'course_booking.confirmed',
  'course_booking.rejected',
  'course_booking.waitlisted',
  'course_booking.deleted',
  'enrollment.created',
  'enrollment.status_changed',
  'import.demo',
  'import.alfiyah',
  'notification.retried',
  'package.created',
  'package.updated',
  'package.deleted',
  'service_type.created',
  'service_type.updated',
  'service_type.deleted',
  'webhook.created',
  'webhook.deleted',
];

/// `t(prefix + value)` for a value of `known`, the value itself for one the server added since.
export function label(t, prefix, known, value) {
  return known.includes(value) ? t(`${prefix}${value}`) : value;
}

/// A page query: `filter`'s non-empty values (trimmed), then page and limit.
export function listQuery(filter, page, limit) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) {
    const s = String(v ?? '').trim();
    if (s) q.set(k, s);
  }
  q.set('page', String(page));
  q.set('limit', String(limit));
  return q;
}

/// Whether an actor id typed into the filter is one the server takes (empty: no filter).
export function validActorId(text) {
  const s = String(text ?? '').trim();
  return s === '' || /^[1-9]\d{0,17}$/.test(s);
}

/// Whether a delivery may be sent again now: a queued or failed one that a sender makes (a
/// wa.me link is sent by hand).
export function canRetry(d) {
  return (d.status === 'queued' || d.status === 'failed') && d.channel !== 'wa_link';
}

/// The prefilled message of a wa.me link (its `text` parameter, decoded); null without one.
export function waText(link) {
  if (!link) return null;
  try {
    return new URL(link).searchParams.get('text');
  } catch {
    return null;
  }
}

/// The phone number of a wa.me link, as "+62812…".
export function waNumber(link) {
  try {
    const u = new URL(link);
    return u.hostname === 'wa.me' ? `+${u.pathname.replace(/\D/g, '')}` : null;
  } catch {
    return null;
  }
}

/// The events of the webhook form after the box of `event` was (un)ticked: "all" stands alone;
/// a single event replaces it; the server's order is kept.
export function toggleEvent(events, event, on) {
  if (event === '*') return on ? ['*'] : [];
  const rest = events.filter((e) => e !== '*' && e !== event);
  if (on) rest.push(event);
  return WEBHOOK_EVENTS.filter((e) => rest.includes(e));
}

// The server's words for a refused webhook field, and the catalogue key that says the same.
const REFUSALS = [
  [/loopback|private/i, 'refused.private'],
  [/http or https/i, 'refused.scheme'],
  [/non-empty list/i, 'refused.noEvents'],
  [/unknown event/i, 'refused.unknownEvent'],
  [/field required/i, 'refused.required'],
  [/at most|at least|characters/i, 'refused.length'],
];

/// Why the server refused a webhook, from its 400 body ({error: {message, details: [{path,
/// message}]}}): one {key, field} per recognised detail, or {text} with the server's own words.
export function webhookRefusals(body) {
  const details = body?.error?.details;
  if (!Array.isArray(details) || details.length === 0) return [];
  return details.map((d) => {
    const found = REFUSALS.find(([re]) => re.test(String(d.message ?? '')));
    return found ? { key: found[1], field: d.path ?? '' } : { text: d.path ? `${d.path}: ${d.message}` : String(d.message) };
  });
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/// Whether two JSON values are the same (objects regardless of the order of their keys).
export function sameJson(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameJson(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

/// The fields of an audited subject before and after a change, for a side-by-side view:
/// [{field, before, after, change}] with `change` 'added', 'removed', 'changed' or 'same'
/// (a missing side is undefined). The fields keep the order of `after`, then those only
/// `before` had. A subject that is not an object (or null) is one row with field ''.
export function auditDiff(before, after) {
  const b = before ?? undefined;
  const a = after ?? undefined;
  if (!(isObject(b) || b === undefined) || !(isObject(a) || a === undefined) || (b === undefined && a === undefined)) {
    return [{ field: '', before: b, after: a, change: sameJson(b ?? null, a ?? null) ? 'same' : 'changed' }];
  }
  const keys = [...Object.keys(a ?? {}), ...Object.keys(b ?? {}).filter((k) => !Object.hasOwn(a ?? {}, k))];
  return keys.map((field) => {
    const inB = b !== undefined && Object.hasOwn(b, field);
    const inA = a !== undefined && Object.hasOwn(a, field);
    const change = !inB ? 'added' : !inA ? 'removed' : sameJson(b[field], a[field]) ? 'same' : 'changed';
    return { field, before: inB ? b[field] : undefined, after: inA ? a[field] : undefined, change };
  });
}

/// The names of the fields a change touched.
export function changedFields(before, after) {
  return auditDiff(before, after)
    .filter((r) => r.change !== 'same')
    .map((r) => r.field);
}

/// A JSON value as the diff shows it: strings as they are, the rest as compact JSON; a
/// missing value as ''.
export function showJson(v) {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/// The state of two live streams together: live when both are, else the worse of the two.
export function bothLive(a, b) {
  if (a === 'live' && b === 'live') return 'live';
  if (a === 'reconnecting' || b === 'reconnecting') return 'reconnecting';
  return 'connecting';
}
