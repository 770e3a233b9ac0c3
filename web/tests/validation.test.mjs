// Unit tests of the registration form's pure rules (web/src/register/validation.js). The
// rules name their messages by key; the tests read them in English (and some in Indonesian)
// through the page's catalogue, validation.messages.js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import common from '../src/common/common.messages.js';
import { translate } from '../src/common/translate.js';
import {
  FIELD_ORDER,
  captchaToken,
  courseLabel,
  duplicateOf,
  emptyForm,
  isEmail,
  messageForError,
  messageText,
  normalizeWaNumber,
  serverFieldErrors,
  toRequestBody,
  todayUtc,
  validateRegistration,
} from '../src/register/validation.js';
import problems from '../src/register/validation.messages.js';

const TODAY = '2026-12-03';
const COURSE = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const KEY = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';

/// A form that passes every rule.
const valid = (over = {}) => ({
  ...emptyForm(COURSE),
  full_name: 'Budi Santoso',
  email: 'budi@b.test',
  address: 'Jl. Merdeka 1, Bandung',
  birth_place: 'Bandung',
  birth_date: '2010-05-17',
  school: 'SMP 1 Bandung',
  class: '8',
  guardian_name: 'Siti Aminah',
  guardian_wa_number: '+6281298765432',
  preferred_days: ['wednesday', 'monday'],
  time_start: '15:00',
  time_end: '17:00',
  consent: true,
  ...over,
});

/// A translator of `catalogue` into `lang`, as the page's `t`.
const tr = (catalogue, lang) => (key, values) => translate(catalogue, lang, key, values);
const en = tr(problems, 'en');
const id = tr(problems, 'id');

/// `{field: English message}`: the problems as the page in English words them.
const words = (errors, t = en) => Object.fromEntries(Object.entries(errors).map(([f, p]) => [f, messageText(p, t)]));
const errorsOf = (over) => words(validateRegistration(valid(over), TODAY));
const say = (p) => messageText(p, en);

test('a complete form passes', () => {
  assert.deepEqual(errorsOf({}), {});
});

test('an empty form names every required field, and only those', () => {
  const errors = words(validateRegistration(emptyForm(), TODAY));
  assert.deepEqual(Object.keys(errors).sort(), [
    'address',
    'birth_date',
    'birth_place',
    'class',
    'consent',
    'course_id',
    'email',
    'full_name',
    'guardian_name',
    'guardian_wa_number',
    'preferred_days',
    'preferred_time_range',
    'school',
  ]);
  assert.equal(errors.full_name, "Enter the student's full name.");
  assert.equal(errors.preferred_days, 'Choose at least one day.');
  assert.equal(errors.consent, 'Please agree to this before you register.');
  for (const field of Object.keys(errors)) assert.ok(FIELD_ORDER.includes(field), field);
});

test('the problems are keys of the catalogue, worded in Indonesian too', () => {
  const found = validateRegistration(emptyForm(), TODAY);
  assert.deepEqual(found.consent, { key: 'consent.missing', values: undefined });
  for (const p of Object.values(found)) {
    assert.ok(p.key in problems.id && p.key in problems.en, p.key);
    assert.notEqual(messageText(p, id), messageText(p, en), p.key);
  }
  const inIndonesian = words(found, id);
  assert.equal(inIndonesian.full_name, 'Isi nama lengkap siswa.');
  assert.equal(inIndonesian.preferred_days, 'Pilih paling sedikit satu hari.');
  assert.equal(words(validateRegistration(valid({ full_name: 'A' }), TODAY), id).full_name, 'Nama paling sedikit 2 karakter.');
  for (const field of FIELD_ORDER) {
    assert.ok(problems.id[`field.${field}`], `an Indonesian name for ${field}`);
    assert.ok(problems.en[`field.${field}`], `an English name for ${field}`);
  }
});

