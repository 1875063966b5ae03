import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Client } from 'pg';
import PgBoss from 'pg-boss';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * Haven's own backup format, for servers where no pg_dump of the server's major version can be had (the embedded
 * PostgreSQL: its package ships no client tools). A gzip file:
 *
 *   HAVEN-LOGICAL-BACKUP 1
 *   {header: migrations applied, tables and their columns, sequences, pg-boss's queues}
 *   the COPY text rows of the first table, then a line `\.`
 *   ... one block a table, in the header's order
 *
 * Read in one REPEATABLE READ transaction, so every table is seen at the same instant while Haven keeps writing.
 * The schema is not in the file: restore rebuilds it by running the very migrations the header lists (and pg-boss's
 * own schema from the installed pg-boss), then loads the rows with COPY in one transaction. So a restore needs the
 * code of a release that knows every listed migration (the same release, or a later one), whatever PostgreSQL
 * version either side runs: this also moves the embedded database across PostgreSQL majors.
 */
export const LOGICAL_MAGIC = 'HAVEN-LOGICAL-BACKUP 1';

/** Haven's tables (made by the migrations) and the job queue's (made by pg-boss). No other schema is Haven's. */
const SCHEMAS = ['public', 'pgboss'];
/**
 * pg-boss makes these rows itself: its version row at construction, a queue (with its job partition) per
 * create_queue. Restore lets it, then gives them the backup's values.
 */
const PGBOSS_VERSION = 'pgboss.version';
const PGBOSS_QUEUE = 'pgboss.queue';

interface TableInfo {
  schema: string;
  name: string;
  columns: string[];
}
interface SequenceInfo {
  schema: string;
  name: string;
  lastValue: string;
  isCalled: boolean;
}
interface QueueInfo {
  name: string;
  options: Record<string, unknown>;
}
export interface LogicalHeader {
  format: 'haven-logical';
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  pgBossVersion: number | null;
  queues: QueueInfo[];
  tables: TableInfo[];
  sequences: SequenceInfo[];
}

export async function writeLogicalBackup(client: Client, file: string): Promise<{ tables: number }> {
  const gzip = createGzip();
  const out = createWriteStream(file, { mode: 0o600 });
  gzip.pipe(out);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const header = await readHeader(client);
    await write(gzip, `${LOGICAL_MAGIC}\n${JSON.stringify(header)}\n`);
    for (const t of header.tables) {
      const columns = t.columns.map(ident).join(', ');
      const source = client.query(copyTo(`COPY (SELECT ${columns} FROM ${qualified(t)}) TO STDOUT`));
      for await (const chunk of source) await write(gzip, chunk as Buffer);
      await write(gzip, '\\.\n');
    }
    await client.query('COMMIT');
    gzip.end();
    await finished(out);
    return { tables: header.tables.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    gzip.destroy();
    out.destroy();
    throw err;
  }
}

async function readHeader(client: Client): Promise<LogicalHeader> {
  const [{ server_version: serverVersion }] = (await client.query<{ server_version: string }>('SHOW server_version'))
    .rows;
  const migrations = (await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows.map(
    (r) => r.name,
  );
  // Plain and partitioned tables, not partitions (their parent's rows include theirs); no generated columns.
  const tables = (
    await client.query<TableInfo>(
      `SELECT n.nspname AS schema, c.relname AS name,
              array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1)
        GROUP BY n.nspname, c.relname
        ORDER BY n.nspname DESC, c.relname`,
      [SCHEMAS],
    )
  ).rows;
  const sequenceNames = (
    await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND n.nspname = ANY($1) ORDER BY 1, 2`,
      [SCHEMAS],
    )
  ).rows;
  const sequences: SequenceInfo[] = [];
  for (const s of sequenceNames) {
    const [row] = (
      await client.query<{ last_value: string; is_called: boolean }>(
        `SELECT last_value::text, is_called FROM ${qualified(s)}`,
      )
    ).rows;
    sequences.push({ ...s, lastValue: row.last_value, isCalled: row.is_called });
  }
  const hasBoss = tables.some((t) => t.schema === 'pgboss');
  const pgBossVersion = hasBoss
    ? Number((await client.query<{ version: number }>('SELECT version FROM pgboss.version')).rows[0]?.version)
    : null;
  const queues = hasBoss
    ? (
        await client.query<QueueInfo>(
          `SELECT name, json_build_object('policy', policy, 'retryLimit', retry_limit, 'retryDelay', retry_delay,
                  'retryBackoff', retry_backoff, 'expireInSeconds', expire_seconds,
                  'retentionMinutes', retention_minutes, 'deadLetter', dead_letter) AS options
             FROM pgboss.queue ORDER BY dead_letter IS NOT NULL, created_on, name`,
        )
      ).rows
    : [];
  return {
    format: 'haven-logical',
    createdAt: new Date().toISOString(),
    serverVersion,
    migrations,
    pgBossVersion,
    queues,
    tables,
    sequences,
  };
}

/** Reads the header alone (restore checks it before it changes anything). */
export async function readLogicalHeader(file: string): Promise<LogicalHeader> {
  const lines = logicalLines(file);
  try {
    const magic = await lines.next();
    const header = await lines.next();
    if (magic.value !== LOGICAL_MAGIC || header.done) throw new Error('not a Haven logical backup');
    return JSON.parse(header.value as string) as LogicalHeader;
  } finally {
    await lines.return(undefined);
  }
}

/**
 * Loads the rows into a database whose schema the header's migrations just made, in one transaction: the rows the
 * migrations seeded are replaced, foreign keys and triggers wait (session_replication_role = replica, as
 * pg_restore's --disable-triggers does), sequences take their saved values.
 */
export async function loadLogicalBackup(client: Client, file: string, header: LogicalHeader): Promise<void> {
  // pg-boss's construction commits on its own, like the migrations before it.
  if (header.pgBossVersion !== null) await createPgBossSchema(client);
  const lines = logicalLines(file);
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    const own = header.tables.filter((t) => t.schema === 'public');
    if (own.length > 0) await client.query(`TRUNCATE ${own.map(qualified).join(', ')}`);
    for (const q of header.queues) await client.query('SELECT pgboss.create_queue($1, $2)', [q.name, q.options]);
    await lines.next();
    await lines.next();
    for (const t of header.tables) {
      const name = `${t.schema}.${t.name}`;
      const columns = t.columns.map(ident).join(', ');
      let into = qualified(t);
      if (name === PGBOSS_VERSION) await client.query(`DELETE FROM ${into}`);
      if (name === PGBOSS_QUEUE) {
        into = '"haven_restore_queue"';
        await client.query(`CREATE TEMP TABLE ${into} (LIKE ${qualified(t)}) ON COMMIT DROP`);
      }
      const sink = client.query(copyFrom(`COPY ${into} (${columns}) FROM STDIN`));
      // Rows go in batches of about 256 KiB: a write a row costs twice the time on a big table.
      let batch: string[] = [];
      let size = 0;
      for (;;) {
        const line = await lines.next();
        if (line.done) throw new Error(`the backup file ends inside the rows of ${t.schema}.${t.name}`);
        if (line.value === '\\.') break;
        batch.push(line.value);
        size += line.value.length;
        if (size > 256 * 1024) {
          await write(sink, `${batch.join('\n')}\n`);
          batch = [];
          size = 0;
        }
      }
      if (batch.length > 0) await write(sink, `${batch.join('\n')}\n`);
      sink.end();
      await finished(sink);
      if (name === PGBOSS_QUEUE) {
        await client.query(
          `UPDATE ${qualified(t)} q SET (${columns}) = (SELECT ${t.columns.map((c) => `r.${ident(c)}`).join(', ')})
             FROM ${into} r WHERE q.name = r.name`,
        );
      }
    }
    for (const s of header.sequences) {
      await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [qualified(s), s.lastValue, s.isCalled]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await lines.return(undefined);
  }
}

/** pg-boss's schema as the installed pg-boss makes it (its version was checked against the backup's first). */
async function createPgBossSchema(client: Client): Promise<void> {
  await client.query(PgBoss.getConstructionPlans('pgboss'));
}

/** The job queue's schema version that the installed pg-boss makes (its construction plan inserts it). */
export function installedPgBossVersion(): number {
  const match = /\.version\(version\) VALUES \('(\d+)'\)/.exec(PgBoss.getConstructionPlans('pgboss'));
  if (!match) throw new Error("could not read the installed pg-boss's schema version");
  return Number(match[1]);
}

function logicalLines(file: string): AsyncIterator<string> & { return(value: undefined): Promise<unknown> } {
  const input = createReadStream(file).pipe(createGunzip());
  const reader = createInterface({ input, crlfDelay: Infinity });
  const iterator = reader[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    return: async () => {
      reader.close();
      input.destroy();
      return { done: true, value: undefined };
    },
  };
}

async function write(stream: Writable, chunk: string | Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function qualified(t: { schema: string; name: string }): string {
  return `${ident(t.schema)}.${ident(t.name)}`;
}
