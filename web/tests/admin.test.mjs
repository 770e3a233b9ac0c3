// The admin dashboard in Chromium against a real server seeded with the demo history (152
// completed bookings of the past). The first tests use the English pages; the last ones the
// Indonesian default: open bookings first, finished ones behind the filter without urgency,
// a past open booking overdue rather than urgent, and no English left in any section.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { ADMIN_EMAIL, englishLeft, eventually, openPage, screenshot, serverAndBrowser, signInAdmin, unlabelledControls } from './harness.mjs';

let typeId;
const ctx = serverAndBrowser({
  prepare(srv) {
    srv.run('migrate');
    srv.run('seed-demo');
  },
  async started(srv) {
    typeId = await srv.serviceTypeId();
  },
});

async function signIn(page, base = ctx.srv.base) {
  await page.goto(`${base}/admin/`);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ctx.srv.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tab', { name: 'Bookings' }).waitFor();
}

const card = (page, id) => page.locator(`li.booking[data-booking-id="${id}"]`);
/// The priority badge's text in English: "High · 85".
const badgeText = (b) => `${b.priority_segment[0].toUpperCase()}${b.priority_segment.slice(1)} · ${b.priority_score}`;

/// A TCP relay in front of the server that can drop every connection it carries and refuse
/// new ones for a while: a network failure as the browser sees one.
async function relay(port) {
  const sockets = new Set();
  let refusing = false;
  const heads = [];
  const server = net.createServer((client) => {
    if (refusing) return client.destroy();
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.once('data', (d) => heads.push(d.toString('latin1')));
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    heads,
    cut() {
      refusing = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      refusing = false;
    },
    close() {
      this.cut();
      return new Promise((r) => server.close(r));
    },
  };
}

test('the admin signs in; a booking made through the API appears on the board within 2 s', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base, { lang: 'en' });
  await signIn(page);
  await page.locator('.live.on').first().waitFor();
  const { booking } = await ctx.srv.customerBooking({ name: 'Nadia Live', typeId, daysAhead: 1, clients: 3 });
  const made = Date.now();
  await card(page, booking.id).waitFor({ timeout: 2000 });
  const elapsed = Date.now() - made;
  assert.ok(elapsed <= 2000, `appeared after ${elapsed} ms`);
  const text = await card(page, booking.id).innerText();
  assert.match(text, /Nadia Live/);
  assert.ok(text.includes(badgeText(booking)), text);
  // Ordered by priority: no card above it has a lower score.
  const scores = await page.locator('li.booking .badge:not(.level)').allInnerTexts();
  const values = scores.map((s) => Number(s.split('·')[1]));
  assert.deepEqual(values, [...values].sort((a, b) => b - a));
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'admin-board');
  page.assertClean();
});

test('a status changed from the board is the status the API shows', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base, { lang: 'en' });
  await signIn(page);
  const { booking } = await ctx.srv.customerBooking({ name: 'Sari Status', typeId, daysAhead: 20 });
  await card(page, booking.id).waitFor({ timeout: 5000 });
  await card(page, booking.id).getByLabel('Status').selectOption('paid');
  await eventually(async () => {
    const b = await ctx.srv.admin('GET', `/bookings/${booking.id}`);
    return b.status === 'paid';
  }, 'status paid in the API', 5000);
  const b = await ctx.srv.admin('GET', `/bookings/${booking.id}`);
  // The card shows the re-scored priority the server computed for the new status.
  await eventually(
    async () => (await card(page, booking.id).innerText()).includes(badgeText(b)),
    'the re-scored badge',
  );
  assert.equal(await card(page, booking.id).getByLabel('Status').inputValue(), 'paid');
  await screenshot(page, 'admin-status-changed');
  page.assertClean();
});

