/** The thread page benchmark's measurements: autocannon runs that time page views, and their summaries. */
import { procCpuMs } from '../lib/proc-cpu.mjs';
import { percentile } from '../lib/util.mjs';
import { CONNECTIONS } from './config.mjs';

/**
 * One autocannon run. `paths` are requested in turn by each connection; a "view" is one pass over them (one page, or
 * one thread + posts pair), and its latency is the sum of its requests' latencies on that connection.
 */
export async function load(autocannon, base, paths, headers, seconds, stats, haven) {
  const opts = {
    url: base,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    headers,
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  };
  const cpu0 = haven ? procCpuMs(haven.pid) : undefined;
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
    const pending = new Map();
    instance.on('response', (client, statusCode, bytes, responseTime) => {
      if (!stats) return;
      stats.status[statusCode] = (stats.status[statusCode] ?? 0) + 1;
      stats.bytes += bytes;
      const sofar = pending.get(client) ?? { n: 0, ms: 0 };
      sofar.n += 1;
      sofar.ms += responseTime;
      if (sofar.n === paths.length) {
        stats.views.push(sofar.ms);
        pending.delete(client);
      } else pending.set(client, sofar);
    });
  });
  if (stats) {
    stats.requests += result.requests.total;
    stats.seconds += result.duration;
    stats.errors += result.errors + result.timeouts + result.non2xx;
    stats.rounds.push(result.requests.total / paths.length / result.duration);
    // Haven's own CPU (user + system) for the run: what a view costs the server, whatever else the machine does.
    const cpu1 = haven ? procCpuMs(haven.pid) : undefined;
    stats.cpuMs += cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : NaN;
  }
  return result;
}

export function summary(stats, perView) {
  const sorted = [...stats.views].sort((a, b) => a - b);
  return {
    viewsPerSecond: stats.requests / perView / stats.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    bytesPerView: stats.bytes / Math.max(1, stats.requests / perView),
    rounds: stats.rounds,
    /** Haven's CPU milliseconds per view (from /proc; NaN where it cannot be read). */
    cpuPerView: stats.cpuMs / Math.max(1, stats.requests / perView),
    errors: stats.errors,
    status: stats.status,
  };
}
