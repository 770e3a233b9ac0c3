// The courses view of the dashboard in Chromium against a real server, in Indonesian: a
// course made on the page follows its seats live as registrations made through the API are
// confirmed, gets another seat and is closed for registration, all checked through the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishLeft, eventually, openPage, screenshot, serverAndBrowser, signInAdmin, unlabelledControls } from './harness.mjs';

const ctx = serverAndBrowser();

async function signIn(page) {
  await signInAdmin(page, ctx.srv, 'Kursus');
  await page.getByRole('heading', { level: 2, name: 'Kursus', exact: true }).waitFor();
}

const allCourses = async () => (await ctx.srv.admin('GET', '/api/courses?include_inactive=true')).data;
const noEnglish = async (page, step) => assert.deepEqual(await englishLeft(page), [], step);

test('a course made on the page shows its seats filling live, gets a third seat and is deactivated', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page);
  await page.locator('.live.on').first().waitFor();
  await noEnglish(page, 'the courses as they open');

  // The form checks before it sends.
  await page.getByRole('button', { name: 'Kursus baru' }).click();
  await eventually(async () => (await page.evaluate(() => document.activeElement.id)) === 'course-new-title', 'the focus');
  await page.getByRole('button', { name: 'Buat kursus' }).click();
  assert.equal(await page.getByText('Wajib diisi.').count(), 4); // name, instrument, price, seats
  await eventually(async () => (await page.evaluate(() => document.activeElement.id)) === 'course-new-title', 'the focus');
  await noEnglish(page, 'with the form\'s errors');

  await page.getByLabel('Nama kursus').fill('Biola Anak Makassar');
  await page.getByLabel('Alat musik').fill('Biola');
  await page.getByLabel('Tingkat').selectOption({ label: 'Menengah' });
  await page.getByLabel('Harga per sesi (Rp)').fill('175.000');
  await page.getByLabel('Durasi per sesi (menit)').fill('45');
  await page.getByLabel('Jumlah kursi').fill('2');
  await page.getByLabel('Deskripsi (opsional)').fill('Kelas kecil untuk anak SD, setiap Sabtu sore.');
  await page.getByRole('button', { name: 'Buat kursus' }).click();
  await page.getByRole('status').filter({ hasText: 'Kursus Biola Anak Makassar dibuat.' }).waitFor();
  const course = (await allCourses()).find((c) => c.title === 'Biola Anak Makassar');
  assert.ok(course, 'the course is in GET /api/courses');
  assert.deepEqual(
    [course.instrument, course.level, course.price_per_session, course.duration_minutes, course.max_students, course.is_active],
    ['Biola', 'intermediate', 175000, 45, 2, true],
  );
  const card = page.locator(`li[data-course-id="${course.id}"]`);
  await eventually(async () => (await card.getByTestId('seats').innerText()).includes('0 / 2 kursi terisi'), 'no seat taken yet');
  const text = await card.innerText();
  assert.match(text, /Rp 175\.000 per sesi/);
  assert.match(text, /45 menit/);
  assert.match(text, /Menengah/);
  assert.match(text, /Aktif/);
  await noEnglish(page, 'with the new course');

  // Two registrations confirmed through the API fill both seats; the page follows without
  // being reloaded (the marker set in this document survives).
  await page.evaluate(() => (window.stillThisPage = true));
  for (const name of ['Nurul Hikmah', 'Andi Baso']) {
    const booking = await ctx.srv.registration(course.id, { full_name: name });
    await ctx.srv.admin('POST', `/api/bookings/${booking.id}/confirm`);
  }
  await eventually(async () => (await card.getByTestId('seats').innerText()).includes('2 / 2 kursi terisi'), 'both seats taken, live');
  assert.match(await card.getByTestId('seats').innerText(), /Penuh/);
  // A third applicant finds the course full and waits.
  await ctx.srv.registration(course.id, { full_name: 'Rahmat Hidayat' });
  await eventually(async () => (await card.getByTestId('waitlisted').innerText()) === '1 orang di daftar tunggu', 'one waiting, live');
  assert.equal(await page.evaluate(() => window.stillThisPage), true);
  await noEnglish(page, 'with the seats taken');
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'admin-courses');

  // A third seat, from the page.
  await card.getByRole('button', { name: 'Ubah kursus Biola Anak Makassar' }).click();
  const seatsField = card.getByLabel('Jumlah kursi');
  assert.equal(await seatsField.inputValue(), '2');
  assert.equal(await card.getByLabel('Harga per sesi (Rp)').inputValue(), '175.000');
  await seatsField.fill('1');
  await card.getByRole('button', { name: 'Simpan' }).click();
  await card.getByText('Tidak boleh kurang dari kursi yang sudah terisi (2).').waitFor();
  await seatsField.fill('3');
  await card.getByRole('button', { name: 'Simpan' }).click();
  await page.getByRole('status').filter({ hasText: 'Perubahan pada kursus Biola Anak Makassar disimpan.' }).waitFor();
  const widened = (await allCourses()).find((c) => c.id === course.id);
  assert.equal(widened.max_students, 3);
  assert.equal(widened.price_per_session, 175000, 'the rest is kept');
  await eventually(async () => (await card.getByTestId('seats').innerText()).includes('2 / 3 kursi terisi'), 'three seats on the page');
  // The freed seat is offered to the one waiting, who leaves the waiting list.
  await eventually(async () => (await card.getByTestId('waitlisted').innerText()) === 'Tidak ada yang menunggu', 'the waiting list emptied');
  await noEnglish(page, 'after the edit');

  // Closed for registration.
  await card.getByRole('button', { name: 'Nonaktifkan kursus Biola Anak Makassar' }).click();
  await page.getByRole('status').filter({ hasText: 'Kursus Biola Anak Makassar dinonaktifkan' }).waitFor();
  assert.equal((await allCourses()).find((c) => c.id === course.id).is_active, false);
  const publicList = (await ctx.srv.ok('GET', '/api/courses')).data;
  assert.ok(!publicList.some((c) => c.id === course.id), 'no longer offered to applicants');
  await eventually(async () => (await card.getAttribute('data-active')) === 'false', 'shown as inactive');
  assert.match(await card.getByTestId('active').innerText(), /Nonaktif/);
  await card.getByRole('button', { name: 'Aktifkan kursus Biola Anak Makassar' }).waitFor();
  await noEnglish(page, 'after deactivating');
  assert.deepEqual(await unlabelledControls(page), []);
  page.assertClean();
  await page.context().close();
});

