// The dashboard's calendar in Chromium against a real server whose make-up artist takes 3
// clients a day: a day blocked from the page (by keyboard) refuses a booking made through
// the API, and restoring the default lets the same booking in, which the grid shows live.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { gridRange, monthOf, stepMonth } from '../src/admin/calendar-rules.js';
import { formatter, ymdIn } from '../src/common/format.js';
import { englishLeft, eventually, openPage, screenshot, serverAndBrowser, signInAdmin, unlabelledControls } from './harness.mjs';

let typeId;
let zone;
const ctx = serverAndBrowser({
  prepare: (srv) => {
    srv.env.DAILY_CLIENT_CAPACITY = '3';
  },
  async started(srv) {
    typeId = await srv.serviceTypeId();
    zone = (await srv.ok('GET', '/settings')).business_timezone;
  },
});

async function signIn(page) {
  await signInAdmin(page, ctx.srv, 'Kalender');
  await page.getByRole('heading', { level: 2, name: 'Kalender' }).waitFor();
}

/// Presses Tab until the focused element satisfies `pred` (run in the page on it).
async function tabTo(page, pred, what, max = 25) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(pred)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

const focusedDate = (page) => page.evaluate(() => document.activeElement?.dataset?.date ?? null);

/// A new customer's booking of `clients` on `date` (10:00 in Makassar, 02:00 UTC): the
/// server's answer, whatever its status.
async function bookOn(date, clients = 1) {
  const email = `cal-${randomUUID().slice(0, 8)}@customer.test`;
  await ctx.srv.ok('POST', '/auth/register', { body: { name: 'Wulan Kalender', email, password: 'secret123' } });
  const token = await ctx.srv.login(email, 'secret123');
  return ctx.srv.request('POST', '/bookings/', {
    token,
    body: { service_type_id: typeId, tanggal_acara: `${date}T02:00:00`, jumlah_client: clients },
  });
}

test('Blocks a day off in the calendar; a booking for that day through the API is refused', async () => {
  const fmt = formatter('id-ID', zone);
  const today = ymdIn(new Date(), zone);
  const month = stepMonth(monthOf(today), 1);
  const date = `${month}-15`; // always in the future, and a third week's day: two rows below the 1st
  const cell = (page) => page.locator(`table.calendar button[data-date="${date}"]`);

  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page);
  await page.locator('.live.on').first().waitFor();
  assert.equal(await page.locator('#cal-month').textContent(), fmt.month(monthOf(today)));
  assert.equal(await page.locator('table.calendar th[scope="col"]').count(), 7);
  assert.match(await page.locator('table.calendar thead').innerText(), /^Sen\s/);
  await page.evaluate(() => (window.notReloaded = true));

  // Keyboard only from here: to the next month, into the grid, down two weeks, open the date.
  await tabTo(page, () => document.activeElement?.getAttribute('aria-label') === 'Bulan berikutnya', 'the next-month button');
  await page.keyboard.press('Enter');
  await eventually(async () => (await page.locator('#cal-month').textContent()) === fmt.month(month), 'the next month shown');
  await tabTo(page, () => Boolean(document.activeElement?.dataset?.date), 'the grid');
  assert.equal(await focusedDate(page), `${month}-01`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedDate(page), date);
  // Its accessible name states the date and its numbers.
  await eventually(async () => (await cell(page).getAttribute('aria-label')) === `${fmt.day(date)}: 0 dari 3 klien dipesan, sisa 3`, 'the cell named');
  await page.keyboard.press('Enter');
  const editor = page.getByTestId('calendar-editor');
  await editor.waitFor();
  await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === 'cal-editor-title', 'the focus on the editor');
  assert.equal(await editor.locator('h3').textContent(), fmt.day(date));
  await tabTo(page, () => document.activeElement?.textContent === 'Jadikan hari libur', 'the day-off button');
  await page.keyboard.press('Enter');
  await eventually(async () => (await cell(page).getAttribute('data-state')) === 'blocked', 'the cell blocked');
  assert.match(await cell(page).innerText(), /Libur/);
  assert.match(await cell(page).getAttribute('aria-label'), /hari libur/);
  await editor.getByText(`${fmt.day(date)} kini hari libur.`).waitFor();
  const [stored] = await ctx.srv.ok('GET', `/calendar?from=${date}&to=${date}`);
  assert.deepEqual(stored, { date, capacity: 0, booked_clients: 0, remaining: 0 });

  // The page's words are Indonesian, every control is labelled.
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'admin-calendar');

  const refused = await bookOn(date);
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.detail, `${date} is fully booked`);

  // Restore the default from the page (the next button after the day-off one).
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Kembalikan ke bawaan');
  await page.keyboard.press('Enter');
  await eventually(async () => (await cell(page).getAttribute('data-state')) === 'open', 'the cell open again');
  assert.doesNotMatch(await cell(page).innerText(), /Libur/);

  const accepted = await bookOn(date);
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  // The stream brings the booking: the cell counts it without a reload.
  await eventually(
    async () => (await cell(page).getAttribute('aria-label')) === `${fmt.day(date)}: 1 dari 3 klien dipesan, sisa 2`,
    'the cell counting the booking',
    5000,
  );
  assert.match(await cell(page).innerText(), /1\/3/);
  assert.equal(await editor.getByTestId('booked').textContent(), '1');
  assert.equal(await page.evaluate(() => window.notReloaded), true);

  // In English the month's name and the labels are English.
  await page.getByRole('button', { name: 'English' }).click();
  const en = formatter('en-GB', zone);
  await page.getByRole('heading', { level: 2, name: 'Calendar' }).waitFor();
  assert.equal(await page.locator('#cal-month').textContent(), en.month(month));
  assert.notEqual(en.month(month), fmt.month(month));
  assert.match(await page.locator('table.calendar thead').innerText(), /^Mon\s/);
  await editor.getByRole('button', { name: 'Make it a day off' }).waitFor();
  await editor.getByRole('button', { name: 'Restore the default' }).waitFor();
  await page.getByRole('button', { name: 'Next month' }).waitFor();
  assert.equal(await cell(page).getAttribute('aria-label'), `${en.day(date)}: 1 of 3 clients booked, 2 left`);
  assert.match(await cell(page).innerText(), /2 left/);
  assert.deepEqual(await unlabelledControls(page), []);
  page.assertClean();
  await page.context().close();
});

