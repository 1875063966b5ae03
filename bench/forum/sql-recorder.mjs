/**
 * The statement recorder: a pass-through TCP proxy in front of PostgreSQL that records the SQL text of every
 * statement run, tagged with the connection's application_name: each simple Query ('Q'), and each Bind ('B') of the
 * extended protocol, named by the Parse ('P') that prepared its statement (the last unnamed one, or a named one
 * prepared earlier on the connection, which is not parsed again). Used only while checking that
 * both servers run the same statements per route; never while measuring.
 */
import { startPgProxy } from '../lib/pg-proxy.mjs';

export async function startSqlRecorder(upstreamHost, upstreamPort) {
  let records = [];
  const proxy = await startPgProxy(upstreamHost, upstreamPort, () => {
    const statements = new Map();
    return (app, type, body) => {
      const text = (from) => body.subarray(from, body.indexOf(0, from)).toString('utf8');
      if (type === 'Q') records.push({ app, sql: text(0) });
      else if (type === 'P') {
        const nameEnd = body.indexOf(0);
        statements.set(body.subarray(0, nameEnd).toString('utf8'), text(nameEnd + 1));
      } else if (type === 'B') {
        const name = text(body.indexOf(0) + 1);
        records.push({ app, sql: statements.get(name) ?? `(unknown statement ${name})` });
      }
    };
  });
  return {
    port: proxy.port,
    take: () => {
      const out = records;
      records = [];
      return out;
    },
    close: proxy.close,
  };
}

export const normalizeSql = (sql) => sql.replace(/\s+/g, ' ').trim();

export function sqlDiff(a, b) {
  const count = (list) => list.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map());
  const ca = count(a);
  const cb = count(b);
  const onlyA = [];
  const onlyB = [];
  for (const [k, n] of ca) for (let i = cb.get(k) ?? 0; i < n; i++) onlyA.push(k);
  for (const [k, n] of cb) for (let i = ca.get(k) ?? 0; i < n; i++) onlyB.push(k);
  return { onlyA, onlyB };
}
