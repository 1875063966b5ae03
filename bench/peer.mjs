#!/usr/bin/env node
/**
 * Peer benchmark (issue 16, item 7): Haven against an INDEPENDENT bare server (peer/bare-server.mjs, `node:http` +
 * `pg`, written from the public API description, the JSON Haven answers and the schema, never from Haven's code), in
 * one run, interleaved rounds.
 *
 *   npm run bench:peer        (= npm run build && node bench/peer.mjs)
 *
 * One command, bounded, loopback only:
 *  1. creates a fresh database haven_bench_peer_<random> on DATABASE_URL, runs Haven's migrations (TypeORM CLI over
 *     dist/) and seeds the forum benchmark's forum (forum/seed.mjs: 1,000 members, 10 categories, 5,000 threads,
 *     100,000 posts, one thread of exactly 5,000 posts, reactions, subscriptions, consistent counters);
 *  2. starts Haven (`node dist/main.js`: rate limits and load shedding off, NODE_ENV=test so that pages use their
 *     cached templates as in production) and the bare server (`node bench/peer.mjs --bare`), both with a pool of 20;
 *  3. signs 50 members in through Haven's API (argon2id) and one through the sign-in form (a session cookie); the
 *     bare server checks the same JWTs itself (HS256, the JWT_SECRET this script sets);
 *  4. checks that both answer the measured GETs with identical JSON, as a guest and as a member (exit 2 with a diff
 *     otherwise), and that a reply works on both; counts each route's statements and database round trips per request
 *     (both servers run behind a counting proxy, peer/round-trips.mjs, for this step, then are restarted directly);
 *  5. measures with autocannon, interleaved rounds: category thread list, thread page 1 and the deep page (the last
 *     page of the 5,000-post thread, by Haven's cursor) as a member (BENCH_AS=guest: as a guest), a reply
 *     (POST /api/threads/:id/posts, 50 members in turn) against the bare server's transaction doing the same writes,
 *     and Haven's SSR thread page for a member against Haven's JSON route for the same page;
 *  6. prints per route req/s, p50/p99, CPU µs per request (node + PostgreSQL backends, /proc), the ratios and
 *     PASS/FAIL against the goals (reads >= 0.85x and p99 <= 1.3x; reply >= 0.75x; SSR <= 1.2x its JSON route);
 *     stops both servers and drops the database. Exit 0 all PASS, 1 a FAIL, 2 the run broke (or the JSON differs).
 *
 * Knobs (environment): DATABASE_URL, BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (20), BENCH_AS (member | guest), BENCH_ONLY (comma list of list,page1,deep,reply,ssr),
 * BENCH_KEEP_DB=1, BENCH_HAVEN_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 *
 * The pieces: peer/config.mjs, peer/bare-server.mjs, peer/routes.mjs, peer/check.mjs, peer/round-trips.mjs,
 * peer/measure.mjs, peer/report.mjs; forum/seed.mjs and forum/measure.mjs's autocannon runner; bench/lib/ for what benchmarks share.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createChildren, waitForHealth } from './lib/children.mjs';
import { freePort, ROOT } from './lib/util.mjs';
import { LOGIN_MEMBERS, PASSWORD } from './forum/config.mjs';
import { checkSeed, seed } from './forum/seed.mjs';
import { staleDist } from './forum/servers.mjs';
import { CheckFailed, checkSame } from './peer/check.mjs';
import { env, HARD_LIMIT_MS, KEEP_DB, log } from './peer/config.mjs';
import { countRoundTrips, runRounds } from './peer/measure.mjs';
import { report } from './peer/report.mjs';
import { startRoundTripCounter } from './peer/round-trips.mjs';
import { peerRoutes } from './peer/routes.mjs';

const { children, startChild, stopChild, runToEnd } = createChildren({
  log,
  tail: 3000,
  expectedExits: ['migrations'],
});

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function startServers(childEnv) {
  const [havenPort, barePort] = await Promise.all([freePort(), freePort()]);
  const havenArgs = [...(env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean), 'dist/main.js'];
  const havenProc = startChild('haven', havenArgs, { ...childEnv, PORT: String(havenPort) });
  const bareProc = startChild('bare', [path.join(ROOT, 'bench', 'peer.mjs'), '--bare'], {
    PATH: childEnv.PATH,
    DATABASE_URL: childEnv.DATABASE_URL,
    JWT_SECRET: childEnv.JWT_SECRET,
    PORT: String(barePort),
  });
  const haven = {
    name: 'Haven',
    base: `http://127.0.0.1:${havenPort}`,
    proc: havenProc,
    appName: 'haven',
    moreAppNames: ['haven-jobs'],
  };
  const bare = { name: 'bare', base: `http://127.0.0.1:${barePort}`, proc: bareProc, appName: 'haven-bench-peer-bare' };
  await Promise.all([waitForHealth(haven.base, havenProc, 60_000), waitForHealth(bare.base, bareProc, 30_000)]);
  log(`Haven (pid ${havenProc.pid}) and bare (pid ${bareProc.pid}) are up`);
  return { haven, bare };
}

async function apiLogin(base, login) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** A browser's sign-in through the page form (with its CSRF token): the cookies a signed-in browser sends. */
async function browserLogin(base, login) {
  const cookiesOf = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const form = await fetch(`${base}/signin`);
  const visitor = cookiesOf(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error('the sign-in form has no CSRF token');
  const res = await fetch(`${base}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor.join('; ') },
    body: new globalThis.URLSearchParams({ login, password: PASSWORD, _csrf: csrf, next: '/' }).toString(),
  });
  const session = cookiesOf(res).find((c) => c.startsWith('haven_session='));
  if (res.status !== 303 || !session) throw new Error(`browser sign-in answered ${res.status} with no session`);
  return [...visitor, session].join('; ');
}

async function main() {
  const stale = staleDist();
  if (stale) {
    if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error(stale);
    log(`WARNING: ${stale}; the benchmark measures dist/ as it is (run \`npm run build\`).`);
  }
  const [{ default: autocannon }, { hash }] = await Promise.all([import('autocannon'), import('@node-rs/argon2')]);
  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `haven_bench_peer_${randomBytes(5).toString('hex')}`;
  const benchUrl = withDatabase(baseUrl, dbName);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-peer-'));
  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'haven-bench-admin' });
  await admin.connect();
  let db;
  let dbCreated = false;
  let closeCounter = () => undefined;
  let cleaning;
  const cleanup = async () => {
    cleaning ??= (async () => {
      await Promise.all([...children].map(stopChild));
      closeCounter();
      if (db) await db.end().catch(() => undefined);
      if (dbCreated && !KEEP_DB) {
        await admin
          .query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
          .catch((e) => log(`drop failed: ${e.message}`));
        log(`dropped database ${dbName}`);
      } else if (dbCreated) log(`kept database ${dbName} (BENCH_KEEP_DB=1): ${benchUrl}`);
      await admin.end().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return cleaning;
  };
  const watchdog = setTimeout(() => {
    log(`hard limit of ${HARD_LIMIT_MS / 60_000} minutes reached: stopping`);
    cleanup().finally(() => process.exit(2));
  }, HARD_LIMIT_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      cleanup().finally(() => process.exit(130));
    });
  }

  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    dbCreated = true;
    log(`created database ${dbName}`);
    const childEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'test',
      DATABASE_URL: benchUrl,
      JWT_SECRET: randomBytes(36).toString('base64url'),
      CAPTCHA_SECRET: randomBytes(36).toString('base64url'),
      IP_HASH_SECRET: randomBytes(36).toString('base64url'),
      JOURNAL_SECRET: randomBytes(36).toString('base64url'),
      DATA_DIR: dataDir,
      RATE_LIMITS: 'off',
      // Load shedding off: the benchmark drives both servers at 20 connections and wants every answer measured.
      MAX_CONCURRENT_REQUESTS: '0',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      LOG_LEVEL: 'warn',
      MIGRATIONS_RUN: 'false',
      HOST: '127.0.0.1',
    };
    await runToEnd(
      'migrations',
      [path.join(ROOT, 'node_modules', 'typeorm', 'cli.js'), '-d', 'dist/database/cli-data-source.js', 'migration:run'],
      childEnv,
      60_000,
    );
    db = new pg.Client({ connectionString: benchUrl, application_name: 'haven-bench-seed' });
    await db.connect();
    log(`migrations: ${(await db.query(`SELECT count(*)::int AS n FROM migrations`)).rows[0].n} applied`);
    const seedStart = Date.now();
    await seed(db, await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }));
    await checkSeed(db);
    log(`seeding took ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    // First behind the round-trip counter (for the checks and one counted request per side), then directly.
    const pgTarget = new URL(benchUrl);
    const counter = await startRoundTripCounter(pgTarget.hostname, Number(pgTarget.port || 5432));
    closeCounter = counter.close;
    const countedUrl = new URL(benchUrl);
    countedUrl.hostname = '127.0.0.1';
    countedUrl.port = String(counter.port);
    const { haven, bare } = await startServers({ ...childEnv, DATABASE_URL: countedUrl.toString() });
    const tokens = [];
    for (let i = 1; i <= LOGIN_MEMBERS; i++) tokens.push(await apiLogin(haven.base, `bench_user_${i}`));
    const cookie = await browserLogin(haven.base, 'bench_user_1');
    log(`signed in ${tokens.length} members through POST /api/auth/login, and bench_user_1 through /signin`);

    const { paths, reply, comparisons } = await peerRoutes({ db, haven, bare, tokens, cookie });
    await checkSame({ haven, bare, paths, token: tokens[0], cookie, reply });
    const trips = await countRoundTrips(comparisons, counter);
    await Promise.all([stopChild(haven.proc), stopChild(bare.proc)]);
    counter.close();
    // The comparisons hold these two objects: the restarted servers take their place.
    const direct = await startServers(childEnv);
    Object.assign(haven, direct.haven);
    Object.assign(bare, direct.bare);

    const loadBefore = os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    const stats = await runRounds({ autocannon, db, dbName, comparisons });
    const loadAfter = os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    const passed = report({ stats, comparisons, trips, load: { before: loadBefore, after: loadAfter } });
    process.exitCode = passed ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

if (process.argv.includes('--bare')) {
  import('./peer/bare-server.mjs')
    .then(({ runBare }) => runBare())
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
} else {
  main()
    .catch((err) => {
      console.error(err instanceof CheckFailed ? `check failed: ${err.message}` : `bench failed: ${err?.stack ?? err}`);
      process.exitCode = 2;
    })
    .finally(() => process.exit(process.exitCode ?? 0));
}
