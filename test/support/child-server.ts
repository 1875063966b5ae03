import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface ChildServer {
  port: number;
  child: ChildProcess;
  /** Kills the process outright, as a crash or the OOM killer would: nothing of it runs after. */
  kill(): Promise<void>;
}

/** Starts test/support/server-process.ts in a process of its own with this environment; resolves once it serves. */
export function startChildServer(env: Record<string, string | undefined>): Promise<ChildServer> {
  const root = path.join(__dirname, '..', '..');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'test/support/server-process.ts'], {
    cwd: root,
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.test.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) {
        resolve({
          port: Number(match[1]),
          child,
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before serving:\n${errors}`)));
  });
}