test('names: 2 to 255 characters after trimming, counted as the server counts them', () => {
  assert.equal(errorsOf({ full_name: ' A ' }).full_name, 'The name must be at least 2 characters.');
  assert.equal(errorsOf({ full_name: 'x'.repeat(256) }).full_name, 'The name must be at most 255 characters.');
  assert.equal(errorsOf({ full_name: '😀'.repeat(255) }).full_name, undefined, 'code points, not UTF-16 units');
  assert.equal(errorsOf({ guardian_name: 'S' }).guardian_name, "The guardian's name must be at least 2 characters.");
  assert.equal(errorsOf({ address: 'x'.repeat(256) }).address, 'The address must be at most 255 characters.');
  assert.equal(errorsOf({ school: '   ' }).school, 'Enter the school.');
});

test('email addresses: the server syntax check, without DNS or a list of domains', () => {
  for (const ok of ['a@b.test', 'first.last+tag@sub.example.co.id', "o'brien@x.io"]) assert.ok(isEmail(ok), ok);
  for (const bad of ['', 'plain', 'a@b', 'a@@b.test', 'a@b@c.test', '.a@b.test', 'a..b@c.test', 'a@-b.test', 'a@b.123', 'a b@c.test', 'a@b.test.', 'añ@b.test'])
    assert.ok(!isEmail(bad), bad);
  assert.equal(errorsOf({ email: 'budi' }).email, 'Enter a valid email address, like name@example.com.');
  assert.equal(errorsOf({ email: '' }).email, 'Enter an email address.');
});

test('WhatsApp numbers: +62 and 9 to 12 digits; the optional one may be empty', () => {
  const wa = 'Enter a WhatsApp number as +62 followed by 9 to 12 digits, like +6281234567890.';
  assert.equal(errorsOf({ wa_number: '' }).wa_number, undefined);
  assert.equal(errorsOf({ wa_number: '12345' }).wa_number, wa);
  assert.equal(errorsOf({ wa_number: '+62812345678' }).wa_number, undefined, '9 digits');
  assert.equal(errorsOf({ wa_number: '+62812345678901' }).wa_number, undefined, '12 digits');
  assert.equal(errorsOf({ wa_number: '+628123456789012' }).wa_number, wa, '13 digits');
  assert.equal(errorsOf({ guardian_wa_number: '+6581234567' }).guardian_wa_number, wa);
  assert.equal(errorsOf({ guardian_wa_number: '' }).guardian_wa_number, "Enter the guardian's WhatsApp number.");
});

test('WhatsApp numbers as people type them are sent in the server form', () => {
  assert.equal(normalizeWaNumber('+62 812-9876-5432'), '+6281298765432');
  assert.equal(normalizeWaNumber('0812 9876 5432'), '+6281298765432');
  assert.equal(errorsOf({ guardian_wa_number: '0812 9876 5432' }).guardian_wa_number, undefined);
  assert.equal(toRequestBody(valid({ guardian_wa_number: '0812 9876 5432' }), KEY, 't').guardian_wa_number, '+6281298765432');
});

test('the birth date must be a real date before today (UTC); the start date not before today', () => {
  assert.equal(errorsOf({ birth_date: TODAY }).birth_date, 'The date of birth must be in the past.');
  assert.equal(errorsOf({ birth_date: '2027-01-01' }).birth_date, 'The date of birth must be in the past.');
  assert.equal(errorsOf({ birth_date: '2026-12-02' }).birth_date, undefined);
  assert.equal(errorsOf({ birth_date: '2010-02-30' }).birth_date, 'Enter the date as YYYY-MM-DD.');
  assert.equal(errorsOf({ birth_date: '17/05/2010' }).birth_date, 'Enter the date as YYYY-MM-DD.');
  assert.equal(errorsOf({ start_date_target: TODAY }).start_date_target, undefined);
  assert.equal(errorsOf({ start_date_target: '2026-12-02' }).start_date_target, 'The start date cannot be in the past.');
  assert.equal(todayUtc(new Date('2026-12-03T23:30:00-07:00')), '2026-12-04', 'the server compares in UTC');
});