test('a capacity typed in the editor is saved, a full day is marked, and a wrong one is refused on the page', async () => {
  const today = ymdIn(new Date(), zone);
  const month = stepMonth(monthOf(today), 2);
  const date = `${month}-10`;
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page);
  await page.getByRole('button', { name: 'Bulan berikutnya' }).click();
  await page.getByRole('button', { name: 'Bulan berikutnya' }).click();
  const cell = page.locator(`table.calendar button[data-date="${date}"]`);
  await eventually(async () => (await cell.getAttribute('data-state')) === 'open', 'the month loaded');
  await cell.click();
  const input = page.getByLabel('Kapasitas (klien per hari)');
  await eventually(async () => (await input.inputValue()) === '3', 'the capacity shown');
  await input.fill('-2');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.getByText('Isi kapasitas dengan bilangan bulat dari 0 sampai 1.000.000.').waitFor();
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await input.fill('1');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await eventually(async () => (await cell.getAttribute('class')).includes('overridden'), 'the cell marked custom');
  assert.match(await cell.innerText(), /0\/1/);
  assert.match(await cell.innerText(), /Khusus/);
  const [stored] = await ctx.srv.ok('GET', `/calendar?from=${date}&to=${date}`);
  assert.equal(stored.capacity, 1);
  // One booking fills the day.
  assert.equal((await bookOn(date)).status, 201);
  await eventually(async () => (await cell.getAttribute('data-state')) === 'full', 'the cell full');
  assert.match(await cell.innerText(), /Penuh/);
  assert.match(await cell.getAttribute('aria-label'), /penuh, kapasitas khusus$/);
  // The grid fetched its whole range at once.
  const { from, to } = gridRange(month);
  const all = await ctx.srv.ok('GET', `/calendar?from=${from}&to=${to}`);
  assert.equal(await page.locator('table.calendar button.day[data-state]').count(), all.length);
  // A past date is shown, not changed.
  await page.getByRole('button', { name: 'Bulan ini' }).click();
  await page.getByRole('button', { name: 'Bulan sebelumnya' }).click();
  const past = page.locator(`table.calendar button[data-date="${stepMonth(monthOf(today), -1)}-15"]`);
  await eventually(async () => (await past.getAttribute('class')).includes('past'), 'the past date marked');
  assert.match(await past.getAttribute('aria-label'), /, sudah lewat$/);
  await past.click();
  await page.getByText('Tanggal ini sudah lewat; kapasitasnya tidak bisa diubah lagi.').waitFor();
  assert.equal(await page.getByLabel('Kapasitas (klien per hari)').count(), 0);
  await page.keyboard.press('Escape');
  await eventually(async () => (await page.getByTestId('calendar-editor').count()) === 0, 'the editor closed');
  const back = `${stepMonth(monthOf(today), -1)}-15`;
  await eventually(async () => (await focusedDate(page)) === back, 'the focus back on the day');
  page.assertClean();
  await page.context().close();
});

test('at 375 px the month fits without scrolling sideways', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375, height: 800 });
  await signIn(page);
  const today = ymdIn(new Date(), zone);
  const first = page.locator(`table.calendar button[data-date="${today}"]`);
  await eventually(async () => (await first.getAttribute('data-state')) !== null, 'the month loaded');
  await first.click();
  await page.getByTestId('calendar-editor').waitFor();
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    table: document.querySelector('table.calendar').getBoundingClientRect().right - window.innerWidth,
  }));
  assert.ok(overflow.page <= 0, `the page is ${overflow.page} px too wide`);
  assert.ok(overflow.table <= 0, `the table is ${overflow.table} px too wide`);
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'admin-calendar-375px');
  page.assertClean();
  await page.context().close();
});
