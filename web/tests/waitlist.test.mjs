// A course with two seats made on the page, in Indonesian: three registrations, two confirmed from the page,
// the third waitlisted; cancelling an enrollment offers its seat, and the waitlisted
// registration becomes pending on the open page by itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishLeft, openPage, screenshot, serverAndBrowser, signInAdmin, unlabelledControls } from './harness.mjs';

const ctx = serverAndBrowser({
  prepare(srv) {
    srv.env.CAPTCHA_PROVIDER = 'none';
  },
});

const signIn = (page) => signInAdmin(page, ctx.srv);

test('a full course waitlists the third registration, and a cancelled enrollment offers its seat live', async () => {
  const names = ['Ayu Pertama', 'Bima Kedua', 'Citra Ketiga'];
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page);
  // The course, made on the page.
  await page.getByRole('tab', { name: 'Kursus', exact: true }).click();
  await page.getByRole('button', { name: 'Kursus baru' }).click();
  await page.getByLabel('Nama kursus').fill('Biola Dua Kursi');
  await page.getByLabel('Alat musik').fill('Biola');
  await page.getByLabel('Harga per sesi (Rp)').fill('150.000');
  await page.getByLabel('Jumlah kursi').fill('2');
  await page.getByRole('button', { name: 'Buat kursus' }).click();
  await page.getByRole('status').filter({ hasText: 'Kursus Biola Dua Kursi dibuat.' }).waitFor();
  const course = (await ctx.srv.admin('GET', '/api/courses')).data.find((c) => c.title === 'Biola Dua Kursi');
  assert.equal(course.max_students, 2);
  await page.getByRole('tab', { name: 'Pendaftaran' }).click();
  await page.locator('.live.on').first().waitFor();
  // Registered while the page is open: they arrive live.
  const booked = [];
  for (const full_name of names.slice(0, 2)) booked.push(await ctx.srv.registration(course.id, { full_name }));
  const pending = page.getByRole('list', { name: 'Pendaftaran menunggu konfirmasi' });
  for (const b of booked) {
    const item = pending.locator(`li[data-booking-id="${b.id}"]`);
    await item.getByRole('button', { name: 'Konfirmasi' }).click();
    await page.getByText(`Pendaftaran ${b.applicant_full_name} dikonfirmasi`).waitFor();
  }
  // The course is full now: the third registration waits.
  const third = await ctx.srv.registration(course.id, { full_name: names[2] });
  assert.equal(third.status, 'waitlisted');
  const waiting = page.getByRole('list', { name: 'Daftar tunggu' });
  await waiting.locator(`li[data-booking-id="${third.id}"]`).waitFor();
  assert.match(await waiting.locator(`li[data-booking-id="${third.id}"]`).innerText(), /Citra Ketiga/);
  assert.deepEqual(await englishLeft(page), []);
  await screenshot(page, 'admin-waitlist');

  // In a second window, cancel one enrollment on the enrollments page.
  const other = await openPage(ctx.browser, ctx.srv.base);
  await signIn(other);
  await other.getByRole('tab', { name: 'Peserta' }).click();
  await other.getByLabel('Kursus', { exact: true }).selectOption(course.id);
  const row = other.locator(`tr[data-booking-id="${booked[0].id}"]`);
  await row.waitFor();
  await row.getByLabel(`Status ${names[0]}`).selectOption('cancelled');
  await other.getByText(`Status ${names[0]} sekarang Dibatalkan.`).waitFor();
  assert.deepEqual(await unlabelledControls(other), []);
  assert.deepEqual(await englishLeft(other), []);
  await screenshot(other, 'admin-enrollment-cancelled');
  other.assertClean();

  // On the first window, never reloaded, the waitlisted one is pending now.
  const offered = pending.locator(`li[data-booking-id="${third.id}"]`);
  await offered.waitFor();
  assert.equal(await offered.getAttribute('data-status'), 'pending');
  await page.getByText('Daftar tunggu kosong.').waitFor();
  assert.equal(await waiting.count(), 0, 'the waiting list is empty');
  const api = await ctx.srv.admin('GET', '/api/booking/pending');
  assert.ok(api.data.some((b) => b.id === third.id && b.status === 'pending'));
  page.assertClean();
});
