/**
 * The peer benchmark's report: per comparison req/s, p50/p99 and CPU per request of each side, the ratios and the
 * verdict against issue 16's goals; then per-round throughput and the machine. Returns whether everything passed.
 */
import os from 'node:os';
import { fmt, table } from '../lib/util.mjs';
import {
  AS,
  CONNECTIONS,
  READ_P99_RATIO,
  READ_RATIO,
  REPLY_RATIO,
  ROUNDS,
  SECONDS,
  SSR_RATIO,
  WARMUP_SECONDS,
} from './config.mjs';
import { summarise } from './measure.mjs';

function verdict(c, a, b) {
  const ratio = a.rps / b.rps;
  if (c.kind === 'read') {
    const p99Ratio = a.p99 / b.p99;
    return {
      ratios: `${fmt(ratio, 2)}x req/s, ${fmt(p99Ratio, 2)}x p99, ${fmt(a.cpuUs / b.cpuUs, 2)}x CPU`,
      goal: `>= ${READ_RATIO}x, p99 <= ${READ_P99_RATIO}x`,
      pass: ratio >= READ_RATIO && p99Ratio <= READ_P99_RATIO,
    };
  }
  if (c.kind === 'reply')
    return {
      ratios: `${fmt(ratio, 2)}x req/s, ${fmt(a.cpuUs / b.cpuUs, 2)}x CPU`,
      goal: `>= ${REPLY_RATIO}x`,
      pass: ratio >= REPLY_RATIO,
    };
  // SSR against Haven's JSON: the page's cost per request (CPU) and its latency, each within the budget.
  const cpu = a.cpuUs / b.cpuUs;
  const p50 = a.p50 / b.p50;
  return {
    ratios: `${fmt(cpu, 2)}x CPU, ${fmt(p50, 2)}x p50, ${fmt(b.rps / a.rps, 2)}x time (1/req/s)`,
    goal: `CPU and p50 <= ${SSR_RATIO}x`,
    pass: cpu <= SSR_RATIO && p50 <= SSR_RATIO,
  };
}

export function report({ stats, comparisons, trips, load }) {
  const rows = [];
  const detail = [];
  let allPass = true;
  for (const c of comparisons) {
    const a = summarise(stats[`${c.key}:a`]);
    const b = summarise(stats[`${c.key}:b`]);
    const v = verdict(c, a, b);
    const wrong = [a, b].filter((x) => x.errors > 0 || Object.keys(x.status).some((s) => Number(s) !== c.expected));
    const pass = v.pass && wrong.length === 0;
    allPass &&= pass;
    const names = c.kind === 'ssr' ? ['SSR', 'JSON'] : ['Haven', 'bare'];
    rows.push([
      c.label,
      `${names[0]} ${fmt(a.rps)} / ${names[1]} ${fmt(b.rps)}`,
      `${fmt(a.p50, 1)} / ${fmt(a.p99, 1)}`,
      `${fmt(b.p50, 1)} / ${fmt(b.p99, 1)}`,
      `${fmt(a.nodeUs)}+${fmt(a.pgUs)} / ${fmt(b.nodeUs)}+${fmt(b.pgUs)}`,
      [trips[`${c.key}:a`], trips[`${c.key}:b`]]
        .map((t) => (t ? `${fmt(t.statements, 1)} (${fmt(t.roundTrips, 1)})` : '-'))
        .join(' / '),
      v.ratios,
      v.goal,
      pass ? 'PASS' : wrong.length ? 'FAIL (status)' : 'FAIL',
    ]);
    detail.push(
      `  ${c.key}: per round ${names[0]} ${a.rounds.map((x) => fmt(x)).join(', ')}; ` +
        `${names[1]} ${b.rounds.map((x) => fmt(x)).join(', ')}; status ${names[0]} ${JSON.stringify(a.status)}` +
        ` ${names[1]} ${JSON.stringify(b.status)}; errors ${a.errors}/${b.errors}; other work on the machine ` +
        `${fmt(a.otherShare * 100)}% / ${fmt(b.otherShare * 100)}% of a core`,
    );
  }
  console.log('');
  console.log(
    `Results: ${ROUNDS} interleaved rounds x ${SECONDS} s per side after ${WARMUP_SECONDS} s warm-up; autocannon ` +
      `${CONNECTIONS} connections, pipelining 1; loopback; reads as ${AS === 'member' ? 'a signed-in member' : 'a guest'}.`,
  );
  console.log(
    'Latencies in ms (p50 / p99); CPU in µs per request: node process + its PostgreSQL backends, from /proc ' +
      '(first side / second side); statements and round trips per request, the mean of 4 counted before the rounds. The SSR row compares Haven with Haven: the page against its JSON route.',
  );
  console.log(
    table(
      [
        'route',
        'req/s',
        'Haven (SSR) p50/p99',
        'bare (JSON) p50/p99',
        'CPU µs/req',
        'statements (round trips)',
        'ratios',
        'goal',
        'result',
      ],
      rows,
    ),
  );
  console.log(detail.join('\n'));
  console.log(
    `Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; load average before the ` +
      `rounds ${load.before}, after ${load.after}.`,
  );
  return allPass;
}
