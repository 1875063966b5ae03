#!/usr/bin/env node
/**
 * Digest benchmark: one daily digest run for 10,000 confirmed subscribers over 50 active places (25 threads, 25
 * article pages), beside a baseline of 1,000 subscribers measured in the same run, to show that the time grows with
 * the subscribers and the server's memory does not.
 *
 *   npm run build && node bench/digest.mjs
 *
 * One command, bounded, loopback only:
 *  1. creates a fresh database haven_bench_<random> on DATABASE_URL, runs Haven's migrations (TypeORM CLI over
 *     dist/), seeds the places, two days of replies and comments (24 per place and day) and 1,000 subscriptions;
 *  2. starts a local SMTP server (smtp-server, in this process) and Haven (`node dist/main.js`) sending to it, with
 *     its database connections through a pass-through statement counter;
 *  3. queues one digest run for yesterday's 08:30 UTC (the baseline: 1,000 digests), waits until the job has
 *     completed and every digest has arrived; then adds 9,000 subscriptions and does the same for today's 08:30
 *     (10,000 digests);
 *  4. prints, for each: the digest job's time, the server's peak RSS (sampled every 50 ms) against its RSS before,
 *     the statements the server sent to PostgreSQL and the CPU its backends spent (from the run's start to the last
 *     mail: building the digests and delivering them overlap, in one process), and the rate at which mail arrived
 *     at the SMTP server; stops Haven, drops the database. Exit code 0 PASS (10,000 digests built and queued in
 *     under 30 s; the RSS growth of the 10,000 run under 2x the baseline's), 1 FAIL, 2 the run broke.
 *
 * Knobs (environment): DATABASE_URL, BENCH_SUBSCRIBERS (10000), BENCH_BASELINE (1000), BENCH_KEEP_DB=1,
 * BENCH_HAVEN_NODE_ARGS (node flags for Haven: "--max-old-space-size=128" shows the run fits a small heap).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { clearInterval, setInterval } from 'node:timers';
import { createChildren, waitForHealth } from './lib/children.mjs';
import { cpuMeter } from './lib/proc-cpu.mjs';
import { elapsedLog as log, fmt, freePort, ROOT, sleep, table } from './lib/util.mjs';
import { startSqlRecorder } from './forum/sql-recorder.mjs';
import { digestMoments, seedContent, seedSubscribers } from './digest/seed.mjs';

const env = process.env;
const SUBSCRIBERS = Number(env.BENCH_SUBSCRIBERS ?? 10_000);
const BASELINE = Number(env.BENCH_BASELINE ?? 1_000);
const HARD_LIMIT_MS = 10 * 60_000;
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

/** A loopback SMTP server that accepts everything and keeps only when each message arrived. */
async function startSink() {
  const arrivals = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        arrivals.push(Date.now());
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, arrivals, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** The server's resident memory in KB (NaN once it has gone). */
function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** Queues one digest run for `at` in Haven's queue, as the hourly job would, and measures it to the last mail. */
async function measureRun(db, dbName, haven, sink, recorder, at, expected) {
  const rssBefore = rssKb(haven.proc.pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssKb(haven.proc.pid))), 50);
  const metered = await Promise.all([
    cpuMeter(db, dbName, { proc: haven.proc, appName: 'haven' }),
    cpuMeter(db.meter, dbName, { proc: haven.proc, appName: 'haven-jobs' }),
  ]);
  recorder.take();
  const received0 = sink.arrivals.length;
  const t0 = Date.now();
  const {
    rows: [job],
  } = await db.query(
    `INSERT INTO pgboss.job (name, data, retry_limit) VALUES ('subscriptions.digest', $1, 0) RETURNING id`,
    [JSON.stringify({ at: at.toISOString() })],
  );
  let done;
  for (;;) {
    const { rows } = await db.query(
      `SELECT state, started_on, completed_on FROM pgboss.job WHERE name = 'subscriptions.digest' AND id = $1`,
      [job.id],
    );
    if (rows[0]?.state === 'completed') {
      done = rows[0];
      break;
    }
    if (rows[0]?.state === 'failed') throw new Error(`the digest job failed: ${JSON.stringify(rows[0])}`);
    if (Date.now() - t0 > 5 * 60_000) throw new Error('the digest job did not finish within 5 minutes');
    await sleep(20);
  }
  const jobMs = done.completed_on.getTime() - done.started_on.getTime();
  const digestStatements = recorder.take().length;
  while (sink.arrivals.length - received0 < expected) {
    if (Date.now() - t0 > 8 * 60_000) throw new Error(`only ${sink.arrivals.length - received0} of ${expected} mails`);
    await sleep(50);
  }
  clearInterval(sampler);
  const [main, jobs] = await Promise.all(metered.map((stop) => stop()));
  const arrivals = sink.arrivals.slice(received0);
  const { rows: queued } = await db.query(`SELECT count(*)::int AS n FROM mail_messages WHERE key LIKE $1`, [
    `digest:daily:${new Date(at.getTime() - 0).toISOString().slice(0, 10)}:%`,
  ]);
  return {
    expected,
    queued: queued[0].n,
    jobMs,
    rssBeforeMb: rssBefore / 1024,
    rssPeakMb: rssPeak / 1024,
    digestStatements,
    allStatements: digestStatements + recorder.take().length,
    pgCpuMs: main.pg + jobs.pg,
    nodeCpuMs: main.node,
    sendSeconds: (arrivals[arrivals.length - 1] - t0) / 1000,
    rate: arrivals.length / Math.max(0.001, (arrivals[arrivals.length - 1] - arrivals[0]) / 1000),
  };
}

