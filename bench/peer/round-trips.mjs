/**
 * Counting database round trips: a pass-through TCP proxy in front of PostgreSQL that counts, per application_name,
 * the statements executed (simple Query 'Q' and extended-protocol Execute 'E' messages) and the round trips (a 'Q',
 * or a Sync 'S' closing a batch of Parse/Bind/Execute). Prepared statements still count, as each use sends Execute.
 * Used once per route before the rounds, never while measuring.
 */
import { startPgProxy } from '../lib/pg-proxy.mjs';

export async function startRoundTripCounter(upstreamHost, upstreamPort) {
  let counts = new Map();
  const bump = (app, key) => {
    const c = counts.get(app) ?? { statements: 0, roundTrips: 0 };
    c[key] += 1;
    counts.set(app, c);
  };
  const proxy = await startPgProxy(upstreamHost, upstreamPort, () => (app, type) => {
    if (type === 'Q') {
      bump(app, 'statements');
      bump(app, 'roundTrips');
    } else if (type === 'E') bump(app, 'statements');
    else if (type === 'S') bump(app, 'roundTrips');
  });
  return {
    port: proxy.port,
    /** The counts since the last take, by application_name. */
    take: () => {
      const out = counts;
      counts = new Map();
      return out;
    },
    close: proxy.close,
  };
}
