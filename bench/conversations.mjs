#!/usr/bin/env node
/**
 * Conversations benchmark: Haven (Nest + Fastify) against a bare node:http + pg server running the same SQL.
 *
 *   npm run bench:conversations        (builds first; or `npm run build && node bench/conversations.mjs`)
 *
 * One command, bounded, loopback only:
 *  1. creates a fresh database haven_bench_<random> on DATABASE_URL, runs Haven's migrations, seeds 2,000 members and
 *     6,060 conversations (member 1 is in 60, the first holding exactly 1,000 messages; 61,500 messages in all),
 *     VACUUM ANALYZE;
 *  2. starts Haven (`node dist/main.js`) and the bare server (this file with `--bare`) on free loopback ports, and
 *     signs member 1 in through Haven's API (the same token works on both: same secret, same session row);
 *  3. checks, through a recording proxy in front of PostgreSQL, that both servers answer every measured route with
 *     identical JSON and run the same SQL statements for it, then restarts both without the proxy;
 *  4. measures, in interleaved rounds (the order of the servers flips each round): member 1's conversation list
 *     (`GET /api/conversations?limit=20`), the 1,000-message conversation's latest page and a page from its middle
 *     (`GET /api/conversations/1/messages?limit=50[&before=<id>]`);
 *  5. prints req/s, p50/p99 and the ratio (goal >= 0.8x), CPU per request, EXPLAIN (ANALYZE, BUFFERS) of the two
 *     statements; stops both servers and drops the database. Exit code 0 all PASS, 1 a FAIL, 2 the run broke.
 *
 * Knobs (environment): DATABASE_URL, BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (20), BENCH_KEEP_DB=1, BENCH_HAVEN_NODE_ARGS (extra node flags for the measured Haven, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_BARE_PREPARED=1 (the bare server prepares the statements too, as
 * Haven does; by default it sends them unnamed, as `pool.query(text, values)` does, and PostgreSQL plans each call).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createChildren, waitForHealth } from './lib/children.mjs';
import { fmt, freePort, percentile, ROOT, sleep, table } from './lib/util.mjs';
import { CONNECTIONS, ROUNDS, SECONDS, WARMUP_SECONDS } from './forum/config.mjs';
import { explain, runRounds } from './forum/measure.mjs';
import { staleDist, withDatabase } from './forum/servers.mjs';
import { normalizeSql, sqlDiff, startSqlRecorder } from './forum/sql-recorder.mjs';
import { BIG_MESSAGES, env, HARD_LIMIT_MS, KEEP_DB, log, PASSWORD } from './conversations/config.mjs';
import { checkSeed, seed } from './conversations/seed.mjs';

const ENTRY = path.join(ROOT, 'bench', 'conversations.mjs');
const GOAL = 0.8;
const { children, startChild, stopChild, runToEnd } = createChildren({
  log,
  tail: 3000,
  expectedExits: ['migrations'],
});

async function startServers(dbUrl, childEnv, measured = false) {
  const [havenPort, barePort] = await Promise.all([freePort(), freePort()]);
  const common = { ...childEnv, DATABASE_URL: dbUrl };
  const nodeArgs = measured ? (env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean) : [];
  const havenProc = startChild('haven', [...nodeArgs, 'dist/main.js'], { ...common, PORT: String(havenPort) });
  const bareProc = startChild('bare', [ENTRY, '--bare'], {
    ...common,
    PORT: String(barePort),
    ...(env.BENCH_BARE_PREPARED === '1' ? { BENCH_BARE_PREPARED: '1' } : {}),
  });
  const haven = { name: 'Haven', base: `http://127.0.0.1:${havenPort}`, proc: havenProc, appName: 'haven' };
  const bare = { name: 'bare', base: `http://127.0.0.1:${barePort}`, proc: bareProc, appName: 'haven-bench-bare' };
  await Promise.all([waitForHealth(haven.base, havenProc, 60_000), waitForHealth(bare.base, bareProc, 30_000)]);
  log(`Haven (pid ${havenProc.pid}) and bare (pid ${bareProc.pid}) are up`);
  return { haven, bare };
}

async function main() {
  const stale = staleDist();
  if (stale) {
    if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error(stale);
    log(`WARNING: ${stale}; the benchmark measures dist/ as it is (run \`npm run build\`).`);
  }
  const [{ default: autocannon }, { hash }] = await Promise.all([import('autocannon'), import('@node-rs/argon2')]);
  const { HISTORY, LIST } = await import('./conversations/haven-sql.mjs');

  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `haven_bench_${randomBytes(5).toString('hex')}`;
  const benchUrl = withDatabase(baseUrl, dbName);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-'));
  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'haven-bench-admin' });
  await admin.connect();
  let db;
  let dbCreated = false;
  let sqlDiffers = false;
  let closeRecorder = () => undefined;
  let cleaning;
  const cleanup = async () => {
    cleaning ??= (async () => {
      await Promise.all([...children].map(stopChild));
      closeRecorder();
      if (db) await db.end().catch(() => undefined);
      if (dbCreated && !KEEP_DB) {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e) => log(`drop: ${e.message}`));
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
    process.on(signal, () => cleanup().finally(() => process.exit(130)));
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
      JWT_SECRET: randomBytes(36).toString('base64url'),
      CAPTCHA_SECRET: randomBytes(36).toString('base64url'),
      DATA_DIR: dataDir,
      RATE_LIMITS: 'off',
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
    const t = Date.now();
    await seed(db, await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }));
    await checkSeed(db);
    log(`seeding took ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // 2. servers behind the statement recorder, a token for member 1 (the same token works on both)
    const pgTarget = new URL(benchUrl);
    const recorder = await startSqlRecorder(pgTarget.hostname, Number(pgTarget.port || 5432));
    closeRecorder = recorder.close;
    const recordedUrl = new URL(benchUrl);
    recordedUrl.hostname = '127.0.0.1';
    recordedUrl.port = String(recorder.port);
    let { haven, bare } = await startServers(recordedUrl.toString(), childEnv);
    const login = await fetch(`${haven.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'bench_user_1', password: PASSWORD }),
    });
    const { accessToken } = await login.json();
    if (!accessToken) throw new Error(`login answered ${login.status}`);
    const headers = { authorization: `Bearer ${accessToken}` };

    // The id just after the 500th message: "before" it is the page of messages 451-500 (the middle).
    const {
      rows: [{ id: middle }],
    } = await db.query(`SELECT id FROM conversation_messages WHERE conversation_id = 1 ORDER BY id OFFSET 500 LIMIT 1`);
    const routes = [
      { key: 'list', label: 'conversation list (20)', path: '/api/conversations?limit=20' },
      {
        key: 'latest',
        label: `${BIG_MESSAGES}-message conversation, latest 50`,
        path: '/api/conversations/1/messages?limit=50',
      },
      {
        key: 'middle',
        label: `${BIG_MESSAGES}-message conversation, middle 50`,
        path: `/api/conversations/1/messages?limit=50&before=${middle}`,
      },
    ].map((r) => ({ ...r, options: () => ({ requests: [{ method: 'GET', path: r.path, headers }] }) }));

    // 3. the same answers and the same statements from both servers, then both restarted without the recorder
    const statements = {};
    for (const r of routes) {
      const call = async (s) => {
        const res = await fetch(`${s.base}${r.path}`, { headers });
        return { status: res.status, body: await res.text() };
      };
      const recorded = async (s) => {
        await call(s); // warms the pool and any first use
        await sleep(100);
        recorder.take();
        const answer = await call(s);
        await sleep(100);
        const sql = recorder
          .take()
          .filter((x) => x.app === s.appName)
          .map((x) => normalizeSql(x.sql));
        return { ...answer, sql };
      };
      const h = await recorded(haven);
      const b = await recorded(bare);
      if (h.status !== 200 || h.body !== b.body)
        throw new Error(
          `${r.key}: Haven answered ${h.status} ${h.body.slice(0, 300)}\nbare answered ${b.status} ${b.body.slice(0, 300)}`,
        );
      const { onlyA, onlyB } = sqlDiff(h.sql, b.sql);
      const same = onlyA.length === 0 && onlyB.length === 0;
      statements[r.key] = `${h.sql.length} / ${b.sql.length}${same ? ' same' : ' DIFFERENT'}`;
      log(
        `${r.key}: the same ${h.body.length} bytes of JSON (${JSON.parse(h.body).items.length} items) from both; ` +
          `statements per request Haven ${h.sql.length}, bare ${b.sql.length}, same SQL: ${same ? 'yes' : 'NO'}`,
      );
      for (const x of onlyA) console.log(`    only Haven: ${x.slice(0, 240)}`);
      for (const x of onlyB) console.log(`    only bare:  ${x.slice(0, 240)}`);
      if (!same) sqlDiffers = true;
    }
    await Promise.all([stopChild(haven.proc), stopChild(bare.proc)]);
    recorder.close();
    ({ haven, bare } = await startServers(benchUrl, childEnv, true));

    // 4. warm-up, then interleaved rounds
    const stats = await runRounds({ autocannon, db, dbName, haven, bare, routes });

    // 5. results
    const rows = [];
    let passed = true;
    for (const r of routes) {
      const s = (name) => {
        const st = stats[`${name}:${r.key}`];
        const sorted = Float64Array.from(st.latencies).sort();
        const wrong = Object.keys(st.status).filter((c) => c !== '200').length > 0 || st.errors + st.timeouts > 0;
        return {
          rps: st.requests / st.seconds,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          wrong,
          cpu: `${fmt(st.nodeMs / st.requests, 2)} + ${fmt(st.pgMs / st.requests, 2)}`,
          other: st.otherMs / (st.wallMs * os.cpus().length),
        };
      };
      const h = s('Haven');
      const b = s('bare');
      const ratio = h.rps / b.rps;
      const pass = ratio >= GOAL && !h.wrong && !b.wrong;
      passed &&= pass;
      rows.push([
        r.label,
        fmt(h.rps),
        fmt(b.rps),
        `${fmt(ratio, 2)}x`,
        `${fmt(h.p50)} / ${fmt(h.p99)}`,
        `${fmt(b.p50)} / ${fmt(b.p99)}`,
        `${h.cpu} / ${b.cpu}`,
        `${fmt(h.other * 100)}% / ${fmt(b.other * 100)}%`,
        statements[r.key],
        `>= ${GOAL}x`,
        pass ? 'PASS' : 'FAIL',
      ]);
    }
    console.log('');
    console.log(
      `Results: ${ROUNDS} interleaved rounds x ${SECONDS} s per route per server after ${WARMUP_SECONDS} s warm-up; ` +
        `autocannon ${CONNECTIONS} connections, pipelining 1; loopback; Haven's RATE_LIMITS=off.`,
    );
    console.log(
      table(
        [
          'route',
          'Haven req/s',
          'bare req/s',
          'ratio',
          'Haven p50/p99 ms',
          'bare p50/p99 ms',
          'CPU ms/req node + pg, H / b',
          'other load H / b',
          'SQL stmts/req H / b',
          'goal',
          'result',
        ],
        rows,
      ),
    );
    console.log('');
    console.log('EXPLAIN (ANALYZE, BUFFERS) of the statements, as member 1:');
    for (const e of [
      await explain(db, 'conversation list', LIST.first, [1, 21, false]),
      await explain(db, 'latest 50 messages', HISTORY.latest, [1, 1, false, null, 51]),
      await explain(db, 'middle 50 messages', HISTORY.before, [1, 1, false, null, 51, middle]),
    ])
      console.log(e.text);
    console.log(`\nMachine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
    if (sqlDiffers)
      console.log(
        "Note: the bare server's SQL differed from Haven's (listed above): the comparison is not like for like.",
      );
    process.exitCode = passed && !sqlDiffers ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

if (process.argv.includes('--bare')) {
  import('./conversations/bare-server.mjs')
    .then(({ runBare }) => runBare())
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
} else {
  main().catch((err) => {
    console.error(`bench failed: ${err?.stack ?? err}`);
    process.exitCode = 2;
  });
}
