// /docs: Swagger UI over /openapi.json, with nothing fetched from anywhere else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, serverAndBrowser } from './harness.mjs';

const ctx = serverAndBrowser();

test('/docs renders every operation of /openapi.json offline', async () => {
  const spec = await ctx.srv.ok('GET', '/openapi.json');
  const operations = Object.values(spec.paths).flatMap((item) => Object.keys(item));
  assert.ok(operations.length >= 30, `${operations.length} operations`);
  const page = await openPage(ctx.browser, ctx.srv.base);
  await page.goto(`${ctx.srv.base}/docs`);
  await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('.opblock').count(), operations.length);
  assert.match(await page.locator('.info .title').innerText(), new RegExp(spec.info.title));
  // An operation opens with its parameters and responses.
  const register = page.locator('.opblock-post', { hasText: '/api/booking/register-course' });
  await register.locator('.opblock-summary').click();
  await register.locator('.responses-wrapper').waitFor();
  assert.match(await register.innerText(), /201/);
  await screenshot(page, 'docs');
  page.assertClean();
});

test('pages come with caching and security headers, and a second request revalidates to 304', async () => {
  for (const path of ['/admin/', '/admin', '/register', '/docs']) {
    const res = await fetch(`${ctx.srv.base}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const again = await fetch(`${ctx.srv.base}${path}`, { headers: { 'If-None-Match': res.headers.get('etag') } });
    assert.equal(again.status, 304, path);
  }
  const html = await (await fetch(`${ctx.srv.base}/docs`)).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.length >= 3, html);
  for (const a of assets) {
    const res = await fetch(`${ctx.srv.base}${a}`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(res.status, 200, a);
    assert.match(res.headers.get('cache-control'), /immutable/);
  }
  assert.equal((await fetch(`${ctx.srv.base}/assets/nothing-here.js`)).status, 404);
  assert.equal((await fetch(`${ctx.srv.base}/assets/admin.html`)).status, 404);
});
