// Checks the pages' message catalogues (src/**/*.messages.js): every language has the same
// keys, every message parses as ICU MessageFormat, and a message names the same placeholders
// in every language. The build and tests/i18n.test.mjs both run it.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { LOCALES } from './src/common/locales.js';

/// Every `*.messages.js` under `dir`.
export function catalogueFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.messages.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

/// The placeholder names of an ICU message's syntax tree.
function placeholders(ast, out = new Set()) {
  for (const el of ast) {
    if (el.value !== undefined && el.type !== 0 && el.type !== 7) out.add(el.value);
    if (el.options) for (const o of Object.values(el.options)) placeholders(o.value, out);
    if (el.children) placeholders(el.children, out);
  }
  return out;
}

/// The problems of the catalogues under `dir`, as sentences; none when all is well.
export async function checkCatalogues(dir) {
  const problems = [];
  const langs = Object.keys(LOCALES);
  for (const file of catalogueFiles(dir)) {
    const name = path.relative(dir, file);
    const catalogue = (await import(pathToFileURL(file).href)).default;
    for (const lang of langs)
      if (!catalogue?.[lang]) problems.push(`${name}: no ${lang} messages`);
    if (problems.length) continue;
    const keys = new Set(langs.flatMap((l) => Object.keys(catalogue[l])));
    for (const key of keys) {
      let names = null;
      for (const lang of langs) {
        const source = catalogue[lang][key];
        if (typeof source !== 'string') {
          problems.push(`${name}: ${lang} lacks "${key}"`);
          continue;
        }
        let found;
        try {
          found = [...placeholders(new IntlMessageFormat(source, LOCALES[lang]).getAst())].sort().join(',');
        } catch (e) {
          problems.push(`${name}: ${lang} "${key}" does not parse: ${e.message}`);
          continue;
        }
        if (names === null) names = found;
        else if (names !== found) problems.push(`${name}: "${key}" has placeholders {${names}} in one language and {${found}} in ${lang}`);
      }
    }
  }
  return problems;
}
