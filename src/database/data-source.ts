import path from 'node:path';
import type { DataSourceOptions } from 'typeorm';

/** Under ts-jest the sources run as .ts; built, everything is .js under dist/. */
const compiled = __filename.endsWith('.js');
const srcRoot = path.join(__dirname, '..');
const migrationsDir = compiled ? path.join(srcRoot, 'migrations') : path.join(srcRoot, '..', 'migrations');

/** The one set of TypeORM options, shared by the app, the tests and the TypeORM CLI. Never `synchronize`. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [path.join(srcRoot, '**', `*.entity.${compiled ? 'js' : 'ts'}`)],
    migrations: [path.join(migrationsDir, `*.${compiled ? 'js' : 'ts'}`)],
    migrationsTableName: 'migrations',
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    // One transaction per migration, for the TypeORM CLI too (`migration:run`): a failing migration rolls back
    // whole and leaves the schema at the last one that completed.
    migrationsTransactionMode: 'each',
    // TypeORM's own error log prints query parameters (password hashes, emails): errors are logged by the
    // exception filter instead, without them.
    logging: false,
    extra: {
      max: 20,
      // Keep idle connections for a minute: closing dozens at once after a burst (1,000 chat joins) stalled every
      // query for a moment when pg's default of 10 s expired (seen in bench/chat.mjs).
      idleTimeoutMillis: 60_000,
      connectionTimeoutMillis: 5000,
      // A statement that runs this long is a bug or an attack; the request fails instead of holding a connection.
      statement_timeout: 15000,
      application_name: 'haven',
    },
  };
}

/** Migrations from several processes starting at once take turns behind one advisory lock. */
export const MIGRATION_LOCK_KEY = 7_361_042;
