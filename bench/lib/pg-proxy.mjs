/**
 * A pass-through TCP proxy in front of PostgreSQL that reads the frontend's messages as they go by: the startup
 * message's application_name, then each typed message (one byte of type, a length, a body). The statement recorder
 * (forum/sql-recorder.mjs) and the round-trip counter (peer/round-trips.mjs) are built on it. Used only while
 * checking, never while measuring.
 *
 * `onConnection()` answers the connection's handler `(app, type, body)`, called for each message, with `type` the
 * message's letter ('Q', 'P', 'B', 'E', 'S', ...).
 */
import net from 'node:net';

const PROTOCOL_3 = 196608;

export function startPgProxy(upstreamHost, upstreamPort, onConnection) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    sockets.add(client).add(upstream);
    const onMessage = onConnection();
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
          if (buf.readInt32BE(4) === PROTOCOL_3) {
            const params = buf.subarray(8, len).toString('utf8').split('\0');
            for (let i = 0; i + 1 < params.length; i += 2) if (params[i] === 'application_name') app = params[i + 1];
            started = true;
          }
          buf = buf.subarray(len);
        } else {
          if (buf.length < 5) break;
          const len = buf.readInt32BE(1);
          if (buf.length < len + 1) break;
          onMessage(app, String.fromCharCode(buf[0]), buf.subarray(5, len + 1));
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
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      }),
    );
  });
}
