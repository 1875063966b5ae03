// A Haven server in a process of its own, for tests that must kill one outright (SIGKILL): started by
// `startServerProcess` with `node -r ts-node/register/transpile-only`, configured by its environment like the real
// one, it prints `listening <port>` once it serves.
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const app = await createApp(config, config.databaseUrl);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`listening ${address.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