test('class is a whole number from 1 to 12', () => {
  for (const bad of ['', '0', '13', '8.5', 'eight']) assert.equal(errorsOf({ class: bad }).class, 'Choose the class (1 to 12).', bad);
  assert.equal(errorsOf({ class: '12' }).class, undefined);
});

test('preferred days and times', () => {
  assert.equal(errorsOf({ preferred_days: [] }).preferred_days, 'Choose at least one day.');
  assert.equal(errorsOf({ preferred_days: ['someday'] }).preferred_days, 'Choose days from Monday to Sunday only.');
  assert.equal(errorsOf({ time_start: '17:00', time_end: '15:00' }).preferred_time_range, 'The end time must be later than the start time.');
  assert.equal(errorsOf({ time_start: '15:00', time_end: '15:00' }).preferred_time_range, 'The end time must be later than the start time.');
  assert.equal(errorsOf({ time_end: '' }).preferred_time_range, 'Enter both the earliest and the latest time.');
  assert.equal(errorsOf({ time_start: '24:00' }).preferred_time_range, 'Enter the times as HH:MM.');
  assert.equal(errorsOf({ time_start: '09:00:00', time_end: '10:30' }).preferred_time_range, undefined, 'seconds are dropped');
});

test('notes, referral source, experience level and consent', () => {
  assert.equal(errorsOf({ notes: 'x'.repeat(1000) }).notes, undefined);
  assert.equal(errorsOf({ notes: 'x'.repeat(1001) }).notes, 'Notes must be at most 1000 characters (now 1001).');
  assert.equal(words(validateRegistration(valid({ notes: 'x'.repeat(1001) }), TODAY), id).notes, 'Catatan paling banyak 1000 karakter (sekarang 1001).');
  assert.equal(errorsOf({ referral_source: 'radio' }).referral_source, 'Choose one of the listed options.');
  assert.equal(errorsOf({ experience_level: 'expert' }).experience_level, 'Choose beginner, intermediate or advanced.');
  assert.equal(errorsOf({ consent: false }).consent, 'Please agree to this before you register.');
  assert.equal(errorsOf({ course_id: 'piano' }).course_id, 'Choose a course from the list.');
});

test('the request body has the server field names and leaves empty optional fields out', () => {
  const body = toRequestBody(valid({ full_name: '  Budi Santoso ' }), KEY, 'TOKEN');
  assert.deepEqual(body, {
    full_name: 'Budi Santoso',
    email: 'budi@b.test',
    course_id: COURSE,
    address: 'Jl. Merdeka 1, Bandung',
    birth_place: 'Bandung',
    birth_date: '2010-05-17',
    school: 'SMP 1 Bandung',
    class: 8,
    guardian_name: 'Siti Aminah',
    guardian_wa_number: '+6281298765432',
    experience_level: 'beginner',
    preferred_days: ['monday', 'wednesday'],
    preferred_time_range: { start: '15:00', end: '17:00' },
    consent: true,
    captcha_token: 'TOKEN',
    idempotency_key: KEY,
  });
});

test('optional fields that are filled in are sent with their types', () => {
  const body = toRequestBody(
    valid({
      wa_number: '+6281234567890',
      start_date_target: '2027-01-10',
      instrument_owned: 'no',
      notes: ' Left-handed ',
      referral_source: 'friend',
      experience_level: 'advanced',
      preferred_days: ['sunday', 'monday', 'sunday'],
    }),
    KEY,
    'T',
  );
  assert.equal(body.wa_number, '+6281234567890');
  assert.equal(body.start_date_target, '2027-01-10');
  assert.equal(body.instrument_owned, false);
  assert.equal(body.notes, 'Left-handed');
  assert.equal(body.referral_source, 'friend');
  assert.equal(body.experience_level, 'advanced');
  assert.deepEqual(body.preferred_days, ['monday', 'sunday'], 'distinct, in week order');
  assert.equal(toRequestBody(valid({ instrument_owned: 'yes' }), KEY, 'T').instrument_owned, true);
});

