// Pure rules of the registration form (no DOM), unit-tested in tests/validation.test.mjs.
// They mirror the server's (src/courses/validation.cpp) so that a form that passes here is
// not refused for its fields there. They speak in problems, not sentences: `{key, values}`
// of validation.messages.js (the page words them in its language with messageText), or
// `{text}` for the server's own words.

import { EXPERIENCE_LEVELS, REFERRAL_SOURCES, WEEKDAYS } from '../common/enums.js';
import { rupiah } from '../common/format.js';

/// The form's fields in the order they appear on the page, keyed by the server's paths, so
/// that the first invalid one gets the focus and the summary lists them top to bottom. Their
/// names are `field.<name>` in validation.messages.js.
export const FIELD_ORDER = [
  'course_id',
  'full_name',
  'email',
  'wa_number',
  'address',
  'birth_place',
  'birth_date',
  'school',
  'class',
  'experience_level',
  'guardian_name',
  'guardian_wa_number',
  'preferred_days',
  'preferred_time_range',
  'start_date_target',
  'instrument_owned',
  'referral_source',
  'notes',
  'consent',
];

/// A problem worded by the page: `key` of validation.messages.js, with `values`.
const problem = (key, values) => ({ key, values });

/// The words of a problem in the page's language: `t` translates validation.messages.js.
export function messageText(p, t) {
  if (!p) return '';
  return p.text ?? t(p.key, p.values);
}

/// A fresh, empty form. Every value is what its control holds (strings, a list of days, a
/// boolean for the consent box), so the page can bind them directly.
export function emptyForm(courseId = '') {
  return {
    course_id: courseId,
    full_name: '',
    email: '',
    wa_number: '',
    address: '',
    birth_place: '',
    birth_date: '',
    school: '',
    class: '',
    experience_level: 'beginner',
    guardian_name: '',
    guardian_wa_number: '',
    preferred_days: [],
    time_start: '',
    time_end: '',
    start_date_target: '',
    instrument_owned: '', // '' (not said), 'yes' or 'no'
    referral_source: '',
    notes: '',
    consent: false,
  };
}

