// The public course-registration page (/register) in Chromium against a real server: the
// form, its client-side checks, the proof-of-work captcha and the server's refusals. The
// behaviour is tested in English (the language the browser remembers as chosen); the last
// test checks the page in Indonesian, its default, and the switch between the two.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { englishLeft, eventually, openPage, screenshot, serverAndBrowser, unlabelledControls } from './harness.mjs';

const ctx = serverAndBrowser();

const REGISTER = '/api/booking/register-course';
const PENDING_EXISTS = 'You already have a registration for this course waiting for confirmation.';
const COURSE_GONE = 'This course is no longer open for registration. Please choose another course.';

const uniqueEmail = (who) => `${who}-${randomUUID().slice(0, 8)}@b.test`;
const field = (page, label) => page.getByLabel(label, { exact: true });
const submitButton = (page) => page.getByRole('button', { name: 'Send registration' });
const confirmationHeading = (page) => page.getByRole('heading', { name: 'Registration received' });

/// YYYY-MM-DD `days` from today (UTC, as the server counts).
const dayFromToday = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function pendingFor(email) {
  const { data } = await ctx.srv.admin('GET', '/api/booking/pending');
  return data.filter((b) => b.applicant_email === email);
}

/// Opens /register at 375 px in English and records every request the page makes.
async function openRegister() {
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375, lang: 'en' });
  page.requests = [];
  page.on('request', (r) => page.requests.push(r));
  await page.goto('/register');
  await page.getByRole('heading', { level: 1, name: 'Register for a course' }).waitFor();
  return page;
}

const registerRequests = (page) => page.requests.filter((r) => r.method() === 'POST' && r.url().endsWith(REGISTER));

/// The labels of the form's fields in English, and in Indonesian.
const EN = {
  course: 'Course',
  name: "Student's full name",
  email: 'Email',
  wa: "Student's WhatsApp number (optional)",
  address: 'Address',
  birthPlace: 'Place of birth',
  birthDate: 'Date of birth',
  school: 'School',
  grade: 'Class',
  guardian: "Guardian's full name",
  guardianWa: "Guardian's WhatsApp number",
  from: 'From',
  until: 'Until',
  consent: /^I agree/,
};
const ID = {
  course: 'Kursus',
  name: 'Nama lengkap siswa',
  email: 'Email',
  wa: 'Nomor WhatsApp siswa (opsional)',
  address: 'Alamat',
  birthPlace: 'Tempat lahir',
  birthDate: 'Tanggal lahir',
  school: 'Sekolah',
  grade: 'Kelas',
  guardian: 'Nama lengkap orang tua/wali',
  guardianWa: 'Nomor WhatsApp orang tua/wali',
  from: 'Dari',
  until: 'Sampai',
  consent: /^Saya setuju/,
};

/// Fills the form through its labels (`L`, English unless told), as a person with a
/// keyboard would.
async function fillForm(page, o, L = EN) {
  const v = {
    name: 'Nadia Putri',
    address: 'Jl. Dago 12, Bandung',
    birthPlace: 'Bandung',
    birthDate: '2011-03-09',
    school: 'SMP 2 Bandung',
    grade: '7',
    guardian: 'Rahmat Hidayat',
    guardianWa: '+6281298765432',
    days: ['Monday', 'Thursday'],
    from: '15:30',
    until: '17:00',
    consent: true,
    ...o,
  };
  await field(page, L.course).selectOption(v.courseId);
  await field(page, L.name).fill(v.name);
  await field(page, L.email).fill(v.email);
  if (v.wa !== undefined) await field(page, L.wa).fill(v.wa);
  await field(page, L.address).fill(v.address);
  await field(page, L.birthPlace).fill(v.birthPlace);
  await field(page, L.birthDate).fill(v.birthDate);
  await field(page, L.school).fill(v.school);
  await field(page, L.grade).selectOption(v.grade);
  await field(page, L.guardian).fill(v.guardian);
  await field(page, L.guardianWa).fill(v.guardianWa);
  for (const day of v.days) await field(page, day).check();
  await field(page, L.from).fill(v.from);
  await field(page, L.until).fill(v.until);
  if (v.consent) await page.getByLabel(L.consent).check();
}