test('the captcha token is base64 of the solved ALTCHA payload', () => {
  const c = { algorithm: 'SHA-256', challenge: 'ab12', salt: 'f00?expires=1900000000', signature: 'cd34', maxnumber: 100000 };
  const decoded = JSON.parse(Buffer.from(captchaToken(c, 4242), 'base64').toString('utf8'));
  assert.deepEqual(decoded, { algorithm: 'SHA-256', challenge: 'ab12', number: 4242, salt: 'f00?expires=1900000000', signature: 'cd34' });
});

const envelope = (code, details) => ({ success: false, error: { code, message: 'server words', ...(details ? { details } : {}) } });

test('server error codes become plain messages', () => {
  assert.equal(say(messageForError(409, envelope('PENDING_BOOKING_EXISTS'))), 'You already have a registration for this course waiting for confirmation.');
  assert.match(say(messageForError(404, envelope('COURSE_NOT_FOUND'))), /no longer open for registration/);
  assert.match(say(messageForError(429, envelope('PENDING_LIMIT_REACHED'))), /already has 3 registrations waiting/);
  assert.match(say(messageForError(400, envelope('CAPTCHA_INVALID'))), /robot/);
  assert.match(say(messageForError(400, envelope('VALIDATION_ERROR'))), /check the marked fields/);
  assert.match(say(messageForError(429, envelope('RATE_LIMITED'))), /wait a minute/);
  assert.match(say(messageForError(429, null)), /wait a minute/);
  assert.match(say(messageForError(0, null)), /could not reach the server/);
  assert.match(say(messageForError(502, null)), /went wrong on our side/);
  assert.match(say(messageForError(500, envelope('INTERNAL_ERROR'))), /went wrong on our side/);
  assert.ok(!say(messageForError(418, envelope('SOMETHING_NEW'))).includes('server words'), 'no raw server text');
  assert.equal(
    messageText(messageForError(409, envelope('PENDING_BOOKING_EXISTS')), id),
    'Anda sudah punya pendaftaran untuk kursus ini yang masih menunggu konfirmasi.',
  );
  assert.match(messageText(messageForError(0, null), id), /Server tidak dapat dihubungi/);
});

test('a validation refusal puts each detail at its field; unknown paths are left out', () => {
  const body = envelope('VALIDATION_ERROR', [
    { path: 'full_name', message: 'String should have at least 2 characters' },
    { path: 'preferred_time_range', message: 'start must be before end' },
    { path: 'idempotency_key', message: 'Must be a UUID' },
  ]);
  assert.deepEqual(words(serverFieldErrors(body)), {
    full_name: 'String should have at least 2 characters',
    preferred_time_range: 'start must be before end',
  });
  assert.equal(messageText(serverFieldErrors(body).full_name, id), 'String should have at least 2 characters', "the server's own words");
  assert.deepEqual(serverFieldErrors(envelope('CAPTCHA_INVALID', [{ path: 'captcha_token', message: 'x' }])), {});
  assert.deepEqual(serverFieldErrors(null), {});
});

test('a request already received counts as the booking it made', () => {
  const id = '0b6c9a52-3a0e-4f5e-9d63-1f0c2e3a4b5c';
  assert.equal(duplicateOf(409, envelope('DUPLICATE_REQUEST', [{ bookingId: id }])), id);
  assert.equal(duplicateOf(409, envelope('DUPLICATE_REQUEST')), '', 'known to exist, id not given');
  assert.equal(duplicateOf(409, envelope('PENDING_BOOKING_EXISTS', [{ bookingId: id }])), null);
  assert.equal(duplicateOf(0, null), null);
});

test('a course option names the course, its level and its price', () => {
  const course = { title: 'Piano Basics', level: 'all_levels', price_per_session: 150000 };
  assert.equal(courseLabel(course, en, tr(common, 'en')), 'Piano Basics · All levels · Rp 150.000 per session');
  assert.equal(courseLabel(course, id, tr(common, 'id')), 'Piano Basics · Semua tingkat · Rp 150.000 per sesi');
  assert.equal(courseLabel({ ...course, level: 'new_level' }, id, tr(common, 'id')), 'Piano Basics · new_level · Rp 150.000 per sesi');
});
