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
    // The library's stop() waits for an exit event that, under jest, can come late or never: ask postgres for a
    // fast shutdown ourselves and wait (bounded) until its pid is gone.
    const pid = embedded.server.process?.pid;
    if (pid) await fastShutdown(pid);
    // The library also stops its servers from a 'beforeExit' hook (async-exit-hook), whose stop() then waits for
    // that same lost exit event until the hook's 10 s timeout: tell it there is nothing left to stop.
    embedded.server.process = undefined;
    rmSync(embedded.dir, { recursive: true, force: true });
  }
}

async function fastShutdown(pid) {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const [signal, ms] of [
    ['SIGINT', 8000],
    ['SIGQUIT', 3000],
  ]) {
    if (!alive()) return;
    process.kill(pid, signal);
    const deadline = Date.now() + ms;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
}
