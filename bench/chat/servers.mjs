/** The chat benchmark's processes: Haven or bare Socket.IO servers on free ports, asked over IPC. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createChildren, waitForHealth } from '../lib/children.mjs';
import { freePort, ROOT } from '../lib/util.mjs';
import { env, HAVEN_NODE_ARGS, log } from './config.mjs';

export const { children, startChild, stopChild } = createChildren({ log, ipc: true, debug: !!env.BENCH_DEBUG });

/** The bare server and the Redis proxy run as `node bench/chat.mjs --bare` and `--proxy`. */
export const CHAT_ENTRY = path.join(ROOT, 'bench', 'chat.mjs');

export function ask(child, message, answerKey, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${child.label}: no ${answerKey} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (m) => {
      if (m?.[answerKey] === undefined) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m[answerKey]);
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

/** Starts `count` Haven or bare processes on one database and (when redisUrl) one Redis prefix. */
export async function startServers(kind, count, { childEnv, redisUrl, preload }) {
  const prefix = `haven:bench:${randomBytes(4).toString('hex')}:`;
  const servers = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const e = { ...childEnv, PORT: String(port), REDIS_PREFIX: prefix, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
    const proc =
      kind === 'haven'
        ? startChild(`haven-${i + 1}`, [...HAVEN_NODE_ARGS, '--expose-gc', '-r', preload, 'dist/main.js'], e)
        : startChild(`bare-${i + 1}`, ['--expose-gc', CHAT_ENTRY, '--bare'], e);
    servers.push({ proc, base: `http://127.0.0.1:${port}` });
  }
  await Promise.all(servers.map((s) => waitForHealth(s.base, s.proc)));
  return servers;
}

export const heapOf = (server) => ask(server.proc, { heap: true }, 'heapUsed');
