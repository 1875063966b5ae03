/**
 * The statement recorder: a pass-through TCP proxy in front of PostgreSQL that records the SQL text of every
 * statement run, tagged with the connection's application_name: each simple Query ('Q'), and each Bind ('B') of the
 * extended protocol, named by the Parse ('P') that prepared its statement (the last unnamed one, or a named one
 * prepared earlier on the connection, which is not parsed again). Used only while checking that
 * both servers run the same statements per route; never while measuring.
 */
import net from 'node:net';

export function startSqlRecorder(upstreamHost, upstreamPort) {
  let records = [];
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    sockets.add(client).add(upstream);
    let buf = Buffer.alloc(0);
    let typed = false;
    let app = '?';
    const statements = new Map();
    upstream.pipe(client);
    client.on('data', (chunk) => {
      upstream.write(chunk);
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (!typed) {
          if (buf.length < 8) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          if (buf.readInt32BE(4) === 196608) {
            const params = buf.subarray(8, len).toString('utf8').split('\0');
            for (let i = 0; i + 1 < params.length; i += 2) if (params[i] === 'application_name') app = params[i + 1];
            typed = true;
          }
          buf = buf.subarray(len);
        } else {
          if (buf.length < 5) break;
          const len = buf.readInt32BE(1);
          if (buf.length < len + 1) break;
          const type = buf[0];
          const body = buf.subarray(5, len + 1);
          if (type === 0x51) records.push({ app, sql: body.subarray(0, body.indexOf(0)).toString('utf8') });
          else if (type === 0x50) {
            const nameEnd = body.indexOf(0);
            const name = body.subarray(0, nameEnd).toString('utf8');
            statements.set(name, body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString('utf8'));
          } else if (type === 0x42) {
            const portalEnd = body.indexOf(0);
            const name = body.subarray(portalEnd + 1, body.indexOf(0, portalEnd + 1)).toString('utf8');
            records.push({ app, sql: statements.get(name) ?? `(unknown statement ${name})` });
          }
          buf = buf.subarray(len + 1);
        }
      }
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        take: () => {
          const out = records;
          records = [];
          return out;
        },
        close: () => {
          for (const sck of sockets) sck.destroy();
          server.close();
        },
      }),
    );
  });
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