test('filters by segment and status narrow the board, also for bookings that arrive live', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base, { lang: 'en' });
  await signIn(page);
  await page.getByLabel('Show').selectOption('pending');
  await page.getByLabel('Priority segment').selectOption('high');
  await page.locator('p', { hasText: /booking|No bookings/ }).first().waitFor();
  const expected = await ctx.srv.admin('GET', '/bookings/?status=pending&segment=high&order_by=priority_score_desc&limit=500');
  await eventually(async () => (await page.locator('li.booking').count()) === expected.length, 'the filtered count');
  // A low-priority booking made now stays off this board; a high one (urgent, VIP price,
  // many clients) appears.
  const vip = await ctx.srv.admin('POST', '/services/packages', { name: 'Makeup Pengantin', description: 'Wedding' });
  const withType = await ctx.srv.admin('POST', '/services/types', { package_id: vip.id, name: 'Akad & Resepsi', price: '3500000.00' });
  const vipType = withType.service_types.find((t) => t.name === 'Akad & Resepsi');
  const low = await ctx.srv.customerBooking({ name: 'Low Later', typeId, daysAhead: 60 });
  const high = await ctx.srv.customerBooking({ name: 'High Soon', typeId: vipType.id, daysAhead: 1, clients: 5 });
  assert.equal(high.booking.priority_segment, 'high', JSON.stringify(high.booking));
  await card(page, high.booking.id).waitFor({ timeout: 5000 });
  assert.equal(await card(page, low.booking.id).count(), 0);
  await screenshot(page, 'admin-filtered');
  page.assertClean();
});

test('after a dropped stream the board reconnects and replays what it missed (Last-Event-ID)', async () => {
  const proxy = await relay(ctx.srv.port);
  let page;
  try {
    page = await openPage(ctx.browser, proxy.base, { lang: 'en' });
    await signIn(page, proxy.base);
    await page.locator('.live.on').first().waitFor();
    // One event first, so the page has an id to resume from.
    const seen = await ctx.srv.customerBooking({ name: 'Seen Event', typeId, daysAhead: 3 });
    await card(page, seen.booking.id).waitFor({ timeout: 5000 });
    proxy.cut();
    await page.locator('.live[data-state="reconnecting"]').first().waitFor({ timeout: 5000 });
    // Made while the page is cut off: only a replay can bring it.
    const { booking } = await ctx.srv.customerBooking({ name: 'Missed Event', typeId, daysAhead: 3 });
    proxy.restore();
    await card(page, booking.id).waitFor({ timeout: 15_000 }).catch(async (e) => {
      throw new Error(`${e.message}\nstate: ${await page.locator(".live").first().getAttribute("data-state")}\nrequests: ${proxy.heads.map((h) => h.split("\r\n")[0]).join(" | ")}`);
    });
    await page.locator('.live.on').first().waitFor();
    const resumed = proxy.heads.filter((h) => h.startsWith('GET /bookings/stream') && /last-event-id:\s*\d+/i.test(h));
    assert.ok(resumed.length >= 1, 'a stream request resumed with Last-Event-ID');
    await screenshot(page, 'admin-reconnected');
    page.assertClean();
  } finally {
    await page?.context().close();
    await proxy.close();
  }
});

test('the segments plot draws one point per customer and follows segment_updated', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base, { lang: 'en' });
  await signIn(page);
  await page.getByRole('tab', { name: 'Customer segments' }).click();
  const segments = await ctx.srv.admin('GET', '/segments/');
  assert.ok(segments.length >= 4);
  const points = page.locator('svg.plot circle');
  await eventually(async () => (await points.count()) === segments.length, 'one point per customer');
  assert.equal(await page.locator('tbody tr').count(), segments.length);
  // Each point has its customer's segment colour.
  for (const s of segments.slice(0, 5))
    assert.equal(await page.locator(`svg.plot circle[data-user-id="${s.user_id}"]`).getAttribute('class'), `seg-${s.customer_segment}`);
  // A new customer's first booking makes one more point, without reloading the page.
  await ctx.srv.customerBooking({ name: 'Segment Newcomer', typeId, daysAhead: 30 });
  await eventually(async () => (await points.count()) === segments.length + 1, 'a point for the new customer');
  assert.match(await page.locator('tbody').innerText(), /Segment Newcomer/);
  await screenshot(page, 'admin-segments');
  page.assertClean();
});

