/**
 * The peer benchmark's rounds: a warm-up of every side, then ROUNDS rounds in which each comparison runs its two sides
 * back to back (the order flips each round), each metered from /proc (node process + its PostgreSQL backends).
 */
import { cpuMeter } from '../lib/proc-cpu.mjs';
import { fmt, percentile, sleep } from '../lib/util.mjs';
import { load } from '../forum/measure.mjs';
import { log, ROUNDS, SECONDS, WARMUP_SECONDS } from './config.mjs';

const emptyStats = () => ({
  requests: 0,
  seconds: 0,
  errors: 0,
  timeouts: 0,
  latencies: [],
  status: {},
  rounds: [],
  nodeMs: 0,
  pgMs: 0,
  otherMs: 0,
  wallMs: 0,
});

export async function runRounds({ autocannon, db, dbName, comparisons }) {
  const stats = {};
  for (const c of comparisons) for (const side of ['a', 'b']) stats[`${c.key}:${side}`] = emptyStats();
  log(`warm-up: ${WARMUP_SECONDS} s per side`);
  for (const c of comparisons)
    for (const side of ['a', 'b']) await load(autocannon, c[side].target, c[side], WARMUP_SECONDS, null);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    const parts = [];
    for (const c of comparisons) {
      for (const side of order) {
        const { target } = c[side];
        const res = await load(autocannon, target, c[side], SECONDS, stats[`${c.key}:${side}`], () =>
          cpuMeter(db, dbName, target),
        );
        parts.push(`${c.key} ${c[side].side ?? target.name} ${fmt(res.settledRps)}/s`);
      }
    }
    log(`round ${round + 1}/${ROUNDS}: ${parts.join(', ')}`);
  }
  return stats;
}

/** Sends one request the way a side's autocannon options describe it; answers the status. */
async function once(side) {
  const [r] = side.options().requests;
  const req = r.setupRequest ? r.setupRequest({ method: r.method, path: r.path, headers: {} }) : r;
  const res = await fetch(side.target.base + req.path, { method: req.method, headers: req.headers, body: req.body });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Statements and round trips per request of each side, through the counter: a first request (first-use work), then
 * COUNTED requests one at a time, each followed by a pause so that work after the answer (notifications, fan-out) is
 * counted too; the mean per request (a reply's count depends on its thread and member). Only the servers' request
 * pools are counted (application_name `haven` and the bare server's), not Haven's job worker or health connection.
 */
const COUNTED = 4;

export async function countRoundTrips(comparisons, counter) {
  const trips = {};
  for (const c of comparisons) {
    for (const side of ['a', 'b']) {
      await once(c[side]);
      await sleep(300);
      counter.take();
      const statuses = new Set();
      const sum = { statements: 0, roundTrips: 0 };
      for (let i = 0; i < COUNTED; i++) {
        statuses.add(await once(c[side]));
        await sleep(300);
        const counts = counter.take().get(c[side].target.appName) ?? { statements: 0, roundTrips: 0 };
        sum.statements += counts.statements;
        sum.roundTrips += counts.roundTrips;
      }
      const counts = { statements: sum.statements / COUNTED, roundTrips: sum.roundTrips / COUNTED };
      trips[`${c.key}:${side}`] = counts;
      log(
        `  ${c.key} ${c[side].side ?? c[side].target.name}: ${[...statuses].join(', ')}, ` +
          `${fmt(counts.statements, 1)} statements in ${fmt(counts.roundTrips, 1)} round trips per request`,
      );
    }
  }
  return trips;
}

/** One side's figures: req/s, p50/p99 (ms), CPU per request in µs (node, PostgreSQL), status codes. */
export function summarise(st) {
  const sorted = Float64Array.from(st.latencies).sort();
  return {
    rps: st.requests / st.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    status: st.status,
    errors: st.errors + st.timeouts,
    rounds: st.rounds,
    nodeUs: (st.nodeMs * 1000) / st.requests,
    pgUs: (st.pgMs * 1000) / st.requests,
    cpuUs: ((st.nodeMs + st.pgMs) * 1000) / st.requests,
    otherShare: st.otherMs / st.wallMs,
  };
}
