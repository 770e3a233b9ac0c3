// Unit tests of the catalogue and course forms' rules (web/src/admin/catalogue-rules.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_PRICE,
  checkPrice,
  courseForm,
  courseFormValues,
  packageForm,
  parseCount,
  parseRupiah,
  priceForApi,
  priceInput,
  seats,
  serviceTypeForm,
} from '../src/admin/catalogue-rules.js';

test('an amount typed with Indonesian thousands dots, or without them, is read as the number', () => {
  assert.equal(parseRupiah('1.500.000'), 1_500_000);
  assert.equal(parseRupiah('1500000'), 1_500_000);
  assert.equal(parseRupiah('200.000'), 200_000);
  assert.equal(parseRupiah('1.500'), 1500);
  assert.equal(parseRupiah('0'), 0);
  assert.equal(parseRupiah('  350.000 '), 350_000);
});

test('"Rp", spaces, a closing ",-" and cents after a comma are understood', () => {
  assert.equal(parseRupiah('Rp 1.500.000'), 1_500_000);
  assert.equal(parseRupiah('rp1.500.000'), 1_500_000);
  assert.equal(parseRupiah('Rp. 150.000,-'), 150_000);
  assert.equal(parseRupiah('1 500 000'), 1_500_000);
  assert.equal(parseRupiah('1.500.000,50'), 1_500_000.5);
  assert.equal(parseRupiah('1500000,5'), 1_500_000.5);
  assert.equal(parseRupiah('Rp\u00a0200.000'), 200_000);
});

test('the API\'s own writing and English grouping are read as well, never as something else', () => {
  assert.equal(parseRupiah('1500000.00'), 1_500_000);
  assert.equal(parseRupiah('350000.5'), 350_000.5);
  assert.equal(parseRupiah('1,500,000'), 1_500_000);
  assert.equal(parseRupiah('1,500,000.25'), 1_500_000.25);
  assert.equal(parseRupiah('1,500'), 1500);
});

test('what is not an amount is refused rather than guessed', () => {
  for (const bad of ['', '   ', 'abc', '-5', '1.5.0', '1.500,000', '1,500.000', '15.00.000', '1.500.000,505', '1500.000', '12a', 'Rp', '1e6', '1.500.00'])
    assert.equal(parseRupiah(bad), null, bad);
});

test('a price is required, readable and at most 12 digits', () => {
  assert.deepEqual(checkPrice(''), { error: { key: 'required' } });
  assert.deepEqual(checkPrice('satu juta'), { error: { key: 'price' } });
  assert.deepEqual(checkPrice('10.000.000.000'), { error: { key: 'priceTooLarge' } });
  assert.deepEqual(checkPrice('9.999.999.999,99'), { value: MAX_PRICE });
  assert.deepEqual(checkPrice('1.500.000'), { value: 1_500_000 });
});

test('prices go to the service surface with two places and come back as typed', () => {
  assert.equal(priceForApi(1_500_000), '1500000.00');
  assert.equal(priceForApi(1_500_000.5), '1500000.50');
  assert.equal(priceInput('1500000.00'), '1.500.000');
  assert.equal(priceInput('1500000.50'), '1.500.000,50');
  assert.equal(priceInput(150000), '150.000');
  assert.equal(priceInput(null), '');
  for (const x of ['200000.00', '9999999999.99', '0.00', '1234567.89']) assert.equal(parseRupiah(priceInput(x)), Number(x), x);
});

test('whole numbers may carry thousands dots', () => {
  assert.equal(parseCount('12'), 12);
  assert.equal(parseCount('1.000'), 1000);
  assert.equal(parseCount(' 5 '), 5);
  for (const bad of ['', '1,5', '1.5', '-1', 'x']) assert.equal(parseCount(bad), null, bad);
});

test('a package needs a name of at most 120 characters; an empty description is null', () => {
  assert.deepEqual(packageForm({ name: ' Makeup Pengantin ', description: '' }), {
    errors: {},
    body: { name: 'Makeup Pengantin', description: null },
  });
  assert.deepEqual(packageForm({ name: '  ', description: 'x' }).errors, { name: { key: 'required' } });
  assert.deepEqual(packageForm({ name: 'x'.repeat(121), description: 'y'.repeat(2001) }), {
    errors: { name: { key: 'tooLong', max: 120 }, description: { key: 'tooLong', max: 2000 } },
    body: null,
  });
});

test('a service type sends its typed price as a decimal string', () => {
  assert.deepEqual(serviceTypeForm({ name: 'Akad', price: '1.500.000', description: 'Pagi hari' }), {
    errors: {},
    body: { name: 'Akad', description: 'Pagi hari', price: '1500000.00' },
  });
  assert.deepEqual(serviceTypeForm({ name: '', price: '1,5 juta', description: '' }), {
    errors: { name: { key: 'required' }, price: { key: 'price' } },
    body: null,
  });
});

test('a course form becomes the CourseInput of the API, within its limits', () => {
  const values = { ...courseFormValues(), title: 'Piano Dasar', instrument: 'Piano', price: '150.000', max_students: '2' };
  assert.deepEqual(courseForm(values), {
    errors: {},
    body: {
      title: 'Piano Dasar',
      instrument: 'Piano',
      level: 'beginner',
      description: null,
      price_per_session: 150_000,
      duration_minutes: 60,
      max_students: 2,
      is_active: true,
    },
  });
  const bad = courseForm({ ...values, title: '', instrument: 'x'.repeat(101), price: '', duration: '1441', max_students: '0' });
  assert.deepEqual(bad.errors, {
    title: { key: 'required' },
    instrument: { key: 'tooLong', max: 100 },
    price: { key: 'required' },
    duration: { key: 'range', min: 1, max: 1440 },
    max_students: { key: 'range', min: 1, max: 10_000 },
  });
  assert.equal(bad.body, null);
});

test('an edited course starts from its values and keeps at least the seats already taken', () => {
  const course = {
    title: 'Gitar',
    instrument: 'Gitar',
    level: 'advanced',
    price_per_session: 200000,
    duration_minutes: 90,
    max_students: 5,
    description: null,
    is_active: false,
    seats_taken: 3,
  };
  const values = courseFormValues(course);
  assert.deepEqual(values, {
    title: 'Gitar',
    instrument: 'Gitar',
    level: 'advanced',
    price: '200.000',
    duration: '90',
    max_students: '5',
    description: '',
    is_active: false,
  });
  assert.deepEqual(courseForm({ ...values, max_students: '2' }, 3).errors, { max_students: { key: 'belowTaken', taken: 3 } });
  assert.equal(courseForm({ ...values, max_students: '3' }, 3).body.max_students, 3);
  const { is_active, ...withoutActive } = values;
  assert.equal('is_active' in courseForm(withoutActive).body, false);
});

test('the seats of a course', () => {
  assert.deepEqual(seats({ max_students: 2, seats_taken: 2, waitlisted: 1 }), { taken: 2, max: 2, waitlisted: 1, full: true });
  assert.deepEqual(seats({ max_students: 5 }), { taken: 0, max: 5, waitlisted: 0, full: false });
});
