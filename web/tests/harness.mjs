// Harness of the browser tests: a real `janji serve` (from $JANJI_BIN, by default the
// sanitizer build) on a free loopback port with a fresh data directory, and Debian's
// Chromium driven by playwright-core. Each test saves a screenshot into $JANJI_ARTIFACTS.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { catalogueFiles } from '../i18n-check.mjs';
import { solveChallenge } from '../src/register/pow.js';
import { captchaToken } from '../src/register/validation.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const JANJI_BIN = process.env.JANJI_BIN ?? path.join(repo, 'build-asan', 'janji');
export const ARTIFACTS =
  process.env.JANJI_ARTIFACTS ?? path.join(repo, 'build-asan', 'browser-artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SANITIZER_MARKERS = ['AddressSanitizer', 'LeakSanitizer', 'runtime error:'];
export const ADMIN_EMAIL = 'admin@janji.test';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Polls `fn` until it returns something truthy; throws with `what` after `ms`.
export async function eventually(fn, what, ms = 10_000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms (last: ${last})`);
    await sleep(100);
  }
}

export class Janji {
  constructor(env = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janji-browser-'));
    this.adminPassword = randomBytes(12).toString('hex');
    this.env = {
      ...process.env,
      JANJI_DATA_DIR: this.dir,
      DATABASE_URL: `sqlite:///${this.dir}/janji.db`,
      SECRET_KEY: randomBytes(32).toString('hex'),
      ADMIN_EMAIL,
      ADMIN_PASSWORD: this.adminPassword,
      LOG_LEVEL: 'warn',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
      SEGMENT_DEBOUNCE: '200ms',
      SSE_HEARTBEAT: '2s',
      ...env,
    };
    for (const k of ['PORT', 'HOST', 'REDIS_URL', 'CORS_ORIGINS']) delete this.env[k];
    this.log = path.join(this.dir, 'server.log');
  }

  /// Runs a `janji` subcommand to completion against this server's database.
  run(...args) {
    const r = spawnSync(JANJI_BIN, args, { env: this.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`janji ${args.join(' ')}: ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  async start(port) {
    this.port = port ?? (await freePort());
    this.base = `http://127.0.0.1:${this.port}`;
    // PUBLIC_URL: 'self' points the messages' links at this server.
    if (this.env.PUBLIC_URL === 'self') this.env.PUBLIC_URL = this.base;
    const out = fs.openSync(this.log, 'a');
    this.proc = spawn(JANJI_BIN, ['serve', '--host', '127.0.0.1', '--port', String(this.port)], {
      env: this.env,
      stdio: ['ignore', out, out],
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
    await eventually(async () => (await fetch(`${this.base}/health`)).ok, 'server start', 30_000);
    this.adminToken = await this.login(ADMIN_EMAIL, this.adminPassword);
    return this;
  }

  /// Stops the server with SIGTERM: it must exit 0 with no sanitizer report in its log.
  async stop() {
    if (!this.proc) return;
    this.proc.kill('SIGTERM');
    const { code, signal } = await this.exited;
    this.proc = null;
    const log = fs.readFileSync(this.log, 'utf8');
    const marker = SANITIZER_MARKERS.find((m) => log.includes(m));
    if (marker) throw new Error(`sanitizer report in ${this.log}:\n${log.slice(-4000)}`);
    if (code !== 0) throw new Error(`janji exited with ${code ?? signal}:\n${log.slice(-2000)}`);
  }

  async request(method, p, { token, body, form } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload;
    if (form) payload = new URLSearchParams(form);
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.base}${p}`, { method, headers, body: payload });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /// The request's JSON body; throws unless the status is `expect`.
  async ok(method, p, opts = {}, expect = [200, 201]) {
    const r = await this.request(method, p, opts);
    if (![].concat(expect).includes(r.status))
      throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  admin(method, p, body) {
    return this.ok(method, p, { token: this.adminToken, body });
  }

  async login(email, password) {
    const r = await this.ok('POST', '/auth/login', { form: { username: email, password } });
    return r.access_token;
  }

  /// A new customer with one booking of `service_type_id`; returns {user, token, booking}.
  async customerBooking({ name = 'Rina', typeId, daysAhead = 10, clients = 1 }) {
    const email = `${name.toLowerCase().replace(/\W+/g, '')}-${randomUUID().slice(0, 8)}@customer.test`;
    const user = await this.ok('POST', '/auth/register', { body: { name, email, password: 'secret123' } });
    const token = await this.login(email, 'secret123');
    const date = new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 19);
    const booking = await this.ok('POST', '/bookings/', {
      token,
      body: { service_type_id: typeId, tanggal_acara: date, jumlah_client: clients },
    });
    return { user, token, booking };
  }

  /// The id of some service type of the catalogue (seed-demo's, or one made here).
  async serviceTypeId() {
    const packages = await this.ok('GET', '/services/packages');
    const types = packages.flatMap((p) => p.service_types ?? []);
    if (types.length) return types[0].id;
    const pkg = await this.admin('POST', '/services/packages', { name: 'Makeup Party', description: 'Party' });
    // Answers with the package, its new type among its types.
    const withType = await this.admin('POST', '/services/types', {
      package_id: pkg.id,
      name: 'Reguler Party',
      price: '200000.00',
    });
    return withType.service_types[0].id;
  }

  async course(overrides = {}) {
    const r = await this.admin('POST', '/api/courses', {
      title: `Piano ${randomUUID().slice(0, 6)}`,
      description: 'Weekly lessons',
      instrument: 'piano',
      level: 'beginner',
      price_per_session: 150000,
      duration_minutes: 60,
      max_students: 5,
      ...overrides,
    });
    return r.data;
  }

  /// A solved captcha token from this server, as a client of the API makes one.
  async captchaToken() {
    const { data: challenge } = await this.ok('GET', '/api/booking/captcha');
    const number = solveChallenge(challenge);
    if (number === null) throw new Error('captcha not solvable');
    return captchaToken(challenge, number);
  }

  /// A course registration made through the API (not the page); returns the booking.
  async registration(courseId, overrides = {}) {
    return (await this.registered(courseId, overrides)).booking;
  }

  /// The same, returning the 201's whole `data`: the booking and its manage token.
  async registered(courseId, overrides = {}) {
    const body = {
      full_name: 'Budi Santoso',
      email: `applicant-${randomUUID().slice(0, 8)}@b.test`,
      course_id: courseId,
      address: 'Jl. Merdeka 1, Bandung',
      birth_place: 'Bandung',
      birth_date: '2010-05-17',
      school: 'SMP 1 Bandung',
      class: 8,
      guardian_name: 'Siti Aminah',
      guardian_wa_number: '+6281298765432',
      preferred_days: ['monday', 'wednesday'],
      preferred_time_range: { start: '15:00', end: '17:00' },
      consent: true,
      captcha_token: await this.captchaToken(),
      idempotency_key: randomUUID(),
      ...overrides,
    };
    const r = await this.ok('POST', '/api/booking/register-course', { body });
    return r.data;
  }
}

/// The server and the browser of one test file: `prepare(srv)` runs before the server starts
/// (migrations, demo data), `started(srv)` once it answers; both are stopped after the file's
/// tests. Their fields are set once the tests run.
export function serverAndBrowser({ prepare, started, browser = true } = {}) {
  const ctx = { srv: null, browser: null };
  before(async () => {
    ctx.srv = new Janji();
    prepare?.(ctx.srv);
    await ctx.srv.start();
    await started?.(ctx.srv);
    if (browser) ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.srv?.stop();
  });
  return ctx;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/// A page of a fresh browser context. Any request that leaves `base` is refused and
/// recorded, as are uncaught errors in the page: `assertClean()` fails the test on either.
/// `lang` ('id' or 'en') is the language the pages remember as chosen; unset, they start in
/// their default, Indonesian.
export async function openPage(browser, base, { width = 1280, height = 900, lang } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, baseURL: base });
  context.setDefaultTimeout(15_000);
  if (lang) await context.addInitScript((l) => localStorage.setItem('janji.lang', l), lang);
  const page = await context.newPage();
  const problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.assertClean = () => {
    if (problems.length) throw new Error(problems.join('\n'));
  };
  return page;
}

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/// Every visible form control of the page has an accessible name (a label or aria-label).
export async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
      .filter((el) => {
        if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
        if (el.labels && el.labels.length) return false;
        if (el.tagName === 'BUTTON' && el.textContent.trim()) return false;
        return true;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

const SRC = path.join(repo, 'web', 'src');
let englishPhrases = null;

/// The English texts of every catalogue that differ from their Indonesian ones, as the
/// literal runs between placeholders (at least two words or eight letters, so a name or
/// a shared word like "Email" does not count).
async function loadEnglishPhrases() {
  if (englishPhrases) return englishPhrases;
  const found = new Set();
  for (const file of catalogueFiles(SRC)) {
    const { default: c } = await import(file);
    for (const [key, en] of Object.entries(c.en)) {
      if (en === c.id[key]) continue;
      // Literal text only: drop {placeholders} (plural and select bodies included).
      let depth = 0;
      let run = '';
      const runs = [];
      for (const ch of en) {
        if (ch === '{') {
          if (depth === 0) runs.push(run);
          run = '';
          depth++;
        } else if (ch === '}') depth--;
        else if (depth === 0) run += ch;
      }
      runs.push(run);
      for (const r of runs.map((x) => x.replace(/\s+/g, ' ').trim().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')))
        if (r.split(' ').length >= 2 || r.length >= 8) found.add(r);
    }
  }
  englishPhrases = [...found];
  return englishPhrases;
}

/// English phrases of the catalogues that the page shows (its visible text, its labels and
/// titles): none may be left on a page in Indonesian.
export async function englishLeft(page) {
  const phrases = await loadEnglishPhrases();
  const text = await page.evaluate(() => {
    const parts = [document.body.innerText, document.title];
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]'))
      parts.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '', el.getAttribute('placeholder') ?? '');
    return parts.join('\n').replace(/\s+/g, ' ');
  });
  return phrases.filter((p) => new RegExp(`(^|[^\\p{L}])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(text));
}

/// Signs in to /admin/ as `srv`'s admin on the page in Indonesian (its default), and opens
/// the section whose tab is called `tab` when given.
export async function signInAdmin(page, srv, tab) {
  await page.goto(`${srv.base}/admin/`);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Kata sandi').fill(srv.adminPassword);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.getByRole('tab', { name: 'Pemesanan' }).waitFor();
  if (tab) await page.getByRole('tab', { name: tab, exact: true }).click();
}