/// The text of the error that a control (or group) names in aria-describedby.
function errorOf(locator) {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id))
      .filter((e) => e?.classList.contains('field-error'))
      .map((e) => e.textContent)
      .join(' '),
  );
}

/// Keeps, in window.statusLog, every distinct state of the submit status text and the
/// captcha's progress bar (the solve may take well under a second).
function recordStatus(page) {
  return page.evaluate(() => {
    window.statusLog = [];
    const note = () => {
      const progress = document.getElementById('pow-progress');
      const entry = {
        text: document.getElementById('submit-status')?.textContent ?? '',
        live: document.getElementById('submit-status')?.getAttribute('aria-live'),
        progress: progress ? Number(progress.value) : null,
        progressLabel: progress?.labels?.[0]?.textContent ?? null,
        buttonDisabled: document.querySelector('form button[type=submit]')?.disabled ?? null,
      };
      const last = window.statusLog.at(-1);
      if (!last || last.text !== entry.text || last.progress !== entry.progress) window.statusLog.push(entry);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

test('an applicant completes the form at 375 px and submits with the keyboard; the booking is pending', async () => {
  const course = await ctx.srv.course({ title: `Piano Basics ${randomUUID().slice(0, 4)}` });
  const page = await openRegister();
  const email = uniqueEmail('nadia');
  await fillForm(page, { courseId: course.id, email, wa: '0812 3456 7890' });
  await field(page, 'Yes').check();
  await field(page, 'How did you hear about us? (optional)').selectOption('friend');
  await field(page, 'Notes (optional)').fill('Left-handed');
  assert.deepEqual(await unlabelledControls(page), []);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the page is ${width} px wide at 375 px`);
  await screenshot(page, 'register-form-filled');

  await recordStatus(page);
  await submitButton(page).focus();
  await page.keyboard.press('Enter');
  await confirmationHeading(page).waitFor();

  const log = await page.evaluate(() => window.statusLog);
  const solving = log.filter((s) => /^Checking you are not a robot… \d+ %$/.test(s.text));
  assert.ok(solving.length > 0, `no captcha progress shown: ${JSON.stringify(log)}`);
  assert.ok(solving.every((s) => s.progressLabel === 'Robot check' && s.live === 'polite'), JSON.stringify(solving));
  assert.ok(log.some((s) => s.text === 'Sending your registration…'), JSON.stringify(log));

  const bookings = await pendingFor(email);
  assert.equal(bookings.length, 1);
  const [b] = bookings;
  assert.equal(b.status, 'pending');
  assert.equal(b.applicant_full_name, 'Nadia Putri');
  assert.equal(b.course_id, course.id);
  assert.equal(b.applicant_wa_number, '+6281234567890');
  assert.equal(b.applicant_class, 7);
  assert.deepEqual(b.preferred_days, ['monday', 'thursday']);
  assert.deepEqual(b.preferred_time_range, { start: '15:30', end: '17:00' });
  assert.equal(b.instrument_owned, true);
  assert.equal(b.referral_source, 'friend');
  assert.equal(b.notes, 'Left-handed');

  const confirmation = page.locator('section.confirmation');
  assert.equal(await page.getByTestId('booking-id').textContent(), b.id);
  const text = await confirmation.textContent();
  assert.ok(text.includes(course.title), text);
  assert.match(text, /pending until the school confirms it, at the latest until \w+day, \d+ \w+ \d{4}/);
  assert.ok(await confirmationHeading(page).evaluate((el) => el === document.activeElement), 'focus on the heading');
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'register-confirmation');

  await page.getByRole('button', { name: 'Register another person' }).click();
  await submitButton(page).waitFor();
  assert.equal(await field(page, 'Email').inputValue(), '', 'a fresh form');
  assert.equal(await field(page, 'Monday').isChecked(), false);
  page.assertClean();
});

test('an empty submit shows the required fields’ messages there and sends nothing', async () => {
  await ctx.srv.course();
  const page = await openRegister();
  await page.locator('#f-course_id option').nth(1).waitFor({ state: 'attached' });
  await submitButton(page).click();
  await page.getByRole('heading', { name: /^Please correct \d+ fields$/ }).waitFor();

  const expected = {
    Course: 'Choose a course.',
    "Student's full name": "Enter the student's full name.",
    Email: 'Enter an email address.',
    Address: 'Enter the address.',
    'Place of birth': 'Enter the place of birth.',
    'Date of birth': 'Enter the date of birth.',
    School: 'Enter the school.',
    Class: 'Choose the class (1 to 12).',
    "Guardian's full name": "Enter the guardian's full name.",
    "Guardian's WhatsApp number": "Enter the guardian's WhatsApp number.",
    From: 'Enter both the earliest and the latest time.',
    Until: 'Enter both the earliest and the latest time.',
  };
  for (const [label, message] of Object.entries(expected)) {
    assert.equal(await field(page, label).getAttribute('aria-invalid'), 'true', label);
    assert.equal(await errorOf(field(page, label)), message, label);
  }
  assert.equal(await errorOf(page.getByRole('group', { name: 'Preferred days' })), 'Choose at least one day.');
  assert.equal(await field(page, 'Monday').getAttribute('aria-invalid'), 'true');
  assert.equal(await errorOf(page.getByLabel(/^I agree/)), 'Please agree to this before you register.');
  for (const optional of ["Student's WhatsApp number (optional)", 'Preferred start date (optional)', 'Notes (optional)'])
    assert.equal(await field(page, optional).getAttribute('aria-invalid'), 'false', optional);
  assert.equal(await page.getByRole('heading', { name: /^Please correct/ }).textContent(), 'Please correct 13 fields');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-course_id', 'focus on the first invalid field');
  await screenshot(page, 'register-empty-submit');

  // Correcting a field takes its message away at once.
  await field(page, "Student's full name").fill('Nadia Putri');
  assert.equal(await field(page, "Student's full name").getAttribute('aria-invalid'), 'false');
  assert.equal(await page.getByRole('heading', { name: /^Please correct/ }).textContent(), 'Please correct 12 fields');

  const sent = page.requests.filter((r) => r.url().includes('/api/booking/'));
  assert.deepEqual(sent.map((r) => r.url()), [], 'neither a captcha nor a registration was requested');
  page.assertClean();
});

test('invalid values get their own messages; once corrected the form goes through', async () => {
  const course = await ctx.srv.course();
  const page = await openRegister();
  const email = uniqueEmail('invalid');
  await fillForm(page, {
    courseId: course.id,
    email,
    wa: '12345',
    birthDate: dayFromToday(30),
    from: '17:00',
    until: '15:00',
    days: [],
    consent: false,
  });
  await submitButton(page).click();
  await page.getByRole('heading', { name: 'Please correct 5 fields' }).waitFor();

  const wa = field(page, "Student's WhatsApp number (optional)");
  assert.equal(await errorOf(wa), 'Enter a WhatsApp number as +62 followed by 9 to 12 digits, like +6281234567890.');
  assert.equal(await errorOf(field(page, 'Date of birth')), 'The date of birth must be in the past.');
  assert.equal(await errorOf(field(page, 'Until')), 'The end time must be later than the start time.');
  assert.equal(await errorOf(page.getByRole('group', { name: 'Preferred days' })), 'Choose at least one day.');
  assert.equal(await errorOf(page.getByLabel(/^I agree/)), 'Please agree to this before you register.');
  for (const fine of ["Student's full name", 'Email', "Guardian's WhatsApp number", 'Course'])
    assert.equal(await field(page, fine).getAttribute('aria-invalid'), 'false', fine);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-wa_number', 'focus on the first invalid field');
  assert.equal(registerRequests(page).length, 0);
  await screenshot(page, 'register-invalid-values');

  await wa.fill('+62 812 1111 2222');
  await field(page, 'Date of birth').fill('2012-01-31');
  await field(page, 'Until').fill('18:00');
  await field(page, 'Saturday').check();
  await page.getByLabel(/^I agree/).check();
  await submitButton(page).click();
  await confirmationHeading(page).waitFor();
  const [b] = await pendingFor(email);
  assert.equal(b?.applicant_wa_number, '+6281211112222');
  assert.deepEqual(b.preferred_time_range, { start: '17:00', end: '18:00' });
  page.assertClean();
});

test('a second registration for the same course and email is refused in plain words', async () => {
  const course = await ctx.srv.course();
  const email = uniqueEmail('twice');
  await ctx.srv.registration(course.id, { email });
  const page = await openRegister();
  await fillForm(page, { courseId: course.id, email });
  await submitButton(page).click();
  const alert = page.locator('p.alert.error[role=alert]');
  await alert.waitFor();
  assert.equal(await alert.textContent(), PENDING_EXISTS);
  assert.ok(await alert.evaluate((el) => el === document.activeElement), 'focus on the message');
  assert.equal(await submitButton(page).isEnabled(), true, 'the applicant can try again');
  assert.equal((await pendingFor(email)).length, 1);
  await screenshot(page, 'register-pending-exists');
  page.assertClean();
});

test('a course deleted after the page loaded is refused in plain words and leaves the list', async () => {
  const course = await ctx.srv.course({ title: `Violin ${randomUUID().slice(0, 4)}` });
  const page = await openRegister();
  const email = uniqueEmail('gone');
  await fillForm(page, { courseId: course.id, email });
  const removed = await ctx.srv.admin('DELETE', `/api/courses/${course.id}`);
  assert.equal(removed.data.deleted, true);
  await submitButton(page).click();
  const alert = page.locator('p.alert.error[role=alert]');
  await alert.waitFor();
  assert.equal(await alert.textContent(), COURSE_GONE);
  assert.equal(await errorOf(field(page, 'Course')), COURSE_GONE);
  await eventually(
    async () => (await page.locator(`#f-course_id option[value="${course.id}"]`).count()) === 0,
    'the deleted course leaves the list',
  );
  assert.equal(await field(page, 'Course').inputValue(), '');
  assert.equal(await field(page, 'Course').evaluate((el) => el.selectedOptions[0]?.textContent), 'Choose a course');
  assert.equal((await pendingFor(email)).length, 0);
  await screenshot(page, 'register-course-gone');
  page.assertClean();
});

test('fields the server refuses are marked at their fields with its words', async () => {
  const course = await ctx.srv.course();
  const page = await openRegister();
  const email = uniqueEmail('server-says');
  // A page older than the server's rules, as it were: what it sends breaks two of them.
  await page.route(`**${REGISTER}`, (route) => {
    const body = { ...route.request().postDataJSON(), full_name: 'N', preferred_time_range: { start: '18:00', end: '09:00' } };
    return route.continue({ postData: JSON.stringify(body) });
  });
  await fillForm(page, { courseId: course.id, email });
  await submitButton(page).click();
  const alert = page.locator('p.alert.error[role=alert]');
  await alert.waitFor();
  assert.equal(await alert.textContent(), 'Some details were not accepted. Please check the marked fields.');
  assert.equal(await errorOf(field(page, "Student's full name")), 'String should have at least 2 characters');
  assert.equal(await field(page, "Student's full name").getAttribute('aria-invalid'), 'true');
  assert.equal(await errorOf(field(page, 'From')), 'start must be before end');
  assert.equal(await page.getByRole('heading', { name: /^Please correct/ }).textContent(), 'Please correct 2 fields');
  assert.equal((await pendingFor(email)).length, 0);
  await screenshot(page, 'register-server-validation');
  page.assertClean();
});

test('a double click on submit makes exactly one booking', async () => {
  const course = await ctx.srv.course();
  const page = await openRegister();
  const email = uniqueEmail('double');
  await fillForm(page, { courseId: course.id, email });
  await recordStatus(page);
  await submitButton(page).dblclick();
  await confirmationHeading(page).waitFor();
  const log = await page.evaluate(() => window.statusLog);
  const inFlight = log.filter((s) => s.text);
  assert.ok(inFlight.length > 0 && inFlight.every((s) => s.buttonDisabled), `disabled while in flight: ${JSON.stringify(log)}`);
  assert.equal(registerRequests(page).length, 1);
  const bookings = await pendingFor(email);
  assert.equal(bookings.length, 1);
  assert.equal(await page.getByTestId('booking-id').textContent(), bookings[0].id);
  await screenshot(page, 'register-double-click');
  page.assertClean();
});

test('a retry after a lost answer keeps the idempotency key: one booking, shown as received', async () => {
  const course = await ctx.srv.course();
  const page = await openRegister();
  const email = uniqueEmail('retry');
  let first = null;
  // The first registration reaches the server, but its answer never reaches the page.
  await page.route(`**${REGISTER}`, async (route) => {
    if (first) return route.fallback();
    first = await route.fetch();
    return route.abort('connectionreset');
  });
  await fillForm(page, { courseId: course.id, email });
  await submitButton(page).click();
  const alert = page.locator('p.alert.error[role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not reach the server/);
  assert.equal(first.status(), 201);
  const made = (await first.json()).data.booking;

  await submitButton(page).click();
  await confirmationHeading(page).waitFor();
  assert.equal(await page.getByTestId('booking-id').textContent(), made.id);
  assert.equal((await pendingFor(email)).length, 1);
  const keys = registerRequests(page).map((r) => r.postDataJSON().idempotency_key);
  const tokens = registerRequests(page).map((r) => r.postDataJSON().captcha_token);
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'one key per form');
  assert.notEqual(tokens[0], tokens[1], 'a fresh captcha per attempt');
  await screenshot(page, 'register-retry');

  // The next person gets a new form with a new key.
  await page.getByRole('button', { name: 'Register another person' }).click();
  await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === 'f-course_id', 'focus on the new form');
  const next = uniqueEmail('next');
  await fillForm(page, { courseId: course.id, email: next, name: 'Dewi Lestari' });
  await submitButton(page).click();
  await confirmationHeading(page).waitFor();
  const third = registerRequests(page).at(-1).postDataJSON().idempotency_key;
  assert.notEqual(third, keys[0]);
  assert.equal((await pendingFor(next)).length, 1);
  page.assertClean();
});

test('the form is in Indonesian by default; the English switch changes it and is remembered', async () => {
  const course = await ctx.srv.course({ title: `Gitar Dasar ${randomUUID().slice(0, 4)}`, description: 'Les mingguan' });
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375 });
  await page.goto('/register');
  await page.getByRole('heading', { level: 1, name: 'Daftar kursus' }).waitFor();
  await page.locator(`#f-course_id option[value="${course.id}"]`).waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
  assert.equal(await page.title(), 'Pendaftaran kursus');
  for (const label of Object.values(ID)) assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, String(label));
  assert.equal(await page.getByRole('group', { name: 'Hari les yang diinginkan' }).count(), 1);
  assert.equal(await field(page, 'Senin').count(), 1, 'weekdays in Indonesian');
  assert.equal(await field(page, 'Pengalaman bermain alat musik').evaluate((el) => el.selectedOptions[0].textContent), 'Pemula');
  assert.match(await page.locator(`#f-course_id option[value="${course.id}"]`).textContent(), / · Pemula · Rp 150\.000 per sesi$/);
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(await unlabelledControls(page), []);

  // An empty submit: the summary and every message in Indonesian.
  await page.getByRole('button', { name: 'Kirim pendaftaran' }).click();
  await page.getByRole('heading', { name: 'Perbaiki 13 kolom' }).waitFor();
  assert.equal(await errorOf(field(page, ID.name)), 'Isi nama lengkap siswa.');
  assert.equal(await errorOf(page.getByRole('group', { name: 'Hari les yang diinginkan' })), 'Pilih paling sedikit satu hari.');
  assert.equal(await errorOf(page.getByLabel(ID.consent)), 'Mohon setujui ini sebelum mendaftar.');
  assert.deepEqual(await englishLeft(page), []);
  await screenshot(page, 'register-id-empty-submit');

  // A complete form goes through; the captcha's progress and the confirmation are Indonesian.
  const email = uniqueEmail('bahasa');
  await fillForm(page, { courseId: course.id, email, days: ['Senin', 'Kamis'] }, ID);
  await recordStatus(page);
  await page.getByRole('button', { name: 'Kirim pendaftaran' }).click();
  await page.getByRole('heading', { name: 'Pendaftaran diterima' }).waitFor();
  const log = await page.evaluate(() => window.statusLog);
  const solving = log.filter((s) => /^Memeriksa bahwa Anda bukan robot… \d+ %$/.test(s.text));
  assert.ok(solving.length > 0, `no captcha progress shown: ${JSON.stringify(log)}`);
  assert.ok(solving.every((s) => s.progressLabel === 'Pemeriksaan robot'), JSON.stringify(solving));
  assert.ok(log.some((s) => s.text === 'Mengirim pendaftaran Anda…'), JSON.stringify(log));
  const [b] = await pendingFor(email);
  assert.equal(await page.getByTestId('booking-id').textContent(), b.id);
  const text = await page.locator('section.confirmation').textContent();
  assert.ok(text.includes(`Pendaftaran untuk ${course.title} sedang menunggu konfirmasi`), text);
  // "…paling lambat sampai Sabtu, 5 Desember 2026 pukul 14.30 WITA.": the business's zone.
  assert.match(text, /paling lambat sampai \w+, \d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WITA\./);
  assert.ok(text.includes(`melalui ${email}`), text);
  assert.equal(await page.title(), 'Pendaftaran diterima – Pendaftaran kursus');
  assert.deepEqual(await englishLeft(page), []);
  await screenshot(page, 'register-id-confirmation');

  // The switch: the same confirmation in English, and the choice kept over a reload.
  await page.getByRole('button', { name: 'English' }).click();
  await confirmationHeading(page).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.match(await page.locator('section.confirmation').textContent(), /at the latest until \w+day, \d+ \w+ \d{4} at \d{2}:\d{2}/);
  assert.equal(await page.title(), 'Registration received – Course registration');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Register for a course' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.title(), 'Course registration');
  await submitButton(page).waitFor();
  await page.getByRole('button', { name: 'Bahasa Indonesia' }).waitFor();
  page.assertClean();
});

test('the empty form reads in Indonesian and fits both a wide screen and a 375 px phone', async () => {
  await ctx.srv.course({ title: `Piano Anak ${randomUUID().slice(0, 4)}`, description: 'Les mingguan' });
  for (const width of [1280, 375]) {
    const page = await openPage(ctx.browser, ctx.srv.base, { width });
    await page.goto('/register');
    await page.getByRole('heading', { level: 1, name: 'Daftar kursus' }).waitFor();
    await page.locator('#f-course_id option[value]:not([value=""])').first().waitFor({ state: 'attached' });
    assert.deepEqual(await englishLeft(page), []);
    assert.deepEqual(await unlabelledControls(page), []);
    assert.ok(await page.evaluate((w) => document.documentElement.scrollWidth <= w, width), `fits ${width} px`);
    await screenshot(page, width === 375 ? 'register-375px' : 'register');
    page.assertClean();
    await page.context().close();
  }
});
