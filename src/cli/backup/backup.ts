import { spawn } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source';
import { findClientTool, missingToolMessage, type FoundTool } from './client-tools';
import {
  installedPgBossVersion,
  LOGICAL_MAGIC,
  loadLogicalBackup,
  readLogicalHeader,
  writeLogicalBackup,
} from './logical-backup';

/** Where the CLI reports: one line per outcome, never a secret, a connection string or anything members wrote. */
export type Out = Pick<Console, 'log' | 'error'>;

export interface Target {
  url: string;
  /** The embedded PostgreSQL: its package ships no pg_dump, so Haven's own format is the fallback. */
  embedded: boolean;
  /** Folders to search for client tools besides the usual ones (the embedded package's binaries). */
  toolDirs: string[];
}

/** A refusal the operator can act on: printed as it is, exit status 1. */
export class BackupRefusal extends Error {}

const PG_DUMP_MAGIC = 'PGDMP';

/**
 * `backup [--logical] <file>`: pg_dump's custom format with a pg_dump of the server's major version (one snapshot,
 * while Haven runs); Haven's own logical format when asked, or for the embedded database when no such pg_dump is
 * found. Written beside the target and renamed into place once complete, mode 0600.
 */
export async function backup(target: Target, args: string[], env: Record<string, string | undefined>, out: Out) {
  const logical = args[0] === '--logical';
  const file = logical ? args[1] : args[0];
  if (existsSync(file))
    throw new BackupRefusal(`${file} already exists: choose a new file name (a backup never overwrites one)`);
  const started = Date.now();
  const partial = `${file}.partial-${process.pid}`;
  let format: string;
  try {
    const client = await connect(target.url);
    try {
      const major = await serverMajor(client);
      const { found, tried } = logical
        ? { found: undefined, tried: [] }
        : await findClientTool('pg_dump', major, env, target.toolDirs);
      if (found) {
        await runTool(found, ['--format=custom', '--no-password', `--file=${partial}`], target.url);
        format = `pg_dump custom format (${found.version})`;
      } else if (logical || target.embedded) {
        if (!logical) out.log(`The embedded PostgreSQL ${major} has no pg_dump beside it: writing Haven's own format.`);
        const { tables } = await writeLogicalBackup(client, partial);
        format = `Haven logical format (${tables} tables, PostgreSQL ${major})`;
      } else {
        throw new BackupRefusal(`Backup refused: ${missingToolMessage('pg_dump', major, tried, 'PG_DUMP')}`);
      }
    } finally {
      await client.end();
    }
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  const size = statSync(file).size;
  out.log(
    `Backup written to ${file}: ${format}, ${formatSize(size)}, ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  out.log('Keep the secrets with it (DATA_DIR/secrets.json or the secret variables): see docs/backup-and-upgrade.md.');
}

/**
 * `restore <file>`: into an empty database only. pg_dump's format goes through a pg_restore of the server's major
 * version in a single transaction; Haven's format runs the migrations it lists, then loads the rows in one
 * transaction.
 */
export async function restore(target: Target, args: string[], env: Record<string, string | undefined>, out: Out) {
  const file = args[0];
  if (!existsSync(file)) throw new BackupRefusal(`${file} does not exist`);
  const magic = readStart(file);
  const started = Date.now();
  const client = await connect(target.url);
  try {
    const tables = await tablesIn(client);
    if (tables > 0) {
      throw new BackupRefusal(
        `Restore refused: the database is not empty (it has ${tables} tables). A restore goes only into an empty ` +
          'database, so that nothing of it is mixed with the backup: create a new database (createdb, or CREATE ' +
          'DATABASE) and point DATABASE_URL to it, or, for the embedded database, use a new DATA_DIR.',
      );
    }
    if (magic.startsWith(PG_DUMP_MAGIC)) {
      const major = await serverMajor(client);
      const { found, tried } = await findClientTool('pg_restore', major, env, target.toolDirs);
      if (!found)
        throw new BackupRefusal(`Restore refused: ${missingToolMessage('pg_restore', major, tried, 'PG_RESTORE')}`);
      await runTool(
        found,
        ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--no-password', file],
        target.url,
        true,
      );
      out.log(`Restored ${file} with ${found.version} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    } else if (magic.startsWith(LOGICAL_MAGIC)) {
      const header = await readLogicalHeader(file);
      if (header.pgBossVersion !== null && header.pgBossVersion !== installedPgBossVersion()) {
        throw new BackupRefusal(
          `Restore refused: the backup's job queue schema is version ${header.pgBossVersion}, this release's is ` +
            `${installedPgBossVersion()}: restore with the release that wrote the backup, then upgrade.`,
        );
      }
      await runListedMigrations(target.url, header.migrations);
      await loadLogicalBackup(client, file, header);
      out.log(
        `Restored ${file} (Haven logical format, ${header.tables.length} tables, written ${header.createdAt}) in ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
    } else {
      throw new BackupRefusal(`${file} is neither a pg_dump custom-format file nor a Haven backup`);
    }
  } finally {
    await client.end();
  }
  out.log('Start Haven with the same secrets as the server that was backed up (see docs/backup-and-upgrade.md).');
}

/** The schema exactly as the backup had it: the migrations it lists, which this code must all know. */
async function runListedMigrations(url: string, names: string[]): Promise<void> {
  const all = new DataSource(dataSourceOptions(url));
  await all.initialize();
  const known = new Map(all.migrations.map((m) => [m.name ?? m.constructor.name, m]));
  await all.destroy();
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new BackupRefusal(
      `Restore refused: the backup was written by a newer release (its schema has migrations this code does not ` +
        `know: ${unknown.join(', ')}). Restore it with that release or a later one.`,
    );
  }
  const listed = names.map((n) => known.get(n)!.constructor as new () => MigrationInterface);
  const some = new DataSource({ ...dataSourceOptions(url), migrations: listed });
  await some.initialize();
  try {
    await some.runMigrations({ transaction: 'each' });
  } finally {
    await some.destroy();
  }
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'haven-backup' });
  await client.connect();
  return client;
}

async function serverMajor(client: Client): Promise<number> {
  const [{ server_version_num: n }] = (await client.query<{ server_version_num: string }>('SHOW server_version_num'))
    .rows;
  return Math.floor(Number(n) / 10000);
}

/** Tables, views, sequences in any schema but PostgreSQL's own: an empty database has none. */
async function tablesIn(client: Client): Promise<number> {
  const [{ n }] = (
    await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg\\_toast%'
          AND s.nspname NOT LIKE 'pg\\_temp\\_%'`,
    )
  ).rows;
  return n;
}

/**
 * Runs pg_dump or pg_restore with the connection in PG* variables: the password never appears in its arguments
 * (which other users of the machine can read) nor in anything printed. Its own messages name objects, not rows.
 */
function runTool(tool: FoundTool, args: string[], url: string, restoring = false): Promise<void> {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.slice(1)) || 'postgres';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PGHOST: u.hostname.replace(/^\[|\]$/g, ''),
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username) || 'postgres',
    PGDATABASE: database,
    PGAPPNAME: 'haven-backup',
  };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  const fullArgs = restoring ? [`--dbname=${database}`, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, fullArgs, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new BackupRefusal(`${tool.path} failed (exit ${code}): ${errors.trim()}`)),
    );
  });
}

function readStart(file: string): string {
  const buffer = Buffer.alloc(64);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buffer, 0, 64, 0);
    const head = buffer.subarray(0, n);
    // Haven's format is gzip: its first line is read through gunzip by readLogicalHeader.
    if (head[0] === 0x1f && head[1] === 0x8b) return LOGICAL_MAGIC;
    return head.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
