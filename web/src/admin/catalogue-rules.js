// The pure rules of the catalogue and courses views: reading an amount of rupiah as the
// owner types it ("1.500.000", "Rp 150.000,-", "1500000"), checking the forms by the
// server's limits (web/openapi.json) and turning them into request bodies.

/// The largest amount the server stores: 12 digits, two of them cents.
export const MAX_PRICE = 9_999_999_999.99;

/// The server's limits on the catalogue and course fields.
export const LIMITS = {
  packageName: 120,
  typeName: 120,
  catalogueDescription: 2000,
  courseTitle: 255,
  instrument: 100,
  courseDescription: 5000,
  duration: [1, 1440],
  maxStudents: [1, 10_000],
};

const number = (whole, cents) => Number(`${whole}.${cents ?? '0'}`);

/// An amount of rupiah as typed, or null when the text is not one. Dots group thousands the
/// Indonesian way ("1.500.000") and a comma marks the cents ("1.500.000,50"); commas grouping
/// thousands ("1,500,000") and a decimal point ("1500000.00", as the API writes prices) are
/// read too, as a separator followed by exactly three digits can only group thousands of an
/// amount with at most two decimals. "Rp", spaces and a closing ",-" are ignored.
export function parseRupiah(text) {
  const s = String(text ?? '')
    .trim()
    .replace(/^rp\.?/i, '')
    .replace(/[,.]-$/, '')
    .replace(/[\s\u00a0]/g, '');
  let m;
  if ((m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s))) return number(m[1], m[2]);
  if ((m = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?$/.exec(s))) return number(m[1].replaceAll('.', ''), m[2]);
  if ((m = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/.exec(s))) return number(m[1].replaceAll(',', ''), m[2]);
  return null;
}

/// {value} for a price the server takes, else {error} (`required`, `invalid`, `tooLarge`).
export function checkPrice(text) {
  if (!String(text ?? '').trim()) return { error: { key: 'required' } };
  const value = parseRupiah(text);
  if (value === null) return { error: { key: 'price' } };
  if (value > MAX_PRICE) return { error: { key: 'priceTooLarge' } };
  return { value };
}

/// A price as the service surface takes it: "1500000.00".
export const priceForApi = (value) => value.toFixed(2);

const grouped = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const groupedCents = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/// An amount ("1500000.00" or 150000) as the owner would type it: "1.500.000", "1.500.000,50".
export function priceInput(amount) {
  if (amount === null || amount === undefined || amount === '') return '';
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  return (Number.isInteger(n) ? grouped : groupedCents).format(n);
}

/// A whole number as typed ("12", "1.000"), or null.
export function parseCount(text) {
  const s = String(text ?? '').trim();
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d{1,3}(\.\d{3})+$/.test(s)) return Number(s.replaceAll('.', ''));
  return null;
}

function text(errors, field, value, max, required = true) {
  const v = String(value ?? '').trim();
  if (required && !v) errors[field] = { key: 'required' };
  else if (v.length > max) errors[field] = { key: 'tooLong', max };
  return v;
}

function count(errors, field, value, [min, max]) {
  if (!String(value ?? '').trim()) {
    errors[field] = { key: 'required' };
    return null;
  }
  const n = parseCount(value);
  if (n === null || n < min || n > max) errors[field] = { key: 'range', min, max };
  return n;
}

const isEmpty = (errors) => Object.keys(errors).length === 0;

/// A package form ({name, description}) checked: {errors, body}; `body` only without errors.
export function packageForm({ name, description }) {
  const errors = {};
  const body = {
    name: text(errors, 'name', name, LIMITS.packageName),
    description: text(errors, 'description', description, LIMITS.catalogueDescription, false) || null,
  };
  return isEmpty(errors) ? { errors, body } : { errors, body: null };
}

/// A service type form ({name, price, description}) checked: {errors, body}.
export function serviceTypeForm({ name, price, description }) {
  const errors = {};
  const body = {
    name: text(errors, 'name', name, LIMITS.typeName),
    description: text(errors, 'description', description, LIMITS.catalogueDescription, false) || null,
  };
  const p = checkPrice(price);
  if (p.error) errors.price = p.error;
  else body.price = priceForApi(p.value);
  return isEmpty(errors) ? { errors, body } : { errors, body: null };
}

/// The form of a course, with the texts of `course` when one is edited.
export function courseFormValues(course) {
  return {
    title: course?.title ?? '',
    instrument: course?.instrument ?? '',
    level: course?.level ?? 'beginner',
    price: course ? priceInput(course.price_per_session) : '',
    duration: course ? String(course.duration_minutes) : '60',
    max_students: course ? String(course.max_students) : '',
    description: course?.description ?? '',
    is_active: course?.is_active ?? true,
  };
}

/// A course form checked: {errors, body}, `body` the CourseInput of POST or PUT /api/courses.
/// `seatsTaken` (of a course edited) is the least `max_students` may become.
export function courseForm(values, seatsTaken = 0) {
  const errors = {};
  const body = {
    title: text(errors, 'title', values.title, LIMITS.courseTitle),
    instrument: text(errors, 'instrument', values.instrument, LIMITS.instrument),
    level: values.level,
    description: text(errors, 'description', values.description, LIMITS.courseDescription, false) || null,
  };
  const p = checkPrice(values.price);
  if (p.error) errors.price = p.error;
  else body.price_per_session = p.value;
  body.duration_minutes = count(errors, 'duration', values.duration, LIMITS.duration);
  body.max_students = count(errors, 'max_students', values.max_students, LIMITS.maxStudents);
  if (!errors.max_students && body.max_students < seatsTaken) errors.max_students = { key: 'belowTaken', taken: seatsTaken };
  if (values.is_active !== undefined) body.is_active = Boolean(values.is_active);
  return isEmpty(errors) ? { errors, body } : { errors, body: null };
}

/// The seats of a course: {taken, max, waitlisted, full}.
export function seats(course) {
  const taken = course.seats_taken ?? 0;
  return { taken, max: course.max_students, waitlisted: course.waitlisted ?? 0, full: taken >= course.max_students };
}
