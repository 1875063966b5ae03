/** The forum benchmark's processes: Haven and the bare server on free loopback ports, the migrations CLI, dist/. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createChildren, waitForHealth } from '../lib/children.mjs';
import { freePort, ROOT } from '../lib/util.mjs';
import { env, log } from './config.mjs';

export const { children, startChild, stopChild, runToEnd } = createChildren({
  log,
  tail: 3000,
  expectedExits: ['migrations'],
});

/** The bare server runs as `node bench/forum.mjs --bare`. */
const FORUM_ENTRY = path.join(ROOT, 'bench', 'forum.mjs');

export function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function startServers(dbUrl, childEnv, label) {
  const [havenPort, barePort] = await Promise.all([freePort(), freePort()]);
  const havenArgs = [...(env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean), 'dist/main.js'];
  const common = { ...childEnv, DATABASE_URL: dbUrl };
  const havenProc = startChild('haven', label ? ['dist/main.js'] : havenArgs, { ...common, PORT: String(havenPort) });
  const bareProc = startChild('bare', [FORUM_ENTRY, '--bare'], {
    ...common,
    PORT: String(barePort),
  });
  const haven = { name: 'Haven', base: `http://127.0.0.1:${havenPort}`, proc: havenProc, appName: 'haven' };
  const bare = { name: 'bare', base: `http://127.0.0.1:${barePort}`, proc: bareProc, appName: 'haven-bench-bare' };
  const t = Date.now();
  await Promise.all([waitForHealth(haven.base, havenProc, 60_000), waitForHealth(bare.base, bareProc, 30_000)]);
  log(
    `Haven (pid ${havenProc.pid}) and bare (pid ${bareProc.pid}) are up${label ? ` ${label}` : ''} in ${Date.now() - t} ms`,
  );
  return { haven, bare };
}

export function staleDist() {
  const main = path.join(ROOT, 'dist', 'main.js');
  if (!existsSync(main)) return 'dist/main.js is missing: run `npm run build` first';
  const built = statSync(main).mtimeMs;
  const newer = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts') && !f.endsWith('.spec.ts') && statSync(f).mtimeMs > built) newer.push(f);
    }
  };
  walk(path.join(ROOT, 'src'));
  walk(path.join(ROOT, 'migrations'));
  return newer.length
    ? `dist/ is older than ${newer.length} source file(s), e.g. ${path.relative(ROOT, newer[0])}`
    : '';
}
