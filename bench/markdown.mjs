#!/usr/bin/env node
/**
 * Markdown benchmark: hostile input against an ordinary post of the same length, in one run.
 *
 *   npm run build && node bench/markdown.mjs
 *
 * For each input that once made marked's own rules take seconds to minutes (the same list as the unit test
 * `markdown-safety.spec.ts`), renders it as Haven does on every write (renderMarkdown, extractMentions,
 * plainTextExcerpt) at 5,000 and 20,000 characters, and prints the fastest of BENCH_RUNS tries at each size, the
 * growth from the small to the large size (4x the text: ~4x is linear, ~16x quadratic, ~64x cubic), and the large
 * size against an ordinary post of 20,000 characters measured in the same run. Exit 1 when an input grows like a
 * cubic rule (over BENCH_MAX_GROWTH, 32) and costs more than 100 ms, else 0.
 *
 * Knobs (environment): BENCH_RUNS (5), BENCH_MAX_GROWTH (32).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { renderMarkdown, extractMentions, plainTextExcerpt } = require(
  path.join(ROOT, 'dist/common/markdown/markdown.js'),
);

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MAX_GROWTH = Number(process.env.BENCH_MAX_GROWTH ?? 32);

const HOSTILE = [
  ['unclosed links', (n) => '[a](b'.repeat(n / 5)],
  ['unclosed links, closing paren at the end', (n) => '[a](b'.repeat(n / 5) + ' x)'],
  ['unclosed images', (n) => '![a]('.repeat(n / 5)],
  ['alternating emphasis', (n) => '*a **a '.repeat(n / 7)],
  ['intraword underscores', (n) => '_a'.repeat(n / 2)],
  ['stray asterisks', (n) => '*a'.repeat(n / 2)],
  ['unclosed strikethrough', (n) => '~~a'.repeat(n / 3)],
  ['unclosed code spans', (n) => '``a'.repeat(n / 3)],
  ['table look-alikes', (n) => ' |\n|-|\n'.repeat(n / 7)],
  ['deeply nested quotes', (n) => '> '.repeat(n / 2) + 'deep'],
  ['deeply nested lists', (n) => '- '.repeat(n / 2) + 'deep'],
  ['deeply nested brackets', (n) => '['.repeat(n / 2) + ']'.repeat(n / 2)],
  ['long e-mail local part', (n) => 'a.'.repeat(n / 2) + '@example.com'],
  ['angle brackets', (n) => '<'.repeat(n)],
];

/** A post as members write them: emphasis, a link, a list, a quote, a table, code. */
function ordinaryPost(length) {
  const day = (i) => `Day ${i} after chemo. I woke up **exhausted** again, but _managed_ a short walk with @maria_k.
The nurse said the [side effects](https://www.cancer.org/treatment/side-effects.html) usually ease by the third cycle.

- ginger tea, small sips
- a cold flannel on the back of the neck

> "One day at a time" — my mum

| Time | Dose |
|------|-----:|
| 08:00 | 4 mg |

My son's reminder: \`take_pills()\` every 12h.

`;
  let post = '';
  for (let i = 1; post.length < length; i++) post += day(i);
  return post.slice(0, length);
}

function fastest(input) {
  const work = () => {
    renderMarkdown(input);
    extractMentions(input);
    plainTextExcerpt(input);
  };
  work(); // warm
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best;
}

const ordinary = fastest(ordinaryPost(20_000));
const rows = [['input', 'ms at 5,000', 'ms at 20,000', 'growth (4x text)', 'vs ordinary post', 'result']];
rows.push([
  'an ordinary post (baseline)',
  fastest(ordinaryPost(5_000)).toFixed(1),
  ordinary.toFixed(1),
  '',
  '1.0x',
  '',
]);
let failed = false;
for (const [name, make] of HOSTILE) {
  const small = fastest(make(5_000));
  const large = fastest(make(20_000));
  const growth = large / Math.max(small, 0.05);
  const bad = growth > MAX_GROWTH && large > 100;
  failed ||= bad;
  rows.push([
    name,
    small.toFixed(1),
    large.toFixed(1),
    `${growth.toFixed(1)}x`,
    `${(large / ordinary).toFixed(1)}x`,
    bad ? 'FAIL' : 'ok',
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const [i, row] of rows.entries()) {
  console.log(`| ${row.map((cell, j) => cell.padEnd(widths[j])).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
}
console.log(
  `\nFastest of ${RUNS} tries each; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}.`,
);
process.exit(failed ? 1 : 0);
