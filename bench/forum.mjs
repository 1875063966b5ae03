#!/usr/bin/env node
/**
 * Forum benchmark: Haven (Nest + Fastify + TypeORM) against a bare node:http + pg server that runs the same SQL.
 *
 *   npm run build && node bench/forum.mjs
 *
 * One command, bounded, loopback only:
 *  1. creates a fresh database haven_bench_<random> on DATABASE_URL, runs Haven's migrations (TypeORM CLI over
 *     dist/), seeds a forum with set-based SQL (1,000 members, 10 categories x 500 threads, 100,000 posts of ~800
 *     characters, one thread of exactly 5,000 posts, reactions, subscriptions, consistent counters), VACUUM ANALYZE;
 *  2. starts Haven (`node dist/main.js`) and the bare server (this file with `--bare`), both on free loopback ports;
 *  3. signs 50 members in through Haven's API (real argon2id hashes) and uses their access tokens on both servers;
 *  4. checks, through a recording proxy in front of PostgreSQL, that both servers answer the GET routes with identical
 *     JSON and run the same SQL statements per route (create post included, with its after-the-answer work), then
 *     restarts both without the proxy;
 *  5. measures thread list, thread page 1, thread page 250 and create post with autocannon, interleaved in rounds;
 *  6. prints the table, the CPU each request cost (node process and PostgreSQL backends, from /proc, which stays
 *     meaningful when other work on the machine slows both servers), EXPLAIN (ANALYZE, BUFFERS) summaries and the
 *     machine; stops both servers, drops the database. Exit code 0 all PASS, 1 a FAIL (or SQL that differs), 2 the
 *     run broke.
 *
 * Knobs (environment): DATABASE_URL, BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (20), BENCH_KEEP_DB=1 (keep the database, for investigation), BENCH_HAVEN_NODE_ARGS (extra node
 * flags for Haven, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_ONLY (comma list of list,page1,page250,create),
 * BENCH_RATE_LIMITS=on (Haven with its limits on and a request budget too large to refuse anything, to measure what
 * counting costs; the pacing rule then refuses most replies, so leave create out), BENCH_REDIS_URL (Haven counts in
 * this Redis instead of its memory).
 *
 * The pieces: forum/config.mjs (knobs, sizes), forum/seed.mjs, forum/servers.mjs (processes), forum/bare-server.mjs
 * with forum/views.mjs and forum/haven-sql.mjs (the copied SQL), forum/sql-recorder.mjs and forum/check.mjs (same
 * answers, same statements), forum/routes.mjs, forum/measure.mjs, forum/report.mjs; bench/lib/ for what the
 * benchmarks share.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from './lib/util.mjs';
import { checkServers } from './forum/check.mjs';
import { env, HARD_LIMIT_MS, KEEP_DB, LOGIN_MEMBERS, log, PASSWORD } from './forum/config.mjs';
import { runRounds } from './forum/measure.mjs';
import { report } from './forum/report.mjs';
import { forumRoutes } from './forum/routes.mjs';
import { checkSeed, seed } from './forum/seed.mjs';
import { children, runToEnd, startServers, staleDist, stopChild, withDatabase } from './forum/servers.mjs';
import { startSqlRecorder } from './forum/sql-recorder.mjs';

async function main() {
  const stale = staleDist();
  if (stale) {
    if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error(stale);
    log(`WARNING: ${stale}; the benchmark measures dist/ as it is (run \`npm run build\`).`);
  }
  const [{ default: autocannon }, { hash }] = await Promise.all([import('autocannon'), import('@node-rs/argon2')]);

  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `haven_bench_${randomBytes(5).toString('hex')}`;
  const benchUrl = withDatabase(baseUrl, dbName);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-'));
  const jwtSecret = randomBytes(36).toString('base64url');
  const captchaSecret = randomBytes(36).toString('base64url');

  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'haven-bench-admin' });
  await admin.connect();
  let db;
  let dbCreated = false;
  let closeRecorder = () => undefined;
  let cleaning;
  const cleanup = async () => {
    cleaning ??= (async () => {
      await Promise.all([...children].map(stopChild));
      closeRecorder();
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
    cleanup().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      cleanup().finally(() => process.exit(130));
    });
  }

  try {
    // 1. database, migrations, seed
    await admin.query(`CREATE DATABASE ${dbName}`);
    dbCreated = true;
    log(`created database ${dbName}`);
    const childEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'development',
      DATABASE_URL: benchUrl,
      JWT_SECRET: jwtSecret,
      CAPTCHA_SECRET: captchaSecret,
      DATA_DIR: dataDir,
      RATE_LIMITS: env.BENCH_RATE_LIMITS === 'on' ? 'on' : 'off',
      ...(env.BENCH_RATE_LIMITS === 'on' ? { GLOBAL_RATE_LIMIT_PER_MINUTE: '1000000' } : {}),
      ...(env.BENCH_REDIS_URL ? { REDIS_URL: env.BENCH_REDIS_URL } : {}),
      LOG_LEVEL: 'warn',
      MIGRATIONS_RUN: 'false',
      HOST: '127.0.0.1',
    };
    const migrated = await runToEnd(
      'migrations',
      [path.join(ROOT, 'node_modules', 'typeorm', 'cli.js'), '-d', 'dist/database/cli-data-source.js', 'migration:run'],
      childEnv,
      60_000,
    );
    log(`migrations: ${(migrated.match(/Migration \S+ has been executed successfully/g) ?? []).length} applied`);

    db = new pg.Client({ connectionString: benchUrl, application_name: 'haven-bench-seed' });
    await db.connect();
    const seedStart = Date.now();
    const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    await seed(db, passwordHash);
    await checkSeed(db);
    log(`seeding took ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    // 2-3. servers: first through the SQL recorder (to check answers and statements), then directly (to measure)
    const pgTarget = new URL(benchUrl);
    const recorder = await startSqlRecorder(pgTarget.hostname, Number(pgTarget.port || 5432));
    closeRecorder = recorder.close;
    const recordedUrl = new URL(benchUrl);
    recordedUrl.hostname = '127.0.0.1';
    recordedUrl.port = String(recorder.port);
    let { haven, bare } = await startServers(recordedUrl.toString(), childEnv, 'behind the SQL recorder');

    // 4. access tokens through Haven's API (the same tokens work on the bare server: same secret, same sessions)
    const tokens = [];
    for (let i = 1; i <= LOGIN_MEMBERS; i++) {
      const res = await fetch(`${haven.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: `bench_user_${i}`, password: PASSWORD }),
      });
      const body = await res.json();
      if (res.status !== 200 && res.status !== 201)
        throw new Error(`login bench_user_${i}: ${res.status} ${JSON.stringify(body)}`);
      tokens.push(body.accessToken);
    }
    log(`signed in ${tokens.length} members through POST /api/auth/login`);

    const { slug, cursorId, listPath, page1Path, page250Path, routes, postReply } = await forumRoutes(db, tokens);

    // 4b. same answers and the same statements from both servers
    const { sqlProblems, sqlCounts } = await checkServers({
      haven,
      bare,
      recorder,
      listPath,
      page1Path,
      page250Path,
      postReply,
    });

    // Restart both without the recorder for the measurements.
    await Promise.all([stopChild(haven.proc), stopChild(bare.proc)]);
    recorder.close();
    ({ haven, bare } = await startServers(benchUrl, childEnv));

    // 5. warm-up, then interleaved rounds
    const stats = await runRounds({ autocannon, db, dbName, haven, bare, routes });

    // 6. results
    const passed = await report({ stats, routes, haven, bare, db, slug, listPath, cursorId, sqlProblems, sqlCounts });
    // A stale copy of Haven's SQL makes the comparison meaningless: it fails the run like a missed target.
    process.exitCode = passed && sqlProblems.length === 0 ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

if (process.argv.includes('--bare')) {
  import('./forum/bare-server.mjs')
    .then(({ runBare }) => runBare())
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
} else {
  main()
    .catch((err) => {
      console.error(`bench failed: ${err?.stack ?? err}`);
      process.exitCode = 2;
    })
    .finally(() => process.exit(process.exitCode ?? 0));
}
