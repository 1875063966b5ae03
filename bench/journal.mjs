#!/usr/bin/env node
/**
 * Symptom journal benchmark: the charts of a year of daily entries and the PDF of a 3-month summary, drawn on the
 * server as Haven draws them, each beside a baseline measured in the same run.
 *
 *   npm run bench:journal        (builds first; or: npm run build && node bench/journal.mjs)
 *
 * - charts: a year (365 days) of daily entries, each grading the ten catalogue symptoms, with medicines on a third
 *   of the days and an appointment a month: the summary (journal-summary.js) and every symptom's SVG with its text
 *   alternative and table (renderSymptomCharts), i.e. all the server does for /journal/charts?range=1y. Goal < 50 ms.
 *   Baselines: the same summary serialised to JSON (what /api/journal/summary sends), and the bare library: one
 *   Plot.plot() of the same marks in a linkedom document for each symptom, without Haven's work around it.
 * - pdf: the "Prepare for my appointment" PDF of 3 months (renderSummaryPdf). Goal < 300 ms. Baseline: a bare
 *   pdfkit A4 document with the same number of lines of text.
 *
 * Prints wall-clock p50/p95 and CPU-time p50 (ms) over BENCH_RUNS runs after BENCH_WARM warm-up runs, and the load
 * average. Exit 1 when a p50 misses its goal (wall clock; CPU time when the machine is busier than its cores).
 * Knobs (environment): BENCH_RUNS (60), BENCH_WARM (10).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/util.mjs';

const require = createRequire(import.meta.url);
const { renderSymptomCharts, CHART_WIDTH, CHART_HEIGHT } = require(path.join(ROOT, 'dist/journal/render/charts.js'));
const { chartDataOf } = require(path.join(ROOT, 'dist/journal/render/summary-view.js'));
const { renderSummaryPdf } = require(path.join(ROOT, 'dist/journal/render/summary-pdf.js'));
const { summarise } = require(path.join(ROOT, 'dist/journal/journal-summary.js'));
const { CATALOGUE } = require(path.join(ROOT, 'dist/journal/symptoms.js'));
const PDFDocument = require('pdfkit');
const Plot = await import('@observablehq/plot');
const { parseHTML } = await import('linkedom');

const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const WARM = Number(process.env.BENCH_WARM ?? 10);
const GOALS = { charts: 50, pdf: 300 };

const DAY_MS = 86_400_000;
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** `days` daily entries from `from`, seeded: the same journal on every run. */
function journal(from, days) {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: days }, (_, i) => ({
    date: addDays(from, i),
    content: {
      symptoms: CATALOGUE.map((s) => ({ name: s.name, grade: Math.min(4, Math.floor(random() * 3 + (i % 30) / 15)) })),
      temperatureC: i % 7 === 0 ? 36.5 + Math.round(random() * 20) / 10 : undefined,
      medicines: i % 3 === 0 ? ['Capecitabine', 'Paracetamol'] : undefined,
      appointment: i % 30 === 10 ? 'Oncology clinic' : undefined,
      questions: i % 11 === 0 ? 'Is the tiredness from the new dose, and should I change when I take it?' : undefined,
      note: i % 5 === 0 ? 'A quiet day; a short walk.' : undefined,
    },
  }));
}

/** Wall time and this process's CPU time per run (the CPU time holds steadier on a machine shared with others). */
async function measure(work) {
  for (let i = 0; i < WARM; i++) await work();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    await work();
    const used = process.cpuUsage(cpuStarted);
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
    cpu.push((used.user + used.system) / 1000);
  }
  const at = (times, q) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(wall, 0.5), p95: at(wall, 0.95), cpu50: at(cpu, 0.5) };
}

/**
 * A goal is judged on the wall-clock p50; on a machine busier than its cores (load average above the core count,
 * as on a shared CI or agent machine) the wall clock measures the scheduler, and the goal is judged on this
 * process's CPU time instead, saying so.
 */
const busy = os.loadavg()[0] > os.cpus().length;
const verdict = (r, goal) => {
  const judged = busy ? r.cpu50 : r.p50;
  return `  (goal < ${goal} ms on ${busy ? 'CPU (machine busy)' : 'wall'} p50: ${judged < goal ? 'met' : 'MISSED'})`;
};
const met = (r, goal) => (busy ? r.cpu50 : r.p50) < goal;
const line = (name, r, goal) =>
  console.log(
    `${name.padEnd(58)} p50 ${r.p50.toFixed(2).padStart(7)} ms  p95 ${r.p95.toFixed(2).padStart(7)} ms` +
      `  (cpu p50 ${r.cpu50.toFixed(2).padStart(7)} ms)` +
      (goal ? verdict(r, goal) : ''),
  );

const yearFrom = '2025-01-01';
const year = journal(yearFrom, 365);
const yearTo = addDays(yearFrom, 364);
const quarter = year.slice(0, 91);

console.log(`journal bench: ${RUNS} runs after ${WARM} warm-up runs, node ${process.version}`);

const charts = await measure(async () => renderSymptomCharts(chartDataOf(summarise(yearFrom, yearTo, year))));
const summaryJson = await measure(async () => JSON.stringify(summarise(yearFrom, yearTo, year)));
const fixed = summarise(yearFrom, yearTo, year);
let sink = 0;
const bare = await measure(async () => {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  for (const s of fixed.symptoms) {
    const points = s.series.map((p) => ({ at: new Date(`${p.date}T00:00:00Z`), grade: p.grade }));
    sink += Plot.plot({
      document,
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      y: { domain: [0, 4] },
      marks: [Plot.lineY(points, { x: 'at', y: 'grade' })],
    }).outerHTML.length;
  }
});
line('charts: a year, 10 symptoms (summary + SVGs + tables)', charts, GOALS.charts);
line('  baseline: the same summary as JSON', summaryJson);
line('  baseline: bare Plot.plot() line per symptom in linkedom', bare);

const quarterTo = addDays(yearFrom, 90);
const pdf = await measure(() =>
  renderSummaryPdf({ summary: summarise(yearFrom, quarterTo, quarter), madeOn: quarterTo, name: 'Maria' }),
);
const pdfLines = 60;
const barePdf = await measure(
  () =>
    new Promise((resolve) => {
      const doc = new PDFDocument({ size: 'A4', margin: 50 });
      const chunks = [];
      doc.on('data', (c) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      for (let i = 0; i < pdfLines; i++) doc.text(`Line ${i} of a plain document, about as long as a summary line.`);
      doc.end();
    }),
);
line('pdf: 3-month appointment summary (summary + PDF)', pdf, GOALS.pdf);
line(`  baseline: bare pdfkit A4, ${pdfLines} lines of text`, barePdf);

if (sink === 0) console.log('(the bare baseline drew nothing)');
console.log(
  `load average: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${os.cpus().length} cores`,
);
process.exitCode = met(charts, GOALS.charts) && met(pdf, GOALS.pdf) ? 0 : 1;
