// The applicant's page (/register/status?token=…) in Chromium against a real server: it shows
// the registration its manage token names, in Indonesian first, and cancels it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishLeft, eventually, openPage, screenshot, serverAndBrowser, unlabelledControls } from './harness.mjs';

const ctx = serverAndBrowser();

async function openStatus(token) {
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375 });
  await page.goto(`/register/status?token=${encodeURIComponent(token)}`);
  return page;
}

test('the page shows the registration in Indonesian and cancels it', async () => {
  const course = await ctx.srv.course({ title: 'Biola Dasar' });
  const { booking, manage_token: token } = await ctx.srv.registered(course.id, { full_name: 'Nadia Putri' });
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const page = await openStatus(token);
  await page.getByRole('heading', { level: 1, name: 'Status pendaftaran' }).waitFor();
  const details = page.getByTestId('booking');
  await eventually(async () => (await details.textContent()).includes('Biola Dasar'), 'course shown');
  assert.match(await details.textContent(), /Nadia Putri/);
  assert.equal(await page.getByTestId('status').textContent(), 'Menunggu konfirmasi');
  assert.match(await details.textContent(), /Rp 150\.000/);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'register-status-shown');

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Batalkan pendaftaran' }).click();
  await page.getByText('Pendaftaran sudah dibatalkan.').waitFor();
  assert.equal(await page.getByTestId('status').textContent(), 'Dibatalkan');
  assert.equal(await page.getByRole('button', { name: 'Batalkan pendaftaran' }).count(), 0);
  const { data } = await ctx.srv.ok('GET', `/api/booking/manage/${token}`);
  assert.equal(data.booking.id, booking.id);
  assert.equal(data.booking.status, 'cancelled');
  await page.close();
});

test('the English switch is remembered', async () => {
  const course = await ctx.srv.course();
  const { manage_token: token } = await ctx.srv.registered(course.id);
  const page = await openStatus(token);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Registration status' }).waitFor();
  assert.equal(await page.getByTestId('status').textContent(), 'Awaiting confirmation');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Registration status' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  await page.getByRole('heading', { level: 1, name: 'Status pendaftaran' }).waitFor();
  await page.close();
});

test('in Indonesian no English is left, and the times name the business time zone', async () => {
  const course = await ctx.srv.course({ title: 'Piano Menengah', description: 'Les mingguan' });
  const { manage_token: token } = await ctx.srv.registered(course.id, { full_name: 'Dewi Lestari' });
  const page = await openStatus(token);
  await page.getByTestId('booking').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
  assert.equal(await page.title(), 'Status pendaftaran');
  // "Sabtu, 5 Desember 2026 pukul 14.30 WITA": the business's zone (Asia/Makassar by default).
  const longTime = /^\w+, \d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WITA$/;
  assert.match(await page.getByTestId('expires').textContent(), longTime);
  assert.match(await page.getByTestId('registered').textContent(), longTime);
  assert.equal(await page.getByTestId('zone').textContent(), 'Waktu dalam WITA (Asia/Makassar)');
  assert.deepEqual(await englishLeft(page), []);
  await screenshot(page, 'register-status-id');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Registration status' }).waitFor();
  assert.match(await page.getByTestId('expires').textContent(), /^\w+day, \d{1,2} \w+ \d{4} at \d{2}:\d{2} GMT\+8$/);
  assert.equal(await page.getByTestId('zone').textContent(), 'Times in GMT+8 (Asia/Makassar)');
  page.assertClean();
  await page.close();
});

test('an unknown or altered token says the link is not known', async () => {
  const course = await ctx.srv.course();
  const { manage_token: token } = await ctx.srv.registered(course.id);
  const altered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
  const page = await openStatus(altered);
  await page.getByRole('alert').filter({ hasText: 'Tautan ini tidak dikenal' }).waitFor();
  assert.equal(await page.getByTestId('booking').count(), 0);
  await page.close();
});
