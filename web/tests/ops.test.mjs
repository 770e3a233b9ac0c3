// The dashboard's notifications, webhooks and audit log in Chromium against a real server, in
// Indonesian (the default). Webhooks may point at loopback here (WEBHOOK_ALLOW_PRIVATE=1), so
// a receiver in this process can refuse deliveries.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import { changedFields } from '../src/admin/ops-rules.js';
import { englishLeft, eventually, openPage, screenshot, serverAndBrowser, signInAdmin, unlabelledControls } from './harness.mjs';

const ctx = serverAndBrowser({
  prepare: (srv) => {
    srv.env.WEBHOOK_ALLOW_PRIVATE = '1';
    srv.env.NOTIFY_POLL_INTERVAL = '200ms';
  },
});

const tag = () => randomUUID().slice(0, 6);

async function signIn(page, tab) {
  await signInAdmin(page, ctx.srv, tab);
  await page.getByRole('heading', { level: 2, name: tab, exact: true }).waitFor();
}

/// In Indonesian with no English left, every control labelled, screenshots at 1280 px and at
/// 375 px, where nothing may stick out sideways.
async function checkPage(page, name) {
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, name);
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${name}: ${overflow} px wider than the screen at 375 px`);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, `${name}-375px`);
}

async function deliveries(query) {
  return (await ctx.srv.admin('GET', `/api/admin/notifications?limit=100&${query}`)).data;
}

test('Notification list shows a wa.me link whose text is the Indonesian message', async () => {
  const course = await ctx.srv.course({ title: `Biola Makassar ${tag()}`, description: 'Kelas mingguan' });
  const number = `+62813${String(Date.now()).slice(-7)}`;
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page, 'Notifikasi');
  await page.locator('.live.on').first().waitFor();

  // Made while the page is open: the course stream brings it.
  await ctx.srv.registration(course.id, { full_name: 'Nurul Hidayah', guardian_name: 'Siti Aminah', guardian_wa_number: number });
  const row = await eventually(async () => (await deliveries('channel=wa_link')).find((d) => d.recipient === number), 'the wa.me delivery');
  const item = page.locator(`li[data-notification-id="${row.id}"]`);
  await item.waitFor({ timeout: 5000 });

  const link = item.getByRole('link', { name: 'Kirim lewat WhatsApp' });
  const href = await link.getAttribute('href');
  assert.ok(href.startsWith('https://wa.me/62'), href);
  assert.equal(href, row.wa_link);
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.match(await link.getAttribute('rel'), /noopener/);
  const text = new URL(href).searchParams.get('text');
  assert.ok(text.startsWith(`Halo Siti Aminah, pendaftaran atas nama Nurul Hidayah untuk kursus ${course.title} sudah kami terima.`), text);
  assert.match(text, /Status: menunggu konfirmasi/);
  assert.match(text, /Rp\s?150\.000/);
  assert.equal(await item.getByTestId('wa-text').innerText(), text);

  const shown = await item.innerText();
  assert.match(shown, /Pendaftaran kursus baru/);
  assert.match(shown, /Tautan WhatsApp/);
  assert.ok(shown.includes(number));
  // Sent by hand: nothing to retry.
  assert.equal(await item.getByRole('button', { name: 'Coba lagi' }).count(), 0);

  // The filters narrow the list as the API does.
  await page.getByLabel('Saluran').selectOption('wa_link');
  await page.getByLabel('Status', { exact: true }).selectOption('sent');
  const expected = (await ctx.srv.admin('GET', '/api/admin/notifications?status=sent&channel=wa_link&page=1&limit=20')).data.map((d) => String(d.id));
  const shownIds = () => page.locator('li[data-notification-id]').evaluateAll((els) => els.map((e) => e.dataset.notificationId));
  await eventually(async () => JSON.stringify(await shownIds()) === JSON.stringify(expected), 'the filtered list');
  await checkPage(page, 'admin-notifications');
  page.assertClean();
  await page.context().close();
});

test('a failing webhook delivery is retried from the page and its attempts go up', async () => {
  const hits = [];
  const receiver = http.createServer((req, res) => {
    hits.push(req.url);
    req.resume();
    req.on('end', () => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${receiver.address().port}/gagal-${tag()}`;
  const hook = (await ctx.srv.admin('POST', '/api/admin/webhooks', { url, events: ['booking.created'], description: 'Selalu gagal' })).data;
  let page;
  try {
    const course = await ctx.srv.course({ title: `Gitar ${tag()}` });
    await ctx.srv.registration(course.id, { full_name: 'Andi Retry' });
    // The first attempt failed; the next is a minute away (NOTIFY_RETRY_MIN).
    const failing = await eventually(
      async () => (await deliveries('channel=webhook')).find((d) => d.recipient === url && d.attempts >= 1 && d.last_error),
      'the failed first attempt',
      20_000,
    );
    assert.equal(failing.status, 'queued');

    page = await openPage(ctx.browser, ctx.srv.base);
    await signIn(page, 'Notifikasi');
    await page.getByLabel('Saluran').selectOption('webhook');
    const item = page.locator(`li[data-notification-id="${failing.id}"]`);
    await item.waitFor();
    assert.equal(await item.getByTestId('status').innerText(), 'Dalam antrean');
    assert.equal(await item.getByTestId('attempts').getAttribute('data-attempts'), String(failing.attempts));
    assert.match(await item.innerText(), /Kesalahan terakhir/);

    await item.getByRole('button', { name: 'Coba lagi' }).click();
    await page.getByText(`Notifikasi ${failing.id} dijadwalkan untuk dikirim sekarang.`).waitFor();
    const retried = await eventually(
      async () => (await deliveries('channel=webhook')).find((d) => d.id === failing.id && d.attempts === failing.attempts + 1 && d.last_error),
      'one more attempt through the API',
    );
    assert.equal(retried.status, 'queued');
    assert.equal(hits.length, failing.attempts + 1);
    // The page shows it after a reload.
    await eventually(async () => {
      await page.getByRole('button', { name: 'Muat ulang' }).click();
      return (await item.getByTestId('attempts').getAttribute('data-attempts')) === String(failing.attempts + 1);
    }, 'the new attempt count on the page');
    const audit = (await ctx.srv.admin('GET', `/api/admin/audit?subject_type=notification&subject_id=${failing.id}`)).data;
    assert.deepEqual(audit.map((a) => a.action), ['notification.retried']);
    page.assertClean();
  } finally {
    await page?.context().close();
    await ctx.srv.admin('DELETE', `/api/admin/webhooks/${hook.id}`);
    await new Promise((r) => receiver.close(r));
  }
});

