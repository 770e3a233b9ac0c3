// web/openapi.json, from which the pages take the server's enums and types at build time,
// must be the document the server serves. With JANJI_UPDATE_OPENAPI=1 (`npm run
// openapi-snapshot`) this writes the served document there instead.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { serverAndBrowser } from './harness.mjs';

const SNAPSHOT = new URL('../openapi.json', import.meta.url);

/// Where two documents differ: "paths./bookings/.get", "components.schemas.Course", … .
function differences(a, b, prefix = '', depth = 0) {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const objects = a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a);
  if (!objects || depth === 3) return [prefix || '(the whole document)'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((k) => differences(a[k], b[k], prefix ? `${prefix}.${k}` : k, depth + 1));
}

const ctx = serverAndBrowser({ browser: false });

test('web/openapi.json is the document the server serves', async () => {
  const served = await ctx.srv.ok('GET', '/openapi.json');
  if (process.env.JANJI_UPDATE_OPENAPI === '1') {
    fs.writeFileSync(SNAPSHOT, `${JSON.stringify(served, null, 2)}\n`);
    return;
  }
  const committed = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8'));
  const changed = differences(committed, served);
  assert.deepEqual(
    changed,
    [],
    `web/openapi.json is not what the server serves (${changed.slice(0, 10).join(', ')}): refresh it with ` +
      '`cd web && JANJI_BIN=<path to janji> npm run openapi-snapshot` (JANJI_BIN defaults to ' +
      'build-asan/janji), rebuild, and commit it',
  );
});
