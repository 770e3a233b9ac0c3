// Pure rules of the registration form (no DOM), unit-tested in tests/validation.test.mjs.
// They mirror the server's (src/courses/validation.cpp) so that a form that passes here is
// not refused for its fields there; the messages are the page's own, in plain words.

import { COURSE_LEVEL_LABELS, EXPERIENCE_LEVELS, REFERRAL_SOURCES, WEEKDAYS } from '../common/enums.js';
import { rupiah } from '../common/format.js';

/// The form's fields in the order they appear on the page, keyed by the server's paths, so
/// that the first invalid one gets the focus and the summary lists them top to bottom.
export const FIELD_LABELS = {
  course_id: 'Course',
  full_name: "Student's full name",
  email: 'Email',
  wa_number: "Student's WhatsApp number",
  address: 'Address',
  birth_place: 'Place of birth',
  birth_date: 'Date of birth',
  school: 'School',
  class: 'Class',
  experience_level: 'Experience',
  guardian_name: "Guardian's full name",
  guardian_wa_number: "Guardian's WhatsApp number",
  preferred_days: 'Preferred days',
  preferred_time_range: 'Preferred time',
  start_date_target: 'Preferred start date',
  instrument_owned: 'Own instrument',
  referral_source: 'How you heard about us',
  notes: 'Notes',
  consent: 'Consent',
};
export const FIELD_ORDER = Object.keys(FIELD_LABELS);

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

const WA_FORMAT = 'Enter a WhatsApp number as +62 followed by 9 to 12 digits, like +6281234567890.';
const DATE_FORMAT = 'Enter the date as YYYY-MM-DD.';

/// A message when `s` is not between min and max characters long, else null.
function lengthProblem(s, min, max, missing, what) {
  if (!s) return missing;
  if (length(s) < min) return `${what} must be at least ${min} characters.`;
  if (length(s) > max) return `${what} must be at most ${max} characters.`;
  return null;
}

/// `{field: message}` for every field that the server would refuse; {} when all is well.
/// `today` is YYYY-MM-DD (see todayUtc).
export function validateRegistration(values, today) {
  const v = normalize(values);
  const errors = {};
  const check = (field, message) => {
    if (message) errors[field] = message;
  };

  check('course_id', !v.course_id ? 'Choose a course.' : !isUuid(v.course_id) ? 'Choose a course from the list.' : null);
  check('full_name', lengthProblem(v.full_name, 2, 255, "Enter the student's full name.", 'The name'));
  check('email', !v.email ? 'Enter an email address.' : !isEmail(v.email) ? 'Enter a valid email address, like name@example.com.' : null);
  check('wa_number', v.wa_number && !isWaNumber(v.wa_number) ? WA_FORMAT : null);
  check('address', lengthProblem(v.address, 1, 255, 'Enter the address.', 'The address'));
  check('birth_place', lengthProblem(v.birth_place, 1, 255, 'Enter the place of birth.', 'The place of birth'));
  if (!v.birth_date) check('birth_date', 'Enter the date of birth.');
  else if (!isDate(v.birth_date)) check('birth_date', DATE_FORMAT);
  else if (v.birth_date >= today) check('birth_date', 'The date of birth must be in the past.');
  check('school', lengthProblem(v.school, 1, 255, 'Enter the school.', 'The school'));
  const grade = /^\d{1,2}$/.test(v.class) ? Number(v.class) : NaN;
  check('class', grade >= 1 && grade <= 12 ? null : 'Choose the class (1 to 12).');
  check('experience_level', EXPERIENCE_LEVELS.includes(v.experience_level) ? null : 'Choose beginner, intermediate or advanced.');
  check('guardian_name', lengthProblem(v.guardian_name, 2, 255, "Enter the guardian's full name.", "The guardian's name"));
  check('guardian_wa_number', !v.guardian_wa_number ? "Enter the guardian's WhatsApp number." : !isWaNumber(v.guardian_wa_number) ? WA_FORMAT : null);
  if (v.unknown_days.length) check('preferred_days', 'Choose days from Monday to Sunday only.');
  else if (!v.preferred_days.length) check('preferred_days', 'Choose at least one day.');
  if (!v.time_start || !v.time_end) check('preferred_time_range', 'Enter both the earliest and the latest time.');
  else if (!isTimeOfDay(v.time_start) || !isTimeOfDay(v.time_end)) check('preferred_time_range', 'Enter the times as HH:MM.');
  else if (v.time_start >= v.time_end) check('preferred_time_range', 'The end time must be later than the start time.');
  if (v.start_date_target && !isDate(v.start_date_target)) check('start_date_target', DATE_FORMAT);
  else if (v.start_date_target && v.start_date_target < today) check('start_date_target', 'The start date cannot be in the past.');
  check('instrument_owned', ['', 'yes', 'no'].includes(v.instrument_owned) ? null : 'Answer yes or no, or leave it open.');
  check('referral_source', !v.referral_source || REFERRAL_SOURCES.includes(v.referral_source) ? null : 'Choose one of the listed options.');
  check('notes', length(v.notes) > 1000 ? `Notes must be at most 1000 characters (now ${length(v.notes)}).` : null);
  check('consent', v.consent ? null : 'Please agree to this before you register.');
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

/// `{field: message}` from a 400 VALIDATION_ERROR's details, for the fields of the form.
export function serverFieldErrors(body) {
  if (errorCode(body) !== 'VALIDATION_ERROR') return {};
  const errors = {};
  for (const d of body.error.details ?? []) {
    const field = String(d?.path ?? '').split('.')[0];
    if (field in FIELD_LABELS && !errors[field]) errors[field] = d.message;
  }
  return errors;
}

const MESSAGES = {
  VALIDATION_ERROR: 'Some details were not accepted. Please check the marked fields.',
  INVALID_JSON: 'The form could not be sent. Please reload the page and try again.',
  CAPTCHA_INVALID: 'The check that you are not a robot did not pass or has expired. Please send the form again.',
  CAPTCHA_UNAVAILABLE: 'The check that you are not a robot is not available right now. Please try again in a few minutes.',
  CAPTCHA_NOT_ISSUED: 'Online registration is not available right now. Please contact the school.',
  COURSE_NOT_FOUND: 'This course is no longer open for registration. Please choose another course.',
  DUPLICATE_REQUEST: 'This registration has already been received.',
  PENDING_BOOKING_EXISTS: 'You already have a registration for this course waiting for confirmation.',
  PENDING_LIMIT_REACHED:
    'This email address already has 3 registrations waiting for confirmation. Please wait until the school has answered them.',
  RATE_LIMITED: 'Too many attempts in a short time. Please wait a minute and try again.',
};

/// A plain message for a failed request: `status` 0 when the server could not be reached,
/// `body` the parsed error envelope (or null).
export function messageForError(status, body) {
  const code = errorCode(body);
  if (code && MESSAGES[code]) return MESSAGES[code];
  if (status === 0) return 'We could not reach the server. Check your internet connection and try again.';
  if (status === 429) return MESSAGES.RATE_LIMITED;
  if (status >= 500) return 'Something went wrong on our side. Please try again in a few minutes.';
  if (status === 400) return 'The form could not be accepted. Please check your details and try again.';
  return 'The registration could not be sent. Please try again.';
}

/// The text of a course's option: "Piano Basics · Beginner · Rp 150.000 per session".
export function courseLabel(course) {
  return `${course.title} · ${COURSE_LEVEL_LABELS[course.level] ?? course.level} · ${rupiah(course.price_per_session)} per session`;
}
