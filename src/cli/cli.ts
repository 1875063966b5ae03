import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { DomainError } from '../common/errors/domain-error';
import { embeddedBinariesDir, startEmbeddedPostgres } from '../database/embedded-postgres';
import { ROLES, type Role } from '../common/auth/role';
import { UsersService } from '../users/users.service';
import { backup, BackupRefusal, restore } from './backup/backup';

/**
 * The admin CLI: `npm run cli -- <command> [args]`, with the same environment as the server (DATABASE_URL, or the
 * embedded database under DATA_DIR, shared with a running Haven).
 */
const USAGE = [
  `Usage: npm run cli -- users:set-role <username> <${ROLES.join('|')}>`,
  '       npm run cli -- backup [--logical] <file>',
  '       npm run cli -- restore <file>',
].join('\n');

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: Pick<Console, 'log' | 'error'> = console,
): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'backup' || command === 'restore') return backupCommand(command, args, env, out);
  if (command !== 'users:set-role' || args.length !== 2 || !(ROLES as readonly string[]).includes(args[1])) {
    out.error(USAGE);
    return 2;
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...env });
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, shareRunning: true });
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, embedded?.url ?? config.databaseUrl!),
    { logger: ['error', 'warn'] },
  );
  try {
    const user = await app.get(UsersService).setRole(args[0], args[1] as Role, 'cli');
    out.log(`${user.username} is now ${user.role}`);
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      out.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

/**
 * `backup [--logical] <file>` and `restore <file>` (src/cli/backup): straight on the database, without starting
 * Haven (a restore must find the database empty, before any migration runs). Exit 1 for a refusal, 2 for usage.
 */
async function backupCommand(
  command: 'backup' | 'restore',
  args: string[],
  env: Record<string, string | undefined>,
  out: Pick<Console, 'log' | 'error'>,
): Promise<number> {
  const wanted = command === 'backup' && args[0] === '--logical' ? 2 : 1;
  if (args.length !== wanted || args[args.length - 1].startsWith('-')) {
    out.error(USAGE);
    return 2;
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...env });
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, shareRunning: true });
  const target = {
    url: embedded?.url ?? config.databaseUrl!,
    embedded: embedded !== undefined,
    toolDirs: embedded ? [await embeddedBinariesDir()] : [],
  };
  try {
    await (command === 'backup' ? backup : restore)(target, args, env, out);
    return 0;
  } catch (err) {
    if (err instanceof BackupRefusal) {
      out.error(err.message);
      return 1;
    }
    out.error(`${command} failed: ${describeFailure(err)}`);
    if (command === 'restore') out.error('Drop the database and create it again (empty) before another try.');
    return 1;
  } finally {
    await embedded?.stop();
  }
}

/**
 * PostgreSQL's messages may quote a value (a COPY row that does not fit): name the error by its code and the object
 * it concerns only, so that nothing members wrote reaches the terminal or a cron mail.
 */
function describeFailure(err: unknown): string {
  const e = err as { code?: unknown; severity?: unknown; table?: string; column?: string; constraint?: string };
  if (typeof e?.code === 'string' && typeof e.severity === 'string') {
    const where = [e.table, e.column, e.constraint].filter(Boolean).join(', ');
    return `PostgreSQL error ${e.code}${where ? ` (${where})` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}
