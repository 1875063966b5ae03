// jest globalTeardown: drops the run's database and stops the embedded server, if one was started.
import { rmSync } from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  const db = globalThis.__havenTestDb;
  if (db) {
    const admin = new pg.Client({ connectionString: db.serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${db.dbName} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  const embedded = globalThis.__havenEmbedded;
  if (embedded) {
    // stop() waits for an exit that never comes if postgres already died: bound it.
    await Promise.race([embedded.server.stop(), new Promise((r) => setTimeout(r, 8000))]);
    rmSync(embedded.dir, { recursive: true, force: true });
  }
}
