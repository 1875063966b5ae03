import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export type ClientTool = 'pg_dump' | 'pg_restore';

export interface FoundTool {
  path: string;
  /** What `--version` said, e.g. "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)". */
  version: string;
  major: number;
}

/**
 * PostgreSQL's client tools of the server's major version, looked for in this order: the PG_DUMP / PG_RESTORE
 * variable, Debian's and Ubuntu's `/usr/lib/postgresql/<major>/bin`, extra folders (the embedded package's binaries
 * folder), then every folder on PATH. pg_dump refuses a server newer than itself, and an older server's dump from
 * a newer pg_dump may not restore there: the same major is the one choice that always works.
 */
export async function findClientTool(
  tool: ClientTool,
  major: number,
  env: Record<string, string | undefined>,
  extraDirs: string[] = [],
): Promise<{ found?: FoundTool; tried: FoundTool[] }> {
  const variable = tool === 'pg_dump' ? env.PG_DUMP : env.PG_RESTORE;
  const candidates = variable
    ? [variable]
    : [
        path.join('/usr/lib/postgresql', String(major), 'bin', tool),
        ...extraDirs.map((dir) => path.join(dir, tool)),
        ...(env.PATH ?? '')
          .split(path.delimiter)
          .filter(Boolean)
          .map((dir) => path.join(dir, tool)),
      ];
  const tried: FoundTool[] = [];
  for (const candidate of [...new Set(candidates)]) {
    if (!existsSync(candidate)) continue;
    const version = await versionOf(candidate);
    if (!version) continue;
    const found = { path: candidate, version: version.text, major: version.major };
    if (found.major === major) return { found, tried };
    tried.push(found);
  }
  return { tried };
}

/** The message for an operator whose machine has no client tools of the right major. */
export function missingToolMessage(tool: ClientTool, major: number, tried: FoundTool[], variable: string): string {
  const seen = tried.length > 0 ? ` Found only: ${tried.map((t) => `${t.path} (${t.major})`).join(', ')}.` : '';
  return (
    `no ${tool} of PostgreSQL ${major} (the server's version) was found.${seen} Install PostgreSQL ${major}'s client ` +
    `tools: on Debian or Ubuntu, \`apt-get install postgresql-client-${major}\` (from the PostgreSQL apt ` +
    `repository, apt.postgresql.org, if your release does not have it); in a container, an image with ` +
    `postgresql${major}-client. Or set ${variable} to the path of a ${tool} ${major}. Or use Haven's own format, ` +
    'which needs no client tools: `npm run cli -- backup --logical <file>` (see docs/backup-and-upgrade.md).'
  );
}

function versionOf(file: string): Promise<{ text: string; major: number } | undefined> {
  return new Promise((resolve) => {
    execFile(file, ['--version'], { timeout: 10_000 }, (err, stdout) => {
      const text = String(stdout).trim();
      const match = /\(PostgreSQL\)\s+(\d+)/.exec(text);
      resolve(err || !match ? undefined : { text, major: Number(match[1]) });
    });
  });
}
