/**
 * Counting database round trips: a pass-through TCP proxy in front of PostgreSQL that counts, per application_name,
 * the statements executed (simple Query 'Q' and extended-protocol Execute 'E' messages) and the round trips (a 'Q',
 * or a Sync 'S' closing a batch of Parse/Bind/Execute). Prepared statements still count, as each use sends Execute.
 * Used once per route before the rounds, never while measuring.
 */
import net from 'node:net';

export function startRoundTripCounter(upstreamHost, upstreamPort) {
  let counts = new Map();
  const bump = (app, key) => {
    const c = counts.get(app) ?? { statements: 0, roundTrips: 0 };
    c[key] += 1;
    counts.set(app, c);
  };
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    sockets.add(client).add(upstream);
    let buf = Buffer.alloc(0);
    let started = false;
    let app = '?';
    upstream.pipe(client);
    client.on('data', (chunk) => {
      upstream.write(chunk);
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (!started) {
          // The startup message: no type byte; its parameters carry application_name.
          if (buf.length < 8) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          if (buf.readInt32BE(4) === 196608) {
            const params = buf.subarray(8, len).toString('utf8').split('\0');
            for (let i = 0; i + 1 < params.length; i += 2) if (params[i] === 'application_name') app = params[i + 1];
            started = true;
          }
          buf = buf.subarray(len);
        } else {
          if (buf.length < 5) break;
          const len = buf.readInt32BE(1);
          if (buf.length < len + 1) break;
          const type = String.fromCharCode(buf[0]);
          if (type === 'Q') {
            bump(app, 'statements');
            bump(app, 'roundTrips');
          } else if (type === 'E') bump(app, 'statements');
          else if (type === 'S') bump(app, 'roundTrips');
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
        /** The counts since the last take, by application_name. */
        take: () => {
          const out = counts;
          counts = new Map();
          return out;
        },
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      }),
    );
  });
}
