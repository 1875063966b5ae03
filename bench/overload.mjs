#!/usr/bin/env node
/**
 * Overload benchmark: what Haven does at twice its capacity, with load shedding on (the default) and off, in one run.
 *
 *   npm run build && node bench/overload.mjs        (or: npm run bench:overload)
 *
 * Bounded, loopback only. For each setting (shedding off = MAX_CONCURRENT_REQUESTS=0 and MAX_EVENT_LOOP_DELAY_MS=0, then the defaults):
 *  1. starts Haven (`node dist/main.js`) on a fresh database of its own (the starter community), RATE_LIMITS=off;
 *  2. measures capacity: closed-loop load on a category's thread list (JSON) with BENCH_CONNECTIONS connections for
 *     BENCH_SECONDS, requests per second = capacity;
 *  3. offers twice that rate open-loop for BENCH_SECONDS over a pool of BENCH_POOL keep-alive connections opened
 *     first, as a proxy in front of Haven keeps (requests scheduled on a clock and sent on the first idle connection,
 *     latency counted from the scheduled time, so a queue in front of the server counts too) while a prober asks
 *     /api/health every 50 ms on a connection of its own.
 *     The load comes from a process of its own (overload/generator.mjs: raw sockets, a few µs of CPU a request), so
 *     that the generator's own lag is neither counted as Haven's nor delays the prober; Node's http client cost
 *     several times as much, and on 2 cores that lag, and connections opened in a storm (SYNs dropped and sent again
 *     after 1 s, 3 s, 7 s), made most of the seconds-long tail measured before;
 *  4. prints, side by side: capacity, served requests (2xx) with p50/p99, 503s (shed) with p99, other failures, and
 *     health p50/p99/max. Goals (issue 16): served p99 < 500 ms at 2x, health < 100 ms.
 * Knobs: DATABASE_URL, BENCH_SECONDS (8), BENCH_CONNECTIONS (32), BENCH_OVERLOAD (2: the multiple of capacity),
 * BENCH_POOL (256 connections for the open-loop load), BENCH_HEALTH_ROUTE (/api/health; /api/health/live for
 * liveness), BENCH_ONLY_ON=1 (only the run with shedding on),
 * BENCH_SHEDDING (limits for the shedding-on run instead of the defaults, e.g.
 * "MAX_CONCURRENT_REQUESTS=32,MAX_EVENT_LOOP_DELAY_MS=40").
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createChildren, waitForHealth } from './lib/children.mjs';
import { elapsedLog as log, fmt, freePort, percentile, ROOT, table } from './lib/util.mjs';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const OVERLOAD = Number(env.BENCH_OVERLOAD ?? 2);
const POOL = Number(env.BENCH_POOL ?? 256);
const { startChild, stopChild } = createChildren({ log, tail: 3000 });

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** The health prober's one keep-alive connection (the load comes from a process of its own: overload/generator.mjs). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET; resolves with status and milliseconds since `from`. */
function get(base, route, from = performance.now()) {
  return new Promise((resolve) => {
    const req = http.get(`${base}${route}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - from }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - from }));
    req.setTimeout(30_000, () => req.destroy());
  });
}

/** Runs one job in a fresh generator process and returns its answer. */
function generate(job) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(ROOT, 'bench', 'overload', 'generator.mjs'), [], { stdio: 'inherit' });
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`the load generator exited with ${code}`)));
    child.send(job);
  });
}

async function capacity(base, route) {
  const { hostname: host, port } = new URL(base);
  const { done } = await generate({
    mode: 'closed',
    host,
    port: Number(port),
    route,
    connections: CONNECTIONS,
    seconds: SECONDS,
  });
  return done / SECONDS;
}

async function overload(base, route, rate) {
  const { hostname: host, port } = new URL(base);
  const health = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      health.push(await get(base, env.BENCH_HEALTH_ROUTE ?? '/api/health'));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const load = await generate({ mode: 'open', host, port: Number(port), route, rate, seconds: SECONDS, pool: POOL });
  probing = false;
  await prober;
  const sorted = (status) =>
    load.results
      .filter(([s]) => s === status)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
  const served = sorted(200);
  const shed = sorted(503);
  return {
    offered: rate,
    served,
    shed,
    other: load.results.length - served.length - shed.length,
    connections: load.connections,
    health: health.map((h) => h.ms).sort((a, b) => a - b),
    healthFailed: health.filter((h) => h.status !== 200).length,
  };
}

async function main() {
  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const rows = [];
  for (const [label, max] of [
    ['shedding off', '0'],
    ['shedding on (default)', undefined],
  ].filter(([, max]) => !env.BENCH_ONLY_ON || max === undefined)) {
    const dbName = `haven_bench_overload_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-overload-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const childEnv = {
      ...env,
      DATABASE_URL: withDatabase(baseUrl, dbName),
      REDIS_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      ...(max === undefined ? {} : { MAX_CONCURRENT_REQUESTS: max, MAX_EVENT_LOOP_DELAY_MS: max }),
    };
    if (max === undefined) {
      delete childEnv.MAX_CONCURRENT_REQUESTS;
      delete childEnv.MAX_EVENT_LOOP_DELAY_MS;
      // BENCH_SHEDDING="MAX_CONCURRENT_REQUESTS=32,MAX_EVENT_LOOP_DELAY_MS=40": other limits than the defaults.
      for (const pair of (env.BENCH_SHEDDING ?? '').split(',').filter(Boolean)) {
        const [name, value] = pair.split('=');
        childEnv[name] = value;
      }
    }
    const haven = startChild('haven', ['dist/main.js'], childEnv);
    try {
      await waitForHealth(base, haven, 90_000);
      const categories = await (await fetch(`${base}/api/categories`)).json();
      const slug = (categories.items ?? categories)[0]?.slug;
      if (!slug) throw new Error(`no starter category: ${JSON.stringify(categories).slice(0, 200)}`);
      const route = `/api/categories/${slug}/threads`;
      await capacity(base, route); // warm-up
      const cap = await capacity(base, route);
      log(`${label}: capacity ${fmt(cap)} req/s on ${route}; offering ${OVERLOAD}x for ${SECONDS} s`);
      const o = await overload(base, route, cap * OVERLOAD);
      rows.push([
        label,
        fmt(cap),
        fmt(o.offered),
        `${o.served.length} (${fmt(o.served.length / SECONDS)}/s)`,
        fmt(percentile(o.served, 50)),
        fmt(percentile(o.served, 99)),
        `${o.shed.length}`,
        fmt(percentile(o.shed, 99)),
        `${o.other}`,
        `${fmt(percentile(o.health, 50))} / ${fmt(percentile(o.health, 99))} / ${fmt(o.health.at(-1))}`,
        `${o.healthFailed}/${o.health.length}`,
      ]);
    } finally {
      await stopChild(haven);
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(
    table(
      [
        'Haven',
        'capacity req/s',
        'offered req/s',
        'served 200',
        'served p50 ms',
        'served p99 ms',
        '503 shed',
        '503 p99 ms',
        'other',
        'health p50/p99/max ms',
        'health not 200',
      ],
      rows,
    ),
  );
  console.log(`\nmachine: ${os.cpus().length} cores, ${os.cpus()[0]?.model}; node ${process.version}`);
  agent.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
