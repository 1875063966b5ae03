/**
 * CPU accounting from /proc (Linux): what a measured interval cost a server's node process and its PostgreSQL
 * backends, which stays meaningful when other work on the machine slows everything down. Clock ticks: USER_HZ 100.
 */
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

const TICK_MS = 10;

export function procCpuMs(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime + stime (fields 14, 15)
  } catch {
    return undefined;
  }
}

export function machineBusyMs() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) * TICK_MS; // user nice system irq softirq steal
  } catch {
    return undefined;
  }
}

/**
 * Starts metering `target` ({ proc, appName, moreAppNames? }): its node process, and the backends of database
 * `dbName` whose application_name is target.appName or one of moreAppNames (a job worker's own pool), sampled every
 * 250 ms, as backends come and go. Returns the function that
 * stops the meter and answers { wall, node, pg, bench, other } in milliseconds.
 */
export async function cpuMeter(db, dbName, target) {
  const backends = new Map();
  const sample = async (initial) => {
    const { rows } = await db.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = ANY($2::text[])`,
      [dbName, [target.appName, ...(target.moreAppNames ?? [])]],
    );
    for (const { pid } of rows) {
      const ms = procCpuMs(pid);
      if (ms === undefined) continue;
      const e = backends.get(pid);
      if (e) e.last = ms;
      else backends.set(pid, { start: initial ? ms : 0, last: ms });
    }
  };
  await sample(true);
  const node0 = procCpuMs(target.proc.pid);
  const self0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  const t0 = Date.now();
  let inFlight = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(() => sample(false)).catch(() => undefined);
  }, 250);
  return async () => {
    clearInterval(timer);
    await inFlight;
    await sample(false);
    const wall = Date.now() - t0;
    const node = procCpuMs(target.proc.pid) - node0;
    let pgMs = 0;
    for (const e of backends.values()) pgMs += e.last - e.start;
    const self = process.cpuUsage(self0);
    const bench = (self.user + self.system) / 1000;
    const machine = machineBusyMs() - busy0;
    return { wall, node, pg: pgMs, bench, other: Math.max(0, machine - node - pgMs - bench) };
  };
}
