import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface OwnDatabase {
  /** Pass as DATABASE_URL to startTestApp (and to the CLI): migrations run as the first app opens it. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of the test file's own, on the run's server. The run shares one database between files that run side
 * by side; a file that needs the whole install to itself (no admin at all, nobody a moderator) must not change the
 * others' admins and moderators under them, so it takes its own and drops it in afterAll.
 */
export async function ownDatabase(): Promise<OwnDatabase> {
  const shared = process.env.DATABASE_URL;
  if (!shared) throw new Error('DATABASE_URL is not set: run the tests through jest, whose globalSetup provides one');
  const name = `haven_own_${randomBytes(4).toString('hex')}`;
  const server = new URL(shared);
  server.pathname = '/postgres';
  const own = new URL(shared);
  own.pathname = `/${name}`;
  await onServer(server.toString(), `CREATE DATABASE ${name}`);
  return {
    url: own.toString(),
    drop: () => onServer(server.toString(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