test('a pending registration is confirmed from the page and its enrollment appears', async () => {
  const course = await ctx.srv.course({ title: 'Gitar Dasar' });
  const page = await openPage(ctx.browser, ctx.srv.base, { lang: 'en' });
  await signIn(page);
  await page.getByRole('tab', { name: 'Registrations' }).click();
  await page.locator('.live.on').first().waitFor();
  // Made after the page is open: it arrives live.
  const booking = await ctx.srv.registration(course.id, { full_name: 'Dewi Confirm' });
  const item = page.locator(`li[data-booking-id="${booking.id}"]`);
  await item.waitFor({ timeout: 5000 });
  await item.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Confirmed Dewi Confirm').waitFor();
  await screenshot(page, 'admin-registration-confirmed');
  const confirmed = await ctx.srv.admin('GET', `/api/booking/enrollments?course_id=${course.id}`);
  assert.equal(confirmed.data.length, 1);
  assert.equal(confirmed.data[0].booking_id, booking.id);
  assert.equal(confirmed.data[0].status, 'active');

  await page.getByRole('tab', { name: 'Enrollments' }).click();
  await page.getByLabel('Course').selectOption(course.id);
  const row = page.locator(`tr[data-booking-id="${booking.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Dewi Confirm/);
  assert.match(await row.innerText(), /Gitar Dasar/);
  assert.equal(await row.locator('select').inputValue(), 'active');
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'admin-enrollments');
  page.assertClean();
});

test('a registration rejected with a reason leaves the list and the API records the reason', async () => {
  const course = await ctx.srv.course({ title: 'Drum Dasar' });
  const booking = await ctx.srv.registration(course.id, { full_name: 'Rudi Reject' });
  const page = await openPage(ctx.browser, ctx.srv.base, { lang: 'en' });
  await signIn(page);
  await page.getByRole('tab', { name: 'Registrations' }).click();
  const item = page.locator(`li[data-booking-id="${booking.id}"]`);
  await item.getByRole('button', { name: 'Reject…' }).click();
  // The reason box takes the focus, so the keyboard goes on from there.
  await page.keyboard.type('The class is full this term');
  await item.getByRole('button', { name: 'Reject registration' }).click();
  await page.getByText('Rejected the registration of Rudi Reject').waitFor();
  assert.equal(await item.count(), 0);
  const pending = await ctx.srv.admin('GET', '/api/booking/pending');
  assert.ok(!pending.data.some((b) => b.id === booking.id));
  const mine = await ctx.srv.admin('GET', `/api/booking/enrollments?course_id=${course.id}`);
  assert.equal(mine.data.length, 0);
  await screenshot(page, 'admin-registration-rejected');
  page.assertClean();
});

test('enrollments page through with Next and Previous', async () => {
  const course = await ctx.srv.course({ title: 'Biola Kelas Besar', max_students: 100 });
  for (let i = 0; i < 23; i++) {
    const b = await ctx.srv.registration(course.id, { full_name: `Siswa ${i}` });
    await ctx.srv.admin('POST', `/api/bookings/${b.id}/confirm`);
  }
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375, height: 800, lang: 'en' });
  await signIn(page);
  await page.getByRole('tab', { name: 'Enrollments' }).click();
  await page.getByLabel('Course').selectOption(course.id);
  await page.getByText('Page 1 of 2 (23 enrollments)').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 20);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 2 (23 enrollments)').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 3);
  assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled());
  await page.getByLabel('Status', { exact: true }).selectOption('cancelled');
  await page.getByText('Page 0 of 0 (0 enrollments)').waitFor();
  await screenshot(page, 'admin-enrollments-375px');
  page.assertClean();
});

test('a wrong password and a customer account are refused with plain messages', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375, height: 700, lang: 'en' });
  await page.goto(`${ctx.srv.base}/admin/`);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  const email = `plain-${Date.now()}@customer.test`;
  await ctx.srv.ok('POST', '/auth/register', { body: { name: 'Plain', email, password: 'secret123' } });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('secret123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'This account is not an admin account.' }).waitFor();
  assert.equal(await page.getByRole('tab').count(), 0);
  await screenshot(page, 'admin-login-refused');
  page.assertClean();
});

// -- in Indonesian, the pages' default ------------------------------------------------------
const OPEN = ['pending', 'confirmed', 'dp', 'paid'];
const cards = (page) => page.locator('li.booking');

test('the board shows open bookings by priority; a past open one is overdue; finished ones are behind the filter', async () => {
  const soon = await ctx.srv.customerBooking({ name: 'Nadia Segera', typeId, daysAhead: 2, clients: 2 });
  const later = await ctx.srv.customerBooking({ name: 'Rina Nanti', typeId, daysAhead: 60 });
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signInAdmin(page, ctx.srv);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
  await card(page, soon.booking.id).waitFor();
  await page.locator('.live.on').first().waitFor();
  // Only open bookings: none of the demo's finished history.
  const statuses = await cards(page).evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.length >= 2 && statuses.every((s) => OPEN.includes(s)), statuses.join(','));
  // In priority order, as the API gives them.
  const api = await ctx.srv.admin('GET', '/bookings/?state=open&order_by=priority_score_desc&limit=500');
  const shown = await cards(page).evaluateAll((els) => els.map((e) => Number(e.dataset.bookingId)));
  assert.deepEqual(shown, api.map((b) => b.id));
  assert.match(await card(page, soon.booking.id).innerText(), /Mendesak/);
  assert.match(await card(page, later.booking.id).innerText(), /Mendatang/);

  // A finished booking of last season brought back to open arrives live, overdue, not urgent.
  const past = (await ctx.srv.admin('GET', '/bookings/?state=finished&order_by=tanggal_acara_asc&limit=1'))[0];
  assert.ok(new Date(`${past.tanggal_acara}Z`) < new Date(), 'a past booking');
  await ctx.srv.admin('PATCH', `/bookings/${past.id}`, { status: 'confirmed' });
  await card(page, past.id).waitFor();
  const badge = card(page, past.id).locator('[data-badge]');
  assert.equal(await badge.getAttribute('data-badge'), 'overdue');
  assert.equal((await badge.innerText()).trim(), 'Lewat tanggal');
  assert.doesNotMatch(await card(page, past.id).innerText(), /Mendesak/);
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'admin-board');

  // Finished bookings are one choice away, with their status and no urgency.
  await page.getByLabel('Tampilkan').selectOption('finished');
  await eventually(async () => (await cards(page).count()) >= 100, 'the finished bookings');
  const finished = await cards(page).evaluateAll((els) => els.map((e) => [e.dataset.status, e.querySelectorAll('[data-badge]').length]));
  assert.ok(finished.every(([s, badges]) => (s === 'completed' || s === 'cancelled') && badges === 0));
  assert.ok(!(await cards(page).evaluateAll((els) => els.map((e) => e.dataset.bookingId))).includes(String(past.id)));
  assert.match(await cards(page).first().innerText(), /Selesai/);
  assert.deepEqual(await englishLeft(page), []);
  page.assertClean();
});

test('at 375 px the board fits the screen and can be switched to English', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375, height: 800 });
  await signInAdmin(page, ctx.srv);
  await cards(page).first().waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no sideways scrolling');
  await screenshot(page, 'admin-board-375px');
  await page.getByTestId('lang-switch').click();
  await page.getByRole('tab', { name: 'Bookings' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByLabel('Show').waitFor();
  // Remembered: a reload stays English.
  await page.reload();
  await page.getByRole('tab', { name: 'Bookings' }).waitFor();
  assert.match(await page.getByTestId('zone').innerText(), /Times in GMT\+8 \(Asia\/Makassar\)/);
  page.assertClean();
});

test('every section of the dashboard reads in Indonesian, with nothing left in English, also at 375 px', async () => {
  const tabs = {
    bookings: 'Pemesanan',
    calendar: 'Kalender',
    catalogue: 'Katalog',
    segments: 'Segmen pelanggan',
    registrations: 'Pendaftaran',
    courses: 'Kursus',
    enrollments: 'Peserta',
    notifications: 'Notifikasi',
    webhooks: 'Webhook',
    audit: 'Log audit',
  };
  for (const width of [1280, 375]) {
    const page = await openPage(ctx.browser, ctx.srv.base, { width, height: 900 });
    await signInAdmin(page, ctx.srv);
    assert.deepEqual((await page.getByRole('tab').allInnerTexts()).map((t) => t.trim()), Object.values(tabs));
    for (const [id, name] of Object.entries(tabs)) {
      await page.getByRole('tab', { name, exact: true }).click();
      await page.locator('#panel h2').first().waitFor();
      // Let the section's first answer arrive: its loading line goes away.
      await page.waitForFunction(() => !/Memuat/.test(document.querySelector('#panel').innerText));
      assert.deepEqual(await englishLeft(page), [], name);
      assert.deepEqual(await unlabelledControls(page), [], name);
      if (width === 375) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), `${name} fits 375 px`);
      await screenshot(page, `section-${id}${width === 375 ? '-375px' : ''}`);
    }
    assert.match(await page.getByTestId('zone').innerText(), /^Waktu dalam WITA \(Asia\/Makassar\)$/);
    page.assertClean();
    await page.context().close();
  }
});
