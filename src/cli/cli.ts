import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { DomainError } from '../common/errors/domain-error';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { ROLES, type Role } from '../common/auth/role';
import { UsersService } from '../users/users.service';

/**
 * The admin CLI: `npm run cli -- <command> [args]`, with the same environment as the server (DATABASE_URL, or the
 * embedded database under DATA_DIR, shared with a running Haven).
 */
const USAGE = `Usage: npm run cli -- users:set-role <username> <${ROLES.join('|')}>`;

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: Pick<Console, 'log' | 'error'> = console,
): Promise<number> {
  const [command, ...args] = argv;
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
