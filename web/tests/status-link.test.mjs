// The applicant's way from a registration's message to her status page: with PUBLIC_URL
// set, the WhatsApp message queued for the registration (a wa.me link, as no WhatsApp
// account is configured) carries the /register/status link, which opens her registration.
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { englishLeft, eventually, openPage, screenshot, serverAndBrowser, unlabelledControls } from './harness.mjs';

const ctx = serverAndBrowser({
  prepare: (srv) => {
    srv.env.PUBLIC_URL = 'self'; // the harness puts the server's own address in
  },
});

/// The wa.me message queued for `recipient` that carries a status link, once it is there.
async function statusMessageFor(recipient) {
  return eventually(async () => {
    const { data } = await ctx.srv.admin('GET', '/api/admin/notifications?channel=wa_link&limit=100');
    const row = data.find((n) => n.recipient === recipient && n.wa_link?.includes('register%2Fstatus'));
    return row && { row, text: new URL(row.wa_link).searchParams.get('text') };
  }, `the WhatsApp message to ${recipient}`);
}

test('an applicant opens the status link from the registration’s notification and cancels', async () => {
  const course = await ctx.srv.course({ title: `Biola Dasar ${randomUUID().slice(0, 4)}`, description: 'Les mingguan' });
  const guardianWa = `+62812${String(randomInt(10_000_000)).padStart(7, '0')}`;
  const { booking, manage_token: token } = await ctx.srv.registered(course.id, { full_name: 'Nadia Putri', guardian_wa_number: guardianWa });
  assert.equal(booking.status, 'pending');

  const { row, text } = await statusMessageFor(guardianWa);
  assert.ok(row.wa_link.startsWith(`https://wa.me/${guardianWa.slice(1)}?text=`), row.wa_link);
  const link = text.match(/https?:\/\/\S+\/register\/status\?token=[A-Za-z0-9_-]+/)?.[0];
  assert.ok(link, `no status link in the message: ${text}`);
  assert.ok(link.startsWith(`${ctx.srv.base}/register/status?token=`), link);
  assert.equal(new URL(link).searchParams.get('token'), token, 'the link names this registration');

  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375 });
  await page.goto(link);
  await page.getByRole('heading', { level: 1, name: 'Status pendaftaran' }).waitFor();
  const details = page.getByTestId('booking');
  await eventually(async () => (await details.textContent()).includes(course.title), 'the course shown');
  assert.match(await details.textContent(), /Nadia Putri/);
  assert.equal(await page.getByTestId('status').textContent(), 'Menunggu konfirmasi');
  assert.deepEqual(await englishLeft(page), []);
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'register-status-375px');
  // The same on a wide screen.
  const wide = await openPage(ctx.browser, ctx.srv.base, { width: 1280 });
  await wide.goto(link);
  await wide.getByTestId('status').waitFor();
  assert.deepEqual(await englishLeft(wide), []);
  await screenshot(wide, 'register-status');
  wide.assertClean();
  await wide.context().close();

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Batalkan pendaftaran' }).click();
  await page.getByText('Pendaftaran sudah dibatalkan.').waitFor();
  assert.equal(await page.getByTestId('status').textContent(), 'Dibatalkan');
  assert.equal(await page.getByRole('button', { name: 'Batalkan pendaftaran' }).count(), 0);
  await screenshot(page, 'status-link-cancelled');

  const { data } = await ctx.srv.ok('GET', `/api/booking/manage/${token}`);
  assert.equal(data.booking.id, booking.id);
  assert.equal(data.booking.status, 'cancelled');
  page.assertClean();
  await page.close();
});
