// The catalogue view of the dashboard in Chromium against a real server seeded with the demo
// catalogue: an owner adds, prices, re-prices and deletes, in Indonesian, checked through
// the API; the server's refusals are shown in her language; the page fits 375 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishLeft, eventually, openPage, screenshot, serverAndBrowser, signInAdmin, unlabelledControls } from './harness.mjs';

const ctx = serverAndBrowser({
  prepare(srv) {
    srv.run('migrate');
    srv.run('seed-demo');
  },
});

async function signIn(page) {
  await signInAdmin(page, ctx.srv, 'Katalog');
  await page.getByRole('heading', { level: 2, name: 'Katalog layanan' }).waitFor();
  await page.locator('li[data-package-id]').first().waitFor();
}

/// Presses Tab until the control with `id` has the focus, as a keyboard user would.
async function tabTo(page, id) {
  for (let i = 0; i < 80; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

const packages = () => ctx.srv.ok('GET', '/services/packages');
const noEnglish = async (page, step) => assert.deepEqual(await englishLeft(page), [], step);

test('an owner adds a package and a priced service type, re-prices and deletes it, then reads the page in English', async () => {
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page);
  await noEnglish(page, 'the catalogue as it opens');

  // The package by keyboard only: Tab to its name, type, Tab on, Enter on "Tambah paket".
  await tabTo(page, 'pkg-new-name');
  await page.keyboard.type('Makeup Pengantin Bugis');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Akad dan resepsi adat Bugis');
  await page.keyboard.press('Tab');
  await eventually(async () => (await page.evaluate(() => document.activeElement.textContent)) === 'Tambah paket', 'the focus');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Paket Makeup Pengantin Bugis ditambahkan.' }).waitFor();
  const pkg = (await packages()).find((p) => p.name === 'Makeup Pengantin Bugis');
  assert.ok(pkg, 'the package is in GET /services/packages');
  assert.equal(pkg.description, 'Akad dan resepsi adat Bugis');
  assert.deepEqual(pkg.service_types, []);
  const card = page.locator(`li[data-package-id="${pkg.id}"]`);
  await card.getByText('Paket ini belum punya jenis layanan.').waitFor();
  assert.equal(await page.getByLabel('Nama paket').inputValue(), '', 'the new-package form is emptied');
  await noEnglish(page, 'after adding the package');

  // A service type, its price typed with Indonesian thousands dots. A price that is not one
  // is refused in the page first.
  await card.getByRole('button', { name: 'Tambah jenis layanan ke Makeup Pengantin Bugis' }).click();
  await eventually(async () => (await page.evaluate(() => document.activeElement.id)) === `pkg-${pkg.id}-type-name`, 'the form takes the focus');
  await card.getByLabel('Nama jenis layanan').fill('Akad & Resepsi');
  await card.getByLabel('Harga (Rp)').fill('satu juta');
  await card.getByRole('button', { name: 'Tambah jenis layanan', exact: true }).click();
  await card.getByText('Tulis harga dalam rupiah, misalnya 1.500.000.').waitFor();
  assert.equal(await card.getByLabel('Harga (Rp)').getAttribute('aria-invalid'), 'true');
  await eventually(async () => (await page.evaluate(() => document.activeElement.id)) === `pkg-${pkg.id}-type-price`, 'the focus');
  await noEnglish(page, 'with a price error');
  await card.getByLabel('Harga (Rp)').fill('1.500.000');
  await card.getByLabel('Deskripsi jenis layanan (opsional)').fill('Dua kali tampil, hijab do');
  await card.getByRole('button', { name: 'Tambah jenis layanan', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Jenis layanan Akad & Resepsi ditambahkan ke Makeup Pengantin Bugis.' }).waitFor();
  const [type] = (await packages()).find((p) => p.id === pkg.id).service_types;
  assert.deepEqual(
    { name: type.name, price: type.price, description: type.description },
    { name: 'Akad & Resepsi', price: '1500000.00', description: 'Dua kali tampil, hijab do' },
  );
  const row = card.locator(`li[data-type-id="${type.id}"]`);
  assert.equal(await row.getByTestId('price').textContent(), 'Rp 1.500.000');
  assert.match(await card.innerText(), /1 jenis layanan/);
  await noEnglish(page, 'after adding the service type');
  assert.deepEqual(await unlabelledControls(page), []);
  await screenshot(page, 'admin-catalogue');

  // A new price: the form starts from the old one, written as the owner writes it.
  await row.getByRole('button', { name: 'Ubah Akad & Resepsi' }).click();
  // The form has the focus as it opens: typed into before it took it, the rest would go astray.
  assert.equal(await page.evaluate(() => document.activeElement.id), `type-${type.id}-name`,
    'the focus as the form opens');
  const price = row.getByLabel('Harga (Rp)');
  assert.equal(await price.inputValue(), '1.500.000');
  await price.fill('Rp 1.750.000');
  await row.getByRole('button', { name: 'Simpan' }).click();
  await page.getByRole('status').filter({ hasText: 'Jenis layanan Akad & Resepsi disimpan (Rp 1.750.000).' }).waitFor();
  assert.equal((await packages()).find((p) => p.id === pkg.id).service_types[0].price, '1750000.00');
  await eventually(async () => (await row.getByTestId('price').textContent()) === 'Rp 1.750.000', 'the new price on the page');
  await noEnglish(page, 'after changing the price');

  // Deleting asks first, in the page; "Batal" has the focus.
  await row.getByRole('button', { name: 'Hapus Akad & Resepsi' }).click();
  await row.getByText('Hapus jenis layanan Akad & Resepsi (Rp 1.750.000)? Tindakan ini tidak dapat dibatalkan.').waitFor();
  await eventually(async () => (await page.evaluate(() => document.activeElement.textContent)) === 'Batal', 'the focus');
  await noEnglish(page, 'while asking before the delete');
  await row.getByRole('button', { name: 'Ya, hapus' }).click();
  await page.getByRole('status').filter({ hasText: 'Jenis layanan Akad & Resepsi dihapus.' }).waitFor();
  assert.deepEqual((await packages()).find((p) => p.id === pkg.id).service_types, []);
  await card.getByText('Paket ini belum punya jenis layanan.').waitFor();
  assert.equal(await row.count(), 0);
  await noEnglish(page, 'after deleting the service type');

  // The same page in English.
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { level: 2, name: 'Service catalogue' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByRole('button', { name: 'Add package', exact: true }).waitFor();
  await card.getByRole('button', { name: 'Add a service type to Makeup Pengantin Bugis' }).waitFor();
  await card.getByText('This package has no service types yet.').waitFor();
  assert.equal(await page.getByLabel('Package name').count(), 1);
  assert.equal(await page.getByRole('tab', { name: 'Catalogue' }).getAttribute('aria-selected'), 'true');
  assert.doesNotMatch(await page.locator('#panel').innerText(), /Tambah paket|Katalog layanan|Ubah paket/);
  page.assertClean();
  await page.context().close();
});

test('what the server refuses is said in the card: a booked type or package, a name taken twice', async () => {
  const made = await ctx.srv.admin('POST', '/services/packages', { name: 'Makeup Lamaran Adat' });
  const { service_types: [type] } = await ctx.srv.admin('POST', '/services/types', { package_id: made.id, name: 'Lamaran Pagi', price: '450000.00' });
  await ctx.srv.customerBooking({ name: 'Andi Tenri', typeId: type.id, daysAhead: 30 });
  const page = await openPage(ctx.browser, ctx.srv.base);
  await signIn(page);
  const card = page.locator(`li[data-package-id="${made.id}"]`);

  // Escape takes the question back; nothing is deleted.
  await card.getByRole('button', { name: 'Hapus paket Makeup Lamaran Adat' }).click();
  await card.getByText('Hapus paket Makeup Lamaran Adat beserta 1 jenis layanannya? Tindakan ini tidak dapat dibatalkan.').waitFor();
  await page.keyboard.press('Escape');
  await card.getByText('Tindakan ini tidak dapat dibatalkan.').waitFor({ state: 'detached' });
  await eventually(async () => (await page.evaluate(() => document.activeElement.getAttribute('aria-label'))) === 'Hapus paket Makeup Lamaran Adat', 'the focus');

  await card.getByRole('button', { name: 'Hapus paket Makeup Lamaran Adat' }).click();
  await card.getByRole('button', { name: 'Ya, hapus' }).click();
  await card.getByRole('alert').filter({ hasText: 'Paket ini tidak dapat dihapus karena salah satu jenis layanannya sudah pernah dipesan.' }).waitFor();
  assert.ok((await packages()).some((p) => p.id === made.id), 'the package is still there');

  await card.getByRole('button', { name: 'Hapus Lamaran Pagi' }).click();
  await card.getByRole('button', { name: 'Ya, hapus' }).click();
  await card.getByRole('alert').filter({ hasText: 'Jenis layanan ini tidak dapat dihapus karena sudah pernah dipesan.' }).waitFor();
  assert.equal((await packages()).find((p) => p.id === made.id).service_types.length, 1);
  await noEnglish(page, 'with the refusals');

  // Renaming it to the name of another package.
  await card.getByRole('button', { name: 'Ubah paket Makeup Lamaran Adat' }).click();
  await card.getByLabel('Nama paket').fill('Makeup Party');
  await card.getByRole('button', { name: 'Simpan' }).click();
  await card.getByRole('alert').filter({ hasText: 'Sudah ada paket dengan nama ini. Pilih nama lain.' }).waitFor();
  await card.getByLabel('Nama paket').fill('Makeup Lamaran Adat Bugis');
  await card.getByRole('button', { name: 'Simpan' }).click();
  await page.getByRole('status').filter({ hasText: 'Paket Makeup Lamaran Adat Bugis disimpan.' }).waitFor();
  assert.equal((await packages()).find((p) => p.id === made.id).name, 'Makeup Lamaran Adat Bugis');
  await noEnglish(page, 'after renaming');
  await screenshot(page, 'admin-catalogue-refused');
  page.assertClean();
  await page.context().close();
});

test('a package without bookings is deleted with its types; the catalogue fits a 375 px phone', async () => {
  const made = await ctx.srv.admin('POST', '/services/packages', { name: 'Makeup Sunatan', description: 'Untuk keluarga' });
  await ctx.srv.admin('POST', '/services/types', { package_id: made.id, name: 'Ibu dan saudari', price: 250000 });
  const page = await openPage(ctx.browser, ctx.srv.base, { width: 375, height: 800 });
  await signIn(page);
  const card = page.locator(`li[data-package-id="${made.id}"]`);
  // A form open, the widest the page gets.
  await card.getByRole('button', { name: 'Ubah Ibu dan saudari' }).click();
  await card.getByLabel('Harga (Rp)').waitFor();
  assert.equal(await card.getByLabel('Harga (Rp)').inputValue(), '250.000');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `nothing overflows 375 px (scrollWidth ${width})`);
  assert.deepEqual(await unlabelledControls(page), []);
  await noEnglish(page, 'at 375 px');
  await screenshot(page, 'admin-catalogue-375px');
  await card.getByRole('button', { name: 'Batal' }).click();

  await card.getByRole('button', { name: 'Hapus paket Makeup Sunatan' }).click();
  await card.getByRole('button', { name: 'Ya, hapus' }).click();
  await page.getByRole('status').filter({ hasText: 'Paket Makeup Sunatan dihapus.' }).waitFor();
  await eventually(async () => (await card.count()) === 0, 'the deleted package leaves the page');
  const after = await ctx.srv.request('GET', `/services/packages/${made.id}`);
  assert.equal(after.status, 404);
  page.assertClean();
  await page.context().close();
});
