#!/usr/bin/env node
/**
 * The journal's own cost, in-process and bounded: a year of daily entries (10 symptoms each, a temperature,
 * medicines, a note) sealed with AES-256-GCM, then opened and summarised as `GET /api/journal/summary` does for a
 * year (the charts' data), 200 times; and one day sealed (a PUT's cryptography), 20,000 times. No database, no
 * network: what the journal adds to a request beside its SQL (see EXPLAIN in the report for that part).
 *
 *   npm run build && node bench/journal-data.mjs
 *
 * Prints min/p50/p95/max in milliseconds (on a shared machine the min is the uncontended cost). Exit code 0 when a
 * year's open-and-summarise p50 is under 25 ms (half the 50 ms budget of a year's chart), 1 otherwise.
 */
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { JournalCrypto } = require('../dist/journal/journal-crypto.js');
const { summarise } = require('../dist/journal/journal-summary.js');
const { CATALOGUE_NAMES } = require('../dist/journal/symptoms.js');

const DAYS = 365;
const RUNS = 200;
const crypto = new JournalCrypto('a-bench-journal-secret-0123456789abcdef');
const userId = '4242';
const day = (i) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

const rows = [];
for (let i = 0; i < DAYS; i++) {
  const content = {
    symptoms: CATALOGUE_NAMES.map((name, k) => ({
      name,
      grade: (i + k) % 5,
      ...(name === 'pain' ? { note: 'lower back' } : {}),
    })),
    temperatureC: 36.5 + (i % 20) / 10,
    medicines: ['Capecitabine 500 mg', 'Ondansetron 8 mg'],
    note: 'A quiet day; a short walk by the river and an early night.',
    ...(i % 21 === 0 ? { appointment: 'Oncology review', questions: 'Is the tiredness from the tablets?' } : {}),
  };
  rows.push({ day: day(i), payload: crypto.seal({ kind: 'entry', userId, date: day(i) }, content) });
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { min: s[0].toFixed(3), p50: at(0.5).toFixed(3), p95: at(0.95).toFixed(3), max: s[s.length - 1].toFixed(3) };
}

const year = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const open = rows.map((row) => ({
    date: row.day,
    content: crypto.open({ kind: 'entry', userId, date: row.day }, row.payload),
  }));
  const summary = summarise(day(0), day(DAYS - 1), open);
  year.push(performance.now() - t0);
  if (summary.days !== DAYS) throw new Error('summary lost days');
}
const seal = [];
const one = { symptoms: [{ name: 'fatigue', grade: 2 }], temperatureC: 37.2, note: 'A note' };
for (let r = 0; r < 20_000; r++) {
  const t0 = performance.now();
  crypto.seal({ kind: 'entry', userId, date: day(r % DAYS) }, one);
  seal.push(performance.now() - t0);
}
const y = stats(year);
console.log(
  `open + summarise a year (${DAYS} days, ${RUNS} runs): min ${y.min} ms, p50 ${y.p50} ms, p95 ${y.p95} ms, max ${y.max} ms`,
);
const s = stats(seal);
console.log(`seal one day (20,000 runs): min ${s.min} ms, p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms`);
process.exit(Number(y.p50) < 25 ? 0 : 1);
