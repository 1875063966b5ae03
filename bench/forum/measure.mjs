/** The forum benchmark's measurements: autocannon runs and rounds (with the /proc CPU meter), EXPLAIN summaries. */
import { cpuMeter } from '../lib/proc-cpu.mjs';
import { fmt } from '../lib/util.mjs';
import { CONNECTIONS, log, ROUNDS, SECONDS, WARMUP_SECONDS } from './config.mjs';

export function assertAlive(target) {
  const p = target.proc;
  if (p.exitCode !== null || p.signalCode !== null)
    throw new Error(`${target.name} exited (${p.exitCode ?? p.signalCode}); its last output:\n${p.output()}`);
}

export async function load(autocannon, target, route, seconds, stats, meter) {
  assertAlive(target);
  const opts = {
    url: target.base,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    ...route.options(target),
  };
  const stopMeter = meter ? await meter() : undefined;
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
    if (stats) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        stats.latencies.push(responseTime);
        stats.status[statusCode] = (stats.status[statusCode] ?? 0) + 1;
      });
    }
  });
  // Work the requests left behind (a reply's background jobs) belongs to them: the meter runs, and the clock of
  // req/s too, until the side has settled.
  const settleStart = Date.now();
  if (route.settle) await route.settle(target);
  const elapsed = result.duration + (Date.now() - settleStart) / 1000;
  const cpu = stopMeter ? await stopMeter() : undefined;
  assertAlive(target);
  result.settledRps = result.requests.total / elapsed;
  if (stats) {
    stats.requests += result.requests.total;
    stats.seconds += elapsed;
    stats.errors += result.errors;
    stats.timeouts += result.timeouts;
    stats.rounds.push(result.settledRps);
    if (cpu) {
      stats.nodeMs += cpu.node;
      stats.pgMs += cpu.pg;
      stats.otherMs += cpu.other;
      stats.wallMs += cpu.wall;
    }
  }
  return result;
}

function planSummary(plan) {
  const lines = [];
  const walk = (node, depth) => {
    let s = node['Node Type'];
    if (node['Scan Direction'] === 'Backward') s += ' Backward';
    if (node['Index Name']) s += ` using ${node['Index Name']}`;
    if (node['Relation Name']) s += ` on ${node['Relation Name']}`;
    s += `  (rows=${node['Actual Rows']} loops=${node['Actual Loops']} time=${fmt(node['Actual Total Time'], 3)} ms`;
    const hit = node['Shared Hit Blocks'];
    const read = node['Shared Read Blocks'];
    if (hit !== undefined) s += ` hit=${hit}${read ? ` read=${read}` : ''}`;
    s += ')';
    if (node['Index Cond']) s += `  cond: ${node['Index Cond']}`;
    if (node['Sort Method']) s += `  sort: ${node['Sort Method']}`;
    lines.push(`${'  '.repeat(depth)}${depth ? '-> ' : ''}${s}`);
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(plan.Plan, 0);
  lines.push(`planning ${fmt(plan['Planning Time'], 3)} ms, execution ${fmt(plan['Execution Time'], 3)} ms`);
  return lines.map((l) => `    ${l}`).join('\n');
}

export async function explain(db, label, sql, params) {
  const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
  const plan = rows[0]['QUERY PLAN'][0];
  return { label, text: `  ${label}\n${planSummary(plan)}`, ms: plan['Execution Time'] };
}

/** Warm-up, then interleaved rounds (the order of the servers flips each round); returns the stats by server:route. */
export async function runRounds({ autocannon, db, dbName, haven, bare, routes }) {
  const stats = {};
  for (const s of [haven, bare])
    for (const r of routes)
      stats[`${s.name}:${r.key}`] = {
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
      };
  log(`warm-up: ${WARMUP_SECONDS} s per route per server`);
  for (const r of routes) for (const s of [haven, bare]) await load(autocannon, s, r, WARMUP_SECONDS, null);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [haven, bare] : [bare, haven];
    const parts = [];
    for (const r of routes) {
      for (const s of order) {
        const res = await load(autocannon, s, r, SECONDS, stats[`${s.name}:${r.key}`], () => cpuMeter(db, dbName, s));
        parts.push(`${r.key} ${s.name} ${fmt(res.requests.average)}/s`);
      }
    }
    log(`round ${round + 1}/${ROUNDS}: ${parts.join(', ')}`);
  }
  return stats;
}
