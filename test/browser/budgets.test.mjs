// The JavaScript budgets of issue 7, checked on the built islands (dist/web/public, from `npm run build`):
// each island's entry plus every chunk it imports, gzipped as the server sends them. Reading pages load no
// island at all (checked page by page in pages.test.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { root } from './harness.mjs';

const KB = 1024;
/** Islands with a tighter budget than the 60 KB any page may load. */
const BUDGETS = { chat: 20 * KB, conversation: 20 * KB, notifications: 20 * KB, captcha: 40 * KB };
const ANY_PAGE = 60 * KB;

const publicDir = path.join(root, 'dist', 'web', 'public');
const manifest = JSON.parse(readFileSync(path.join(publicDir, '.vite', 'manifest.json'), 'utf8'));

function gzippedSize(file) {
  return gzipSync(readFileSync(path.join(publicDir, file)), { level: 9 }).length;
}

/** The island's JavaScript, gzipped: its entry and all it imports, each chunk counted once. */
function islandCost(key) {
  const files = new Set();
  const walk = (k) => {
    const chunk = manifest[k];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) walk(imported);
    for (const imported of chunk.dynamicImports ?? []) walk(imported);
  };
  walk(key);
  return [...files].filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzippedSize(f), 0);
}

const islands = Object.keys(manifest).filter((k) => manifest[k].isEntry && /^islands\/[^_][^/]*\.ts$/.test(k));

test('the build has islands to check', () => {
  assert.ok(islands.length > 0, 'no island in the manifest: run npm run build first');
});

for (const key of islands) {
  const name = path.basename(key, '.ts');
  const budget = BUDGETS[name] ?? ANY_PAGE;
  test(`island ${name} fits its budget (${budget / KB} KB gzipped)`, () => {
    const cost = islandCost(key);
    console.log(`  ${name}: ${(cost / KB).toFixed(1)} KB gzipped (budget ${budget / KB} KB)`);
    assert.ok(cost <= budget, `${name} is ${(cost / KB).toFixed(1)} KB gzipped, over its ${budget / KB} KB budget`);
  });
}

test('the stylesheet stays small (<= 20 KB gzipped)', () => {
  const css = manifest['styles/site.css'];
  assert.ok(css, 'no stylesheet in the manifest');
  const size = gzippedSize(css.file);
  console.log(`  site.css: ${(size / KB).toFixed(1)} KB gzipped`);
  assert.ok(size <= 20 * KB);
});
