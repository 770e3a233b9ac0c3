// The pages' message catalogues: both languages complete and alike (i18n-check.mjs, which
// the build also runs), and the translation of one message.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { catalogueFiles, checkCatalogues } from '../i18n-check.mjs';
import { translate } from '../src/common/translate.js';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

test('every catalogue has the same keys and placeholders in Indonesian and English', async () => {
  assert.ok(catalogueFiles(src).length >= 5, 'the catalogues are found');
  assert.deepEqual(await checkCatalogues(src), []);
});

test('the check names a missing key, a message that does not parse and a changed placeholder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'janji-i18n-'));
  fs.writeFileSync(
    path.join(dir, 'x.messages.js'),
    `export default {
      id: { a: 'Halo {name}', b: 'Satu', c: '{n, plural, other {# buah}' },
      en: { a: 'Hello {nama}', c: '{n, plural, one {# item} other {# items}}' },
    };`,
  );
  const problems = await checkCatalogues(dir);
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems.join('\n'), /en lacks "b"/);
  assert.match(problems.join('\n'), /id "c" does not parse/);
  assert.match(problems.join('\n'), /"a" has placeholders \{name\}.*\{nama\} in en/);
});

test('a message is formatted in its language, with plurals and numbers', () => {
  const catalogue = {
    id: { count: '{n, plural, other {# pemesanan}}', hello: 'Halo, {name}!' },
    en: { count: '{n, plural, one {# booking} other {# bookings}}', hello: 'Hello, {name}!' },
  };
  assert.equal(translate(catalogue, 'id', 'count', { n: 1500 }), '1.500 pemesanan');
  assert.equal(translate(catalogue, 'en', 'count', { n: 1 }), '1 booking');
  assert.equal(translate(catalogue, 'en', 'count', { n: 1500 }), '1,500 bookings');
  assert.equal(translate(catalogue, 'en', 'hello', { name: 'Sari' }), 'Hello, Sari!');
  assert.equal(translate(catalogue, 'id', 'missing'), 'missing');
});
