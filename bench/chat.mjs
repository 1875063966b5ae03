#!/usr/bin/env node
/**
 * Live chat benchmark and fault test: Haven's /chat namespace against a bare Socket.IO server doing the same fan-out.
 *
 *   npm run build && node bench/chat.mjs
 *
 * One command, bounded (about 4 minutes; a watchdog stops everything at 9), loopback only:
 *  1. creates a database haven_bench_chat_<random> on DATABASE_URL; Haven applies its migrations on start; 1,000
 *     members + 2 senders are inserted with SQL, with sessions, and given access tokens signed like Haven's own
 *     (dist/auth/access-token.js); one open room;
 *  2. fan-out, for each of: Haven on one process (no Redis), the bare server on one process, Haven on two processes
 *     with Redis (streams adapter), the bare server on two processes with the same adapter:
 *       - 1,000 receivers join the room (spread evenly over the processes); after BENCH_SETTLE_MS the heap of each
 *         server process is read after a full GC (idle sockets; the first 50 sockets are the baseline, so one-time
 *         allocations do not count),
 *       - one sender (on the first process) sends 10 messages/s for BENCH_SECONDS, each carrying its send time; every
 *         receiver records the delay to its arrival; after a grace period, missing deliveries count as lost;
 *  3. fault test: two Haven processes whose Redis connections go through a TCP proxy (a child process); 200
 *     receivers, one sender per process at 10 messages/s each (resending with the same clientId until acknowledged);
 *     Redis is cut for 3 s (every connection dropped and refused: Redis stopped, as far as Haven can tell), then,
 *     with BENCH_FAULT_PAUSE=1 (default), made unresponsive for 3 s with `CLIENT PAUSE 3000 ALL` on the real Redis;
 *     afterwards every receiver catches up with `room:join {sinceId}` and its view must equal the stored sequence;
 *  4. prints the figures beside the bare server's, stops everything, drops the database.
 *
 * Knobs: DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), REDIS_URL (redis://127.0.0.1:6379),
 * BENCH_RECEIVERS (1000), BENCH_RATE (10 messages/s), BENCH_SECONDS (20), BENCH_FAULT_RECEIVERS (200),
 * BENCH_FAULT_PAUSE (1; 0 skips the CLIENT PAUSE round, which briefly pauses every client of that Redis),
 * BENCH_SETTLE_MS (12000), BENCH_ONLY (comma list of haven-1,bare-1,haven-2,bare-2,fault), BENCH_KEEP_DB=1,
 * BENCH_DEBUG=1 (print the servers' output and slow acks), BENCH_HAVEN_NODE_ARGS (e.g. "--trace-gc").
 *
 * The pieces: chat/config.mjs (knobs), chat/child-modes.mjs (bare server, Redis proxy, heap probe),
 * chat/servers.mjs, chat/clients.mjs, chat/fan-out.mjs, chat/fault.mjs; bench/lib/ for what the benchmarks share.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from './lib/util.mjs';
import { answerHeapRequests, runBare, runProxy } from './chat/child-modes.mjs';
import { env, HARD_LIMIT_MS, KEEP_DB, log, ONLY, RATE, RECEIVERS, REDIS_URL, ROOM } from './chat/config.mjs';
import { fanOut, printTable } from './chat/fan-out.mjs';
import { faultTest } from './chat/fault.mjs';
import { children, startServers, stopChild } from './chat/servers.mjs';

const require = createRequire(import.meta.url);

async function main() {
  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `haven_bench_chat_${randomBytes(4).toString('hex')}`;
  const benchUrl = new URL(baseUrl);
  benchUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-chat-'));
  const preload = path.join(dataDir, 'heap-ipc.cjs');
  writeFileSync(preload, `(${answerHeapRequests.toString()})();\n`);
  const jwtSecret = randomBytes(36).toString('base64url');
  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'haven-bench-chat-admin' });
  await admin.connect();
  let db;
  let dbCreated = false;
  let cleaning;
  const cleanup = async () => {
    cleaning ??= (async () => {
      await Promise.all([...children].map(stopChild));
      if (db) await db.end().catch(() => undefined);
      if (dbCreated && !KEEP_DB) {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e) => log(`drop: ${e.message}`));
        log(`dropped database ${dbName}`);
      }
      await admin.end().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return cleaning;
  };
  const watchdog = setTimeout(() => {
    log(`hard limit of ${HARD_LIMIT_MS / 60_000} minutes reached: stopping`);
    cleanup().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => cleanup().finally(() => process.exit(130)));
  }
  const wanted = (name) => !ONLY || ONLY.has(name);

  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    dbCreated = true;
    const childEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'development',
      DATABASE_URL: benchUrl.toString(),
      JWT_SECRET: jwtSecret,
      CAPTCHA_SECRET: randomBytes(36).toString('base64url'),
      IP_HASH_SECRET: randomBytes(36).toString('base64url'),
      JOURNAL_SECRET: randomBytes(36).toString('base64url'),
      DATA_DIR: dataDir,
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
    };
    // The first Haven applies the migrations; then the members, their sessions and tokens, and the room.
    const [first] = await startServers('haven', 1, { childEnv, preload });
    db = new pg.Client({ connectionString: benchUrl.toString(), application_name: 'haven-bench-chat' });
    await db.connect();
    const people = RECEIVERS + 2;
    const { rows } = await db.query(
      `WITH u AS (
         INSERT INTO users (username, email, password_hash, display_name, first_approved_at)
         SELECT 'bench_' || g, 'bench_' || g || '@example.org', '!', 'Bench member ' || g, now()
           FROM generate_series(1, $1) g RETURNING id)
       INSERT INTO sessions (user_id, expires_at) SELECT id, now() + interval '1 day' FROM u
       RETURNING id AS sid, user_id::text AS sub`,
      [people],
    );
    const { signAccessToken } = require(path.join(ROOT, 'dist', 'auth', 'access-token.js'));
    const tokens = rows.map((r) => signAccessToken({ sub: r.sub, sid: r.sid }, jwtSecret, 3600).token);
    const senders = tokens.slice(RECEIVERS);
    const [{ id: roomId }] = (
      await db.query(`INSERT INTO chat_rooms (slug, name, kind) VALUES ($1, 'Bench room', 'open') RETURNING id::text`, [
        ROOM,
      ])
    ).rows;
    // As after any bulk load: fresh statistics, so autovacuum does not wake up in the middle of a measurement.
    await db.query('VACUUM ANALYZE');
    log(`${people} members with tokens, room ${ROOM}; ${os.cpus().length} cores, Node ${process.version}`);

    const results = [];
    const measure = async (name, label, make) => {
      if (!wanted(name)) return;
      const servers = await make();
      try {
        log(`${label}: measuring`);
        const r = await fanOut(label, servers, tokens.slice(0, RECEIVERS), senders[0]);
        results.push(r);
        log(`${label}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, lost ${r.lost}`);
      } finally {
        await Promise.all(servers.map((s) => stopChild(s.proc)));
      }
    };
    await measure('haven-1', 'Haven', async () => [first]);
    await stopChild(first.proc);
    await measure('bare-1', 'bare Socket.IO', () => startServers('bare', 1, { childEnv }));
    await measure('haven-2', 'Haven + Redis', () =>
      startServers('haven', 2, { childEnv, redisUrl: REDIS_URL, preload }),
    );
    await measure('bare-2', 'bare Socket.IO + Redis', () => startServers('bare', 2, { childEnv, redisUrl: REDIS_URL }));
    if (results.length > 0) printTable(results);

    if (wanted('fault')) {
      log('fault test: two Haven processes, Redis through a TCP proxy');
      const f = await faultTest({ childEnv, preload, tokens, senders, db, roomId });
      console.log('');
      console.log(`Fault test: ${f.receivers} receivers on 2 processes, 2 senders at ${RATE} messages/s each`);
      for (const r of f.rounds) {
        console.log(
          `  - ${r.name}: ${r.reconnected} receivers cut off and reconnected to the other process; ` +
            `their catch-up joins returned ${r.caughtUp} missed messages`,
        );
      }
      console.log(
        `  stored ${f.stored} messages; sends resent ${f.retries} times after ${f.errors} refusals or timeouts (same clientId)`,
      );
      console.log(
        `  receivers that stayed connected (${f.stayed}): live deliveries missed ${f.missedLive}; ` +
          `live duplicates (all receivers) ${f.duplicatesLive}; final catch-up returned ${f.finalCatchUp}`,
      );
      console.log(
        `  after catch-up with sinceId, views equal to the stored sequence: ${f.equal} of ${f.receivers} ${f.equal === f.receivers ? '(all)' : '(NOT ALL)'}`,
      );
    }
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

if (process.argv.includes('--bare')) runBare();
else if (process.argv.includes('--proxy')) runProxy();
else
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err?.stack ?? err);
      process.exit(1);
    },
  );