async function main() {
  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `haven_bench_${randomBytes(5).toString('hex')}`;
  const benchUrl = withDatabase(baseUrl, dbName);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-'));
  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'haven-bench-admin' });
  await admin.connect();
  let db;
  let sink;
  let recorder;
  let created = false;
  const cleanup = async () => {
    await Promise.all([...children].map(stopChild));
    recorder?.close();
    await sink?.close();
    await db?.meter?.end().catch(() => undefined);
    await db?.end().catch(() => undefined);
    if (created && env.BENCH_KEEP_DB !== '1') await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    log('hard limit reached: stopping');
    cleanup().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    created = true;
    sink = await startSink();
    const childEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'development',
      DATABASE_URL: benchUrl,
      JWT_SECRET: randomBytes(36).toString('base64url'),
      CAPTCHA_SECRET: randomBytes(36).toString('base64url'),
      IP_HASH_SECRET: randomBytes(36).toString('base64url'),
      JOURNAL_SECRET: randomBytes(36).toString('base64url'),
      DATA_DIR: dataDir,
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      MIGRATIONS_RUN: 'false',
      HOST: '127.0.0.1',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      PUBLIC_URL: 'http://haven.bench',
      JOBS_POLL_MS: '500',
    };
    await runToEnd(
      'migrations',
      [path.join(ROOT, 'node_modules', 'typeorm', 'cli.js'), '-d', 'dist/database/cli-data-source.js', 'migration:run'],
      childEnv,
      60_000,
    );
    db = new pg.Client({ connectionString: benchUrl, application_name: 'haven-bench-seed' });
    await db.connect();
    // A second connection for the second CPU meter (one client runs one query at a time).
    db.meter = new pg.Client({ connectionString: benchUrl, application_name: 'haven-bench-meter' });
    await db.meter.connect();
    const moments = digestMoments();
    await seedContent(db, moments);
    await seedSubscribers(db, 0, BASELINE);
    log(`seeded 50 places, ${(await db.query('SELECT count(*) FROM subscription_activity')).rows[0].count} items`);

    const target = new URL(benchUrl);
    recorder = await startSqlRecorder(target.hostname, Number(target.port || 5432));
    target.hostname = '127.0.0.1';
    target.port = String(recorder.port);
    const port = await freePort();
    const nodeArgs = (env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const proc = startChild('haven', [...nodeArgs, 'dist/main.js'], {
      ...childEnv,
      DATABASE_URL: target.toString(),
      PORT: String(port),
    });
    const haven = { proc, base: `http://127.0.0.1:${port}` };
    await waitForHealth(haven.base, proc, 60_000);
    log(`Haven (pid ${proc.pid}) is up`);

    const baseline = await measureRun(db, dbName, haven, sink, recorder, moments[0], BASELINE);
    log(`baseline: ${BASELINE} digests in ${fmt(baseline.jobMs)} ms`);
    await seedSubscribers(db, BASELINE, SUBSCRIBERS);
    const full = await measureRun(db, dbName, haven, sink, recorder, moments[1], SUBSCRIBERS);
    log(`full: ${SUBSCRIBERS} digests in ${fmt(full.jobMs)} ms`);

    const row = (name, r) => [
      name,
      `${r.queued}/${r.expected}`,
      fmt(r.jobMs / 1000, 2),
      fmt((r.jobMs / r.expected) * 1000, 0),
      `${fmt(r.rssBeforeMb, 0)} -> ${fmt(r.rssPeakMb, 0)}`,
      r.allStatements,
      fmt(r.allStatements / r.expected, 1),
      fmt(r.pgCpuMs / 1000, 2),
      fmt(r.sendSeconds, 1),
      fmt(r.rate, 0),
    ];
    console.log(
      `\n${table(
        [
          'run',
          'queued',
          'digest s',
          'µs/digest',
          'RSS MB before -> peak',
          'statements',
          'per mail',
          'pg CPU s',
          'all sent s',
          'mails/s',
        ],
        [row(`baseline ${BASELINE}`, baseline), row(`subscribers ${SUBSCRIBERS}`, full)],
      )}\n`,
    );
    const growth = (full.rssPeakMb - full.rssBeforeMb) / Math.max(1, baseline.rssPeakMb - baseline.rssBeforeMb);
    const linear = full.jobMs / full.expected / (baseline.jobMs / baseline.expected);
    console.log(
      `time per digest: ${fmt(linear, 2)}x the baseline's (linear = 1); peak RSS: ${fmt(full.rssPeakMb, 0)} MB vs ` +
        `${fmt(baseline.rssPeakMb, 0)} MB (growth during the run ${fmt(growth, 2)}x the baseline's).`,
    );
    // Memory flat: ten times the subscribers may not take the server's memory up by much more than the baseline did.
    const pass = full.queued === SUBSCRIBERS && full.jobMs < 30_000 && growth < 2;
    console.log(pass ? 'PASS' : 'FAIL: under 30 s with memory flat is the goal');
    clearTimeout(watchdog);
    await cleanup();
    process.exit(pass ? 0 : 1);
  } catch (error) {
    log(`the run broke: ${error.stack ?? error}`);
    clearTimeout(watchdog);
    await cleanup();
    process.exit(2);
  }
}

void main();
