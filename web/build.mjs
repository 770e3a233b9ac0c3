// Bundles the pages and writes the C++ source that embeds them into the binary.
//
//   node build.mjs OUT_DIR
//
// OUT_DIR/files/ gets every file the server serves (HTML pages under fixed names, scripts
// and styles under names that carry a hash of their content, so browsers may keep them for
// good), and OUT_DIR/web_assets.cpp the table of src/web/assets.hpp, whose bytes the
// assembler takes from OUT_DIR/files/ with .incbin.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';
import { generateApi } from './generate-api.mjs';
import { checkCatalogues } from './i18n-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(process.argv[2] ?? path.join(here, 'dist'));
const filesDir = path.join(outDir, 'files');
const require = (p) => path.join(here, 'node_modules', p);

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const assets = []; // {name, bytes, immutable}

const digest = (bytes) => createHash('sha256').update(bytes).digest('hex');

/// Adds a file under `base-<hash>.ext` and returns the URL it is served at.
function addHashed(base, ext, bytes) {
  const name = `${base}-${digest(bytes).slice(0, 12)}${ext}`;
  assets.push({ name, bytes: Buffer.from(bytes), immutable: true });
  return `/assets/${name}`;
}

async function bundle(entry, define = {}) {
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'src', entry)],
    bundle: true,
    minify: true,
    write: false,
    outdir: 'out',
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define,
    logLevel: 'warning',
  });
  return result.outputFiles[0].contents;
}

// The pages import the server's enums from what this generates from web/openapi.json.
await generateApi();

// A page must not show a key for want of a translation: incomplete catalogues fail the build.
const problems = await checkCatalogues(path.join(here, 'src'));
if (problems.length) throw new Error(`message catalogues:\n  ${problems.join('\n  ')}`);

const style = addHashed('style', '.css', await bundle('common/style.css'));
const worker = addHashed('pow-worker', '.js', await bundle('register/pow-worker.js'));
const pages = {
  admin: addHashed('admin', '.js', await bundle('admin/main.jsx')),
  register: addHashed(
    'register',
    '.js',
    await bundle('register/main.jsx', { POW_WORKER_URL: JSON.stringify(worker) }),
  ),
  status: addHashed('register-status', '.js', await bundle('register/status.jsx')),
};
const swaggerCss = addHashed(
  'swagger-ui',
  '.css',
  fs.readFileSync(require('swagger-ui-dist/swagger-ui.css')),
);
const swaggerJs = addHashed(
  'swagger-ui-bundle',
  '.js',
  fs.readFileSync(require('swagger-ui-dist/swagger-ui-bundle.js')),
);
const docs = addHashed('docs', '.js', await bundle('docs/main.js'));

const fill = (template, values) =>
  fs
    .readFileSync(path.join(here, 'src', template), 'utf8')
    .replace(/%(\w+)%/g, (all, key) => {
      if (!(key in values)) throw new Error(`${template}: nothing for ${all}`);
      return values[key];
    });

// admin.html and register.html are one page (page.html) with their own title and script.
for (const [name, template, values] of [
  ['admin.html', 'page.html', { TITLE: 'Admin Janji', STYLE: style, SCRIPT: pages.admin }],
  ['register.html', 'page.html', { TITLE: 'Pendaftaran kursus', STYLE: style, SCRIPT: pages.register }],
  ['register-status.html', 'page.html', { TITLE: 'Status pendaftaran', STYLE: style, SCRIPT: pages.status }],
  ['docs.html', 'docs.html', { SWAGGER_CSS: swaggerCss, SWAGGER_JS: swaggerJs, SCRIPT: docs }],
]) {
  assets.push({ name, bytes: Buffer.from(fill(template, values)), immutable: false });
}

// The files are written afresh; the C++ source only when it changed, so a rebuild from the
// same sources compiles nothing.
fs.rmSync(filesDir, { recursive: true, force: true });
fs.mkdirSync(filesDir, { recursive: true });

const cString = (s) => JSON.stringify(s); // the names and paths here are plain ASCII
const asm = [];
const rows = [];
assets.forEach((a, i) => {
  const type = types[path.extname(a.name)];
  if (!type) throw new Error(`no content type for ${a.name}`);
  const file = path.join(filesDir, a.name);
  fs.writeFileSync(file, a.bytes);
  const gz = gzipSync(a.bytes, { level: zlib.Z_BEST_COMPRESSION });
  const useGzip = a.bytes.length > 1024 && gz.length < a.bytes.length * 0.9;
  if (useGzip) fs.writeFileSync(`${file}.gz`, gz);
  const tag = digest(a.bytes).slice(0, 32);
  const sym = `janji_web_asset_${i}`;
  asm.push(`.global ${sym}\\n.hidden ${sym}\\n.balign 16\\n${sym}:\\n.incbin ${cString(file).replace(/"/g, '\\"')}\\n`);
  if (useGzip)
    asm.push(`.global ${sym}_gz\\n.hidden ${sym}_gz\\n.balign 16\\n${sym}_gz:\\n.incbin ${cString(`${file}.gz`).replace(/"/g, '\\"')}\\n`);
  rows.push(
    `    {${cString(a.name)}, ${cString(type)}, {${sym}, ${a.bytes.length}}, ` +
      (useGzip ? `{${sym}_gz, ${gz.length}}` : '{}') +
      `, ${cString(`"${tag}"`)}, ${a.immutable}},`,
  );
  a.symbols = useGzip ? [sym, `${sym}_gz`] : [sym];
});

const cpp = `// Generated by web/build.mjs; do not edit. The hashes below change with the files'
// contents, so a compiler cache never reuses an object built from other files.
#include "web/assets.hpp"

__asm__(".pushsection .rodata.janji_web,\\"a\\",@progbits\\n"
${asm.map((line) => `        "${line}"`).join('\n')}
        ".popsection\\n");

extern "C" {
${assets.flatMap((a) => a.symbols.map((s) => `extern const char ${s}[];`)).join('\n')}
}

namespace janji::web {

std::span<const Asset> embedded_assets() {
  static const Asset table[] = {
${rows.join('\n')}
  };
  return table;
}

}  // namespace janji::web
`;

const target = path.join(outDir, 'web_assets.cpp');
if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== cpp) fs.writeFileSync(target, cpp);
const total = assets.reduce((n, a) => n + a.bytes.length, 0);
console.log(`web: ${assets.length} files, ${(total / 1024).toFixed(0)} KiB, in ${path.relative(process.cwd(), outDir) || '.'}`);
