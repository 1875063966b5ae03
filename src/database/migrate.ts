import type { DataSource } from 'typeorm';
import { MIGRATION_LOCK_KEY } from './data-source';

/**
 * The database holds migrations this code does not know: the code was rolled back after a newer release migrated
 * the schema. Serving then would write rows the newer schema's rules were never checked against, and a later
 * `migration:revert` from this code could not undo migrations it has no file for: refuse, and say what to do.
 */
export class SchemaNewerThanCodeError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `the database schema is newer than this code: it holds ${unknown.length === 1 ? 'a migration' : 'migrations'} ` +
        `this code does not know (${unknown.join(', ')}). This happens when the code is rolled back after a newer ` +
        'release migrated the database. Haven refuses to serve rather than run old code on a newer schema. Either ' +
        'run the newer release again (the one that brought these migrations), or, from that newer release, revert ' +
        'its migrations one by one (`npm run migration:revert`, once per migration listed) and then start this ' +
        'release; or restore the backup taken before the upgrade into an empty database.',
    );
    this.name = 'SchemaNewerThanCodeError';
  }
}

/** Names of applied migrations (the `migrations` table) that the code's migration files do not include. */
export async function unknownAppliedMigrations(dataSource: DataSource): Promise<string[]> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [{ exists }] = (await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table])) as {
    exists: boolean;
  }[];
  if (!exists) return [];
  const applied = (await dataSource.query(`SELECT name FROM "${table}" ORDER BY id`)) as { name: string }[];
  const known = new Set(dataSource.migrations.map((m) => m.name ?? m.constructor.name));
  return applied.map((r) => r.name).filter((name) => !known.has(name));
}

/** Refuses a schema newer than the code (see SchemaNewerThanCodeError); checked at every start. */
export async function assertSchemaNotNewer(dataSource: DataSource): Promise<void> {
  const unknown = await unknownAppliedMigrations(dataSource);
  if (unknown.length > 0) throw new SchemaNewerThanCodeError(unknown);
}

/**
 * Applies pending migrations, one transaction each, while holding an advisory lock (safe with many processes). A
 * migration that fails rolls back whole: the schema is left at the last migration that completed, never half-way.
 * A schema newer than the code is refused before anything runs.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await assertSchemaNotNewer(dataSource);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