/// Today's date as the server sees it (it compares dates in UTC), as YYYY-MM-DD.
export function todayUtc(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

const length = (s) => [...s].length; // code points, as the server counts them

/// People write WhatsApp numbers with spaces or dashes, and locally with a leading 0 for +62;
/// the server wants +62 and digits only.
export function normalizeWaNumber(raw) {
  const s = String(raw ?? '').replace(/[\s\-.()]/g, '');
  return /^0\d/.test(s) ? `+62${s.slice(1)}` : s;
}

export const isWaNumber = (s) => /^\+62\d{9,12}$/.test(s);

export function isUuid(s) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

/// A real calendar date in YYYY-MM-DD form (not 2023-02-30).
export function isDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export const isTimeOfDay = (s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

const ATEXT = "!#$%&'*+-/=?^_`{|}~";

/// The server's syntax check of an email address (no DNS, no list of top-level domains).
export function isEmail(s) {
  const at = s.indexOf('@');
  if (at < 0 || s.indexOf('@', at + 1) >= 0) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (!local || !domain || s.length > 254 || local.length > 64) return false;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  if (![...local].every((c) => /[A-Za-z0-9.]/.test(c) || ATEXT.includes(c))) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const goodLabel = (l) => l.length >= 1 && l.length <= 63 && /^[A-Za-z0-9-]+$/.test(l) && !l.startsWith('-') && !l.endsWith('-');
  if (!labels.every(goodLabel)) return false;
  return !/^\d+$/.test(labels[labels.length - 1]);
}

/// The values as they will be sent: text trimmed, numbers without separators, times cut to
/// HH:MM (a browser may add seconds), days distinct and in week order.
export function normalize(values) {
  const text = (k) => String(values[k] ?? '').trim();
  const days = new Set(values.preferred_days ?? []);
  return {
    course_id: text('course_id'),
    full_name: text('full_name'),
    email: text('email'),
    wa_number: normalizeWaNumber(text('wa_number')),
    address: text('address'),
    birth_place: text('birth_place'),
    birth_date: text('birth_date'),
    school: text('school'),
    class: text('class'),
    experience_level: text('experience_level') || 'beginner',
    guardian_name: text('guardian_name'),
    guardian_wa_number: normalizeWaNumber(text('guardian_wa_number')),
    preferred_days: WEEKDAYS.filter((d) => days.has(d)),
    unknown_days: [...days].filter((d) => !WEEKDAYS.includes(d)),
    time_start: text('time_start').replace(/^(\d{2}:\d{2}):\d{2}(\.\d+)?$/, '$1'),
    time_end: text('time_end').replace(/^(\d{2}:\d{2}):\d{2}(\.\d+)?$/, '$1'),
    start_date_target: text('start_date_target'),
    instrument_owned: text('instrument_owned'),
    referral_source: text('referral_source'),
    notes: text('notes'),
    consent: values.consent === true,
  };
}

const WA_FORMAT = problem('waFormat');
const DATE_FORMAT = problem('dateFormat');

/// A problem when `s` (of `field`) is empty or not between min and max characters long, else null.
function lengthProblem(field, s, min, max) {
  if (!s) return problem(`${field}.missing`);
  if (length(s) < min) return problem(`${field}.tooShort`, { min });
  if (length(s) > max) return problem(`${field}.tooLong`, { max });
  return null;
}

/// `{field: problem}` for every field that the server would refuse; {} when all is well.
/// `today` is YYYY-MM-DD (see todayUtc).
export function validateRegistration(values, today) {
  const v = normalize(values);
  const errors = {};
  const check = (field, found) => {
    if (found) errors[field] = found;
  };

  check('course_id', !v.course_id ? problem('course_id.missing') : !isUuid(v.course_id) ? problem('course_id.invalid') : null);
  check('full_name', lengthProblem('full_name', v.full_name, 2, 255));
  check('email', !v.email ? problem('email.missing') : !isEmail(v.email) ? problem('email.invalid') : null);
  check('wa_number', v.wa_number && !isWaNumber(v.wa_number) ? WA_FORMAT : null);
  check('address', lengthProblem('address', v.address, 1, 255));
  check('birth_place', lengthProblem('birth_place', v.birth_place, 1, 255));
  if (!v.birth_date) check('birth_date', problem('birth_date.missing'));
  else if (!isDate(v.birth_date)) check('birth_date', DATE_FORMAT);
  else if (v.birth_date >= today) check('birth_date', problem('birth_date.notPast'));
  check('school', lengthProblem('school', v.school, 1, 255));
  const grade = /^\d{1,2}$/.test(v.class) ? Number(v.class) : NaN;
  check('class', grade >= 1 && grade <= 12 ? null : problem('class.invalid'));
  check('experience_level', EXPERIENCE_LEVELS.includes(v.experience_level) ? null : problem('experience_level.invalid'));
  check('guardian_name', lengthProblem('guardian_name', v.guardian_name, 2, 255));
  check(
    'guardian_wa_number',
    !v.guardian_wa_number ? problem('guardian_wa_number.missing') : !isWaNumber(v.guardian_wa_number) ? WA_FORMAT : null,
  );
  if (v.unknown_days.length) check('preferred_days', problem('preferred_days.unknown'));
  else if (!v.preferred_days.length) check('preferred_days', problem('preferred_days.missing'));
  if (!v.time_start || !v.time_end) check('preferred_time_range', problem('preferred_time_range.missing'));
  else if (!isTimeOfDay(v.time_start) || !isTimeOfDay(v.time_end)) check('preferred_time_range', problem('preferred_time_range.format'));
  else if (v.time_start >= v.time_end) check('preferred_time_range', problem('preferred_time_range.order'));
  if (v.start_date_target && !isDate(v.start_date_target)) check('start_date_target', DATE_FORMAT);
  else if (v.start_date_target && v.start_date_target < today) check('start_date_target', problem('start_date_target.past'));
  check('instrument_owned', ['', 'yes', 'no'].includes(v.instrument_owned) ? null : problem('instrument_owned.invalid'));
  check('referral_source', !v.referral_source || REFERRAL_SOURCES.includes(v.referral_source) ? null : problem('referral_source.invalid'));
  check('notes', length(v.notes) > 1000 ? problem('notes.tooLong', { max: 1000, count: length(v.notes) }) : null);
  check('consent', v.consent ? null : problem('consent.missing'));
  return errors;
}

/// The JSON body of POST /api/booking/register-course. Optional fields left empty are left
/// out rather than sent empty, which the server would refuse.
/** @returns {import('../../generated/openapi.js').components['schemas']['CourseRegistration']} */
export function toRequestBody(values, idempotencyKey, captchaToken) {
  const v = normalize(values);
  const body = {
    full_name: v.full_name,
    email: v.email,
    course_id: v.course_id,
    address: v.address,
    birth_place: v.birth_place,
    birth_date: v.birth_date,
    school: v.school,
    class: Number(v.class),
    guardian_name: v.guardian_name,
    guardian_wa_number: v.guardian_wa_number,
    experience_level: v.experience_level,
    preferred_days: v.preferred_days,
    preferred_time_range: { start: v.time_start, end: v.time_end },
    consent: v.consent,
    captcha_token: captchaToken,
    idempotency_key: idempotencyKey,
  };
  if (v.wa_number) body.wa_number = v.wa_number;
  if (v.start_date_target) body.start_date_target = v.start_date_target;
  if (v.instrument_owned) body.instrument_owned = v.instrument_owned === 'yes';
  if (v.notes) body.notes = v.notes;
  if (v.referral_source) body.referral_source = v.referral_source;
  return body;
}

/// The captcha token the server expects: base64 of the solved ALTCHA payload.
export function captchaToken(challenge, number) {
  const payload = {
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    number,
    salt: challenge.salt,
    signature: challenge.signature,
  };
  return btoa(JSON.stringify(payload)); // every field is ASCII (hex, digits, the salt's query)
}

const errorCode = (body) => body?.error?.code ?? null;

/// The id of the booking that a refused request's key already made (409 DUPLICATE_REQUEST),
/// or null. Such a refusal means an earlier attempt got through: the page shows it as done.
export function duplicateOf(status, body) {
  if (status !== 409 || errorCode(body) !== 'DUPLICATE_REQUEST') return null;
  const first = (body.error.details ?? []).find((d) => d && d.bookingId);
  return first ? first.bookingId : '';
}

/// `{field: {text}}` from a 400 VALIDATION_ERROR's details (the server's words), for the
/// fields of the form.
export function serverFieldErrors(body) {
  if (errorCode(body) !== 'VALIDATION_ERROR') return {};
  const errors = {};
  for (const d of body.error.details ?? []) {
    const field = String(d?.path ?? '').split('.')[0];
    if (FIELD_ORDER.includes(field) && !errors[field]) errors[field] = { text: String(d.message ?? '') };
  }
  return errors;
}

/// The error codes of the course surface that the page words itself (`error.<code>`).
const KNOWN_CODES = [
  'VALIDATION_ERROR',
  'INVALID_JSON',
  'CAPTCHA_INVALID',
  'CAPTCHA_UNAVAILABLE',
  'CAPTCHA_NOT_ISSUED',
  'COURSE_NOT_FOUND',
  'DUPLICATE_REQUEST',
  'PENDING_BOOKING_EXISTS',
  'PENDING_LIMIT_REACHED',
  'RATE_LIMITED',
];

/// The problem to show for a failed request: `status` 0 when the server could not be
/// reached, `body` the parsed error envelope (or null). Applicants get plain words of the
/// page, never the server's technical ones.
export function messageForError(status, body) {
  const code = errorCode(body);
  if (KNOWN_CODES.includes(code)) return problem(`error.${code}`);
  if (status === 0) return problem('error.unreachable');
  if (status === 429) return problem('error.RATE_LIMITED');
  if (status >= 500) return problem('error.server');
  if (status === 400) return problem('error.badRequest');
  return problem('error.other');
}

/// The text of a course's option: "Piano Basics · Beginner · Rp 150.000 per session", with
/// `t` translating validation.messages.js and `w` common.messages.js.
export function courseLabel(course, t, w) {
  const levelKey = `courseLevel.${course.level}`;
  const level = w(levelKey);
  return t('courseOption', { title: course.title, level: level === levelKey ? course.level : level, price: rupiah(course.price_per_session) });
}
