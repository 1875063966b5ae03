import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app';
import { EmbeddedMajorMismatchError } from './database/embedded-major';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres';
import { SchemaNewerThanCodeError } from './database/migrate';

/**
 * Start-up: validate the environment, find a database (DATABASE_URL, else the embedded one under DATA_DIR),
 * build the app (migrations run as the data source opens), listen. SIGTERM/SIGINT close HTTP and sockets, then the
 * pool and Redis (Nest's shutdown hooks), then the embedded database; no process stays behind.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    console.log(`DATABASE_URL is not set: starting an embedded PostgreSQL under ${config.dataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, shareRunning: false });
  }
  const stopEmbedded = () => embedded?.stop() ?? Promise.resolve();

  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, embedded?.url ?? config.databaseUrl!);
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (err) {
    await stopEmbedded();
    throw err;
  }
  console.log(`Haven is listening on http://${config.http.host}:${config.http.port} (API docs at /api/docs)`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing Haven`);
    const force = setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    app
      .close()
      .catch((err: Error) => console.error(`closing the app: ${err.message}`))
      .then(stopEmbedded)
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof SchemaNewerThanCodeError || err instanceof EmbeddedMajorMismatchError) {
    console.error(`Haven refuses to start: ${err.message}`);
    process.exit(1);
  }
  console.error(err instanceof ConfigError ? err.message : `Haven could not start: ${(err as Error)?.stack ?? err}`);
  process.exit(1);
});