test('a webhook made on the page shows its secret once; deleting it asks first', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page, 'Webhook');
  await page.getByText('Belum ada webhook.').waitFor();

  // The server's refusal, in the page's words.
  await page.getByLabel('Alamat URL').fill('ftp://contoh.test/pesanan');
  await page.getByLabel('Semua peristiwa').check();
  await page.getByRole('button', { name: 'Tambah webhook' }).click();
  await page.getByRole('alert').filter({ hasText: 'Alamat harus berupa URL yang diawali http:// atau https://.' }).waitFor();
  assert.equal(await page.getByLabel('Alamat URL').getAttribute('aria-invalid'), 'true');

  const url = `http://127.0.0.1:9/crm-${tag()}`;
  await page.getByLabel('Alamat URL').fill(url);
  await page.getByLabel('Keterangan (tidak wajib)').fill('CRM toko');
  await page.getByLabel('Semua peristiwa').uncheck();
  await page.getByLabel('Pendaftaran kursus baru').check();
  await page.getByLabel('Pemesanan layanan baru').check();
  await page.getByRole('button', { name: 'Tambah webhook' }).click();

  const box = page.getByTestId('webhook-secret');
  await box.waitFor();
  const secret = await page.getByLabel('Rahasia penanda tangan').inputValue();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.match(await box.innerText(), /hanya ditampilkan sekali/);
  await box.getByRole('button', { name: 'Salin' }).click();
  await box.getByRole('status').filter({ hasText: /Rahasia sudah (disalin|dipilih)/ }).waitFor();

  const listed = (await ctx.srv.admin('GET', '/api/admin/webhooks')).data;
  const mine = listed.find((w) => w.url === url);
  assert.ok(mine, JSON.stringify(listed));
  assert.ok(!('secret' in mine));
  assert.deepEqual(mine.events, ['booking_created', 'booking.created']);
  assert.equal(mine.description, 'CRM toko');
  const row = page.locator(`tr[data-webhook-id="${mine.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Pemesanan layanan baru, Pendaftaran kursus baru/);
  assert.ok(!(await page.getByTestId('webhook-list').innerHTML()).includes(secret));
  await checkPage(page, 'admin-webhooks');

  await box.getByRole('button', { name: 'Sudah saya simpan' }).click();
  assert.equal(await box.count(), 0);
  assert.ok(!(await page.content()).includes(secret));

  await row.getByRole('button', { name: `Hapus webhook ${url}` }).click();
  // Nothing is deleted until the owner confirms; Batal keeps it.
  await row.getByRole('button', { name: 'Batal' }).click();
  assert.ok((await ctx.srv.admin('GET', '/api/admin/webhooks')).data.some((w) => w.id === mine.id));
  await row.getByRole('button', { name: `Hapus webhook ${url}` }).click();
  await row.getByRole('button', { name: 'Ya, hapus' }).click();
  await page.getByText(`Webhook ${url} sudah dihapus.`).waitFor();
  await eventually(async () => (await row.count()) === 0, 'the row gone');
  assert.ok(!(await ctx.srv.admin('GET', '/api/admin/webhooks')).data.some((w) => w.id === mine.id));
  page.assertClean();
  await page.context().close();
});

test('the audit log filters by kind of record and by user as the API does', async () => {
  const me = await ctx.srv.ok('GET', '/auth/me', { token: ctx.srv.adminToken });
  const course = await ctx.srv.course({ title: `Keyboard ${tag()}`, description: 'Kelas mingguan', max_students: 5 });
  await ctx.srv.admin('PUT', `/api/courses/${course.id}`, { title: `${course.title} Lanjutan`, max_students: 8 });

  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page, 'Log audit');
  const ids = () => page.locator('li[data-audit-id]').evaluateAll((els) => els.map((e) => e.dataset.auditId));
  const sameAs = async (query, what) => {
    const expected = (await ctx.srv.admin('GET', `/api/admin/audit?${query}&page=1&limit=20`)).data.map((a) => String(a.id));
    assert.ok(expected.length > 0, `${what}: the API has entries`);
    await eventually(async () => JSON.stringify(await ids()) === JSON.stringify(expected), what);
    return expected;
  };

  await page.getByLabel('Jenis data').selectOption('course');
  await sameAs('subject_type=course', 'entries of courses');
  await page.getByLabel('ID data').fill(course.id);
  const mine = await sameAs(`subject_type=course&subject_id=${course.id}`, 'entries of the course');
  assert.equal(mine.length, 2);
  const entries = page.locator('li[data-audit-id]');
  assert.deepEqual(await entries.evaluateAll((els) => els.map((e) => e.dataset.action)), ['course.updated', 'course.created']);
  assert.match(await entries.first().innerText(), /Kursus diubah/);
  assert.match(await entries.nth(1).innerText(), /Kursus dibuat/);
  assert.match(await entries.first().innerText(), new RegExp(`Pengguna #${me.id}`));

  await page.getByLabel('ID data').fill('');
  await page.getByLabel('Jenis data').selectOption('');
  await page.getByLabel('ID pengguna yang mengubah').fill('abc');
  await page.getByText('ID pengguna berupa angka bulat positif.').waitFor();
  await page.getByLabel('ID pengguna yang mengubah').fill(String(me.id));
  await sameAs(`actor_id=${me.id}`, 'entries by the admin');
  assert.deepEqual([...new Set(await entries.evaluateAll((els) => els.map((e) => e.dataset.actorId)))], [String(me.id)]);
  await page.getByLabel('ID pengguna yang mengubah').fill(String(me.id + 100000));
  await page.getByText('Tidak ada catatan yang cocok.').waitFor();

  await page.getByLabel('ID pengguna yang mengubah').fill('');
  await page.getByLabel('ID data').fill(course.id);
  await sameAs(`subject_id=${course.id}`, 'the course again');
  await checkPage(page, 'admin-audit');

  // The change opens to the fields before and after, the changed ones marked.
  await page.setViewportSize({ width: 1280, height: 900 });
  const updated = entries.first();
  await updated.locator('summary').click();
  const diff = updated.locator('table.diff');
  await diff.waitFor();
  const [change] = (await ctx.srv.admin('GET', `/api/admin/audit?subject_id=${course.id}&limit=1`)).data;
  const touched = changedFields(change.before, change.after);
  assert.ok(touched.includes('title') && touched.includes('max_students'), touched.join());
  assert.match(await updated.locator('summary').innerText(), new RegExp(`${touched.length} kolom berubah`));
  assert.equal(await diff.locator('tr[data-field="title"]').getAttribute('data-change'), 'changed');
  assert.equal(await diff.locator('tr[data-field="max_students"]').getAttribute('data-change'), 'changed');
  assert.equal(await diff.locator('tr[data-field="instrument"]').getAttribute('data-change'), 'same');
  assert.match(await diff.locator('tr[data-field="title"]').innerText(), new RegExp(`${course.title}\\s+${course.title} Lanjutan`));
  assert.match(await diff.locator('tr[data-field="max_students"]').innerText(), /5\s+8/);
  await screenshot(page, 'admin-audit-changes');
  page.assertClean();
  await page.context().close();
});