test('a course is deleted only when it has no registrations; the page fits a 375 px phone', async () => {
  const unused = await ctx.srv.course({ title: 'Drum Coba', instrument: 'Drum' });
  const used = await ctx.srv.course({ title: 'Gitar Kelas Sore', instrument: 'Gitar', max_students: 4 });
  await ctx.srv.registration(used.id, { full_name: 'Sitti Aisyah' });
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375, height: 800 });
  await signIn(page);
  const usedCard = page.locator(`li[data-course-id="${used.id}"]`);
  await usedCard.waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `nothing overflows 375 px (scrollWidth ${width})`);
  assert.deepEqual(await unlabelledControls(page), []);
  await noEnglish(page, 'at 375 px');
  await screenshot(page, 'admin-courses-375px');

  // The edit form fits too.
  await usedCard.getByRole('button', { name: 'Ubah kursus Gitar Kelas Sore' }).click();
  await usedCard.getByLabel('Jumlah kursi').waitFor();
  const editing = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(editing <= 375, `the edit form fits 375 px (scrollWidth ${editing})`);
  await usedCard.getByRole('button', { name: 'Batal' }).click();

  const unusedCard = page.locator(`li[data-course-id="${unused.id}"]`);
  await unusedCard.getByRole('button', { name: 'Hapus kursus Drum Coba' }).click();
  await unusedCard.getByRole('button', { name: 'Ya, hapus' }).click();
  await page.getByRole('status').filter({ hasText: 'Kursus Drum Coba dihapus.' }).waitFor();
  assert.equal((await ctx.srv.request('GET', `/api/courses/${unused.id}`)).status, 404);
  await eventually(async () => (await unusedCard.count()) === 0, 'the deleted course leaves the page');

  await usedCard.getByRole('button', { name: 'Hapus kursus Gitar Kelas Sore' }).click();
  await usedCard.getByRole('button', { name: 'Ya, hapus' }).click();
  await page.getByRole('status').filter({ hasText: 'Kursus Gitar Kelas Sore sudah punya pendaftaran, jadi dinonaktifkan, bukan dihapus.' }).waitFor();
  assert.equal((await allCourses()).find((c) => c.id === used.id).is_active, false);
  await noEnglish(page, 'after the deletes');
  page.assertClean();
  await page.context().close();
});
