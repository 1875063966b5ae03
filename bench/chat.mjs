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
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const env = process.env;
const int = (name, fallback) => (env[name] ? Number.parseInt(env[name], 10) : fallback);
const RECEIVERS = int('BENCH_RECEIVERS', 1000);
const RATE = int('BENCH_RATE', 10);
const SECONDS = int('BENCH_SECONDS', 20);
const FAULT_RECEIVERS = int('BENCH_FAULT_RECEIVERS', 200);
const FAULT_PAUSE = env.BENCH_FAULT_PAUSE !== '0';
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',')) : undefined;
const KEEP_DB = env.BENCH_KEEP_DB === '1';
const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';
const BASELINE_SOCKETS = 50;
/**
 * Quiet time between the join burst and the measurement. Haven's database pool grew to its maximum during the joins
 * and drops the surplus after 10 s idle (pg's idleTimeoutMillis): closing ~40 connections at once stalled every query
 * for 200-400 ms on the 2-core machine this was written on, which is the pool, not the fan-out.
 */
const SETTLE_MS = int('BENCH_SETTLE_MS', 12_000);
const HARD_LIMIT_MS = 9 * 60_000;
/** Extra node flags for the Haven processes, e.g. "--trace-gc" (with BENCH_DEBUG=1 their output is printed). */
const HAVEN_NODE_ARGS = (env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const ROOM = 'bench-room';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (msg) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${msg}`);

// ---------------------------------------------------------------------------------------------------------------
// Child modes: the bare Socket.IO server, and the Redis TCP proxy of the fault test.
// ---------------------------------------------------------------------------------------------------------------

/** The same fan-out as Haven, and nothing else: join a room, broadcast a message to it, answer in the ack. */
async function runBare() {
  const { Server } = require('socket.io');
  const port = Number(env.PORT);
  const httpServer = http.createServer((req, res) => res.writeHead(req.url === '/api/health' ? 200 : 404).end());
  let adapter;
  let redis;
  if (env.REDIS_URL) {
    const { createAdapter } = require('@socket.io/redis-streams-adapter');
    const { default: Redis } = require('ioredis');
    redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
    const name = `${env.REDIS_PREFIX}chat:adapter`;
    adapter = createAdapter(redis, { streamName: name, channelPrefix: name, maxLen: 10_000, onlyPlaintext: true });
  }
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 1_000_000,
    ...(adapter ? { adapter } : {}),
  });
  const nsp = io.of('/chat');
  let seq = 0;
  nsp.on('connection', (socket) => {
    socket.on('room:join', (payload, ack) => {
      socket.join(`room:${payload.room}`);
      ack?.({ ok: true, members: [], messages: [], more: false });
    });
    socket.on('message:send', (payload, ack) => {
      const message = {
        id: String(++seq),
        room: payload.room,
        author: { username: 'bare', displayName: 'Bare' },
        body: payload.body,
        bodyHtml: `<p>${payload.body}</p>`,
        clientId: payload.clientId,
        status: 'published',
        createdAt: new Date().toISOString(),
      };
      nsp.to(`room:${payload.room}`).except(socket.id).emit('message', message);
      ack?.({ ok: true, message, status: 'published' });
    });
  });
  answerHeapRequests();
  httpServer.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => {
    io.close();
    redis?.disconnect();
    setTimeout(() => process.exit(0), 200);
  });
}

/** A TCP proxy to Redis that can play "Redis is down": on {down: ms} it drops every connection and refuses new ones. */
function runProxy() {
  const [listenPort, targetHost, targetPort] = [Number(env.PORT), env.TARGET_HOST, Number(env.TARGET_PORT)];
  const sockets = new Set();
  let server;
  const listen = () =>
    new Promise((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(listenPort, '127.0.0.1', resolve);
    });
  process.on('message', async (msg) => {
    if (!msg?.down) return;
    server.close();
    for (const s of sockets) s.destroy();
    process.send({ isDown: true });
    await sleep(msg.down);
    await listen();
    process.send({ isUp: true });
  });
  process.on('SIGTERM', () => process.exit(0));
  listen().then(() => process.send({ ready: true }));
}

/** Preloaded into Haven (and used by the bare server): answers {heap: true} over IPC with heapUsed after a full GC. */
function answerHeapRequests() {
  process.on('message', (msg) => {
    if (!msg?.heap) return;
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ heapUsed: process.memoryUsage().heapUsed });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The orchestrator: processes, clients, measurements.
// ---------------------------------------------------------------------------------------------------------------

const children = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function startChild(name, args, childEnv) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const out = [];
  const keep = (d) => {
    out.push(d.toString());
    if (out.length > 200) out.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (env.BENCH_DEBUG) {
    child.stdout.on('data', (d) => process.stdout.write(`[${name}] ${d}`));
    child.stderr.on('data', (d) => process.stdout.write(`[${name}] ${d}`));
  }
  child.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      if (!child.stopping) log(`${name} (pid ${child.pid}) exited unexpectedly: ${code ?? signal}\n${out.join('')}`);
      resolve({ code, signal });
    }),
  );
  child.output = () => out.join('');
  child.label = name;
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stopping = true;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
  if (!done) {
    log(`${child.label} did not stop within 15 s of SIGTERM: SIGKILL`);
    child.kill('SIGKILL');
    await Promise.race([child.exited, sleep(5000)]);
  }
}

function ask(child, message, answerKey, timeoutMs = 30_000) {
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

async function waitForHealth(base, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.label} exited early:\n${child.output()}`);
    try {
      const res = await fetch(`${base}/api/health`, { signal: globalThis.AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(150);
  }
  throw new Error(`${child.label} did not become healthy within ${timeoutMs / 1000} s:\n${child.output()}`);
}

/** Starts `count` Haven or bare processes on one database and (when redisUrl) one Redis prefix. */
async function startServers(kind, count, { childEnv, redisUrl, preload }) {
  const prefix = `haven:bench:${randomBytes(4).toString('hex')}:`;
  const servers = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const e = { ...childEnv, PORT: String(port), REDIS_PREFIX: prefix, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
    const proc =
      kind === 'haven'
        ? startChild(`haven-${i + 1}`, [...HAVEN_NODE_ARGS, '--expose-gc', '-r', preload, 'dist/main.js'], e)
        : startChild(`bare-${i + 1}`, ['--expose-gc', fileURLToPath(import.meta.url), '--bare'], e);
    servers.push({ proc, base: `http://127.0.0.1:${port}` });
  }
  await Promise.all(servers.map((s) => waitForHealth(s.base, s.proc)));
  return servers;
}

const heapOf = (server) => ask(server.proc, { heap: true }, 'heapUsed');

function connect(base, token) {
  const { io } = require('socket.io-client');
  const socket = io(`${base}/chat`, {
    transports: ['websocket'],
    auth: { token },
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

function emitAck(socket, event, payload, ms = 15_000) {
  return new Promise((resolve, reject) => {
    socket.timeout(ms).emit(event, payload, (err, ack) => (err ? reject(err) : resolve(ack)));
  });
}

async function pool(items, concurrency, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** A receiver: records the arrival delay of each measured message (bodies carry "bench <run> <seq> <sentAt>"). */
function receiver(socket, run, r = { seqs: new Set(), delays: [], dups: 0, ids: new Set(), caughtUp: 0 }) {
  r.socket = socket;
  socket.on('message', (m) => {
    const now = performance.now();
    r.ids.add(m.id);
    const parts = /^bench (\S+) (\d+) ([\d.]+)$/.exec(m.body ?? '');
    if (!parts || parts[1] !== run.id) return;
    const seq = Number(parts[2]);
    if (r.seqs.has(seq)) r.dups++;
    else {
      r.seqs.add(seq);
      r.delays.push(now - Number(parts[3]));
    }
  });
  return r;
}

const newest = (ids, floor) => [...ids].reduce((m, id) => (BigInt(id) > BigInt(m) ? id : m), floor);

/** `room:join` with `sinceId`: what the receiver missed goes into its view (and `more` pages over REST). */
async function catchUp(r, base, token, sinceId) {
  const ack = await emitAck(r.socket, 'room:join', { room: ROOM, sinceId });
  if (!ack.ok) throw new Error(`catch-up join: ${JSON.stringify(ack.error)}`);
  const add = (messages) => {
    for (const m of messages) {
      r.ids.add(m.id);
      r.caughtUp++;
    }
  };
  add(ack.messages);
  // `more`: the rest comes over REST, page by page after the last one fetched.
  let last = ack.messages.length ? ack.messages[ack.messages.length - 1].id : sinceId;
  let more = ack.more;
  while (more) {
    const res = await fetch(`${base}/api/chat/rooms/${ROOM}/messages?after=${last}&limit=100`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = await res.json();
    add(page.items);
    if (page.items.length) last = page.items[page.items.length - 1].id;
    more = page.more;
  }
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;

/** One fan-out measurement against a set of server processes (Haven's or the bare server's). */
async function fanOut(label, servers, tokens, sender) {
  const run = { id: randomBytes(3).toString('hex') };
  const receivers = [];
  const joinOne = async (token, i) => {
    const socket = await connect(servers[i % servers.length].base, token);
    const ack = await emitAck(socket, 'room:join', { room: ROOM });
    if (!ack.ok) throw new Error(`join: ${JSON.stringify(ack.error)}`);
    receivers.push(receiver(socket, run));
  };
  try {
    const t0 = Date.now();
    await pool(tokens.slice(0, BASELINE_SOCKETS), 25, (token, i) => joinOne(token, i));
    await sleep(2500);
    const baseline = await Promise.all(servers.map(heapOf));
    await pool(tokens.slice(BASELINE_SOCKETS, RECEIVERS), 50, (token, i) => joinOne(token, i + BASELINE_SOCKETS));
    const joinSeconds = (Date.now() - t0) / 1000;
    const senderSocket = await connect(servers[0].base, sender);
    await emitAck(senderSocket, 'room:join', { room: ROOM });
    await sleep(SETTLE_MS); // presence broadcasts settle, the pools' surplus connections from the joins close
    const loaded = await Promise.all(servers.map(heapOf));
    const heapPerSocket =
      loaded.reduce((sum, h, i) => sum + (h - baseline[i]), 0) / (RECEIVERS + 1 - BASELINE_SOCKETS) / 1024;
    const ackDelays = [];
    const sendOne = async (seq, measured) => {
      const sentAt = performance.now();
      const body = measured ? `bench ${run.id} ${seq} ${sentAt.toFixed(3)}` : `warm-up ${seq}`;
      const clientId = `${run.id}-${measured ? 'm' : 'w'}-${seq}`;
      const ack = await emitAck(senderSocket, 'message:send', { room: ROOM, body, clientId });
      if (!ack.ok) throw new Error(`send: ${JSON.stringify(ack.error)}`);
      if (measured) ackDelays.push(performance.now() - sentAt);
      if (measured && env.BENCH_DEBUG && performance.now() - sentAt > 100) {
        log(`slow ack: ${(performance.now() - sentAt).toFixed(0)} ms (message ${seq})`);
      }
    };
    const paced = async (count, measured) => {
      const sends = [];
      const start = performance.now();
      for (let seq = 0; seq < count; seq++) {
        const due = start + (seq * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        sends.push(sendOne(seq, measured));
      }
      await Promise.all(sends);
    };
    await paced(RATE * 2, false);
    const messages = RATE * SECONDS;
    await paced(messages, true);
    await sleep(3000);
    senderSocket.disconnect();

    const delays = receivers.flatMap((r) => r.delays).sort((a, b) => a - b);
    const expected = messages * receivers.length;
    const acks = ackDelays.sort((a, b) => a - b);
    return {
      label,
      processes: servers.length,
      receivers: receivers.length,
      messages,
      deliveries: delays.length,
      lost: expected - delays.length,
      duplicates: receivers.reduce((s, r) => s + r.dups, 0),
      p50: percentile(delays, 0.5),
      p99: percentile(delays, 0.99),
      max: delays[delays.length - 1],
      ackP50: percentile(acks, 0.5),
      ackP99: percentile(acks, 0.99),
      heapPerSocketKB: heapPerSocket,
      joinSeconds,
    };
  } finally {
    for (const r of receivers) r.socket.disconnect();
  }
}

/**
 * Redis goes away for 3 s under chat load, twice (connections cut through the proxy, then CLIENT PAUSE); afterwards
 * every receiver catches up with sinceId and must hold exactly the stored sequence.
 */
async function faultTest({ childEnv, preload, tokens, senders, db, roomId }) {
  const proxyPort = await freePort();
  const redis = new URL(REDIS_URL);
  const proxy = startChild('redis-proxy', [fileURLToPath(import.meta.url), '--proxy'], {
    PATH: env.PATH,
    PORT: String(proxyPort),
    TARGET_HOST: redis.hostname,
    TARGET_PORT: redis.port || '6379',
  });
  await ask(proxy, null, 'ready');
  const proxied = new URL(REDIS_URL);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxyPort);
  const servers = await startServers('haven', 2, { childEnv, redisUrl: proxied.toString(), preload });
  const run = { id: randomBytes(3).toString('hex') };
  const receivers = [];
  const senderSockets = [];
  const outcome = { rounds: [] };
  try {
    await pool(tokens.slice(0, FAULT_RECEIVERS), 50, async (token, i) => {
      const base = servers[i % 2].base;
      const socket = await connect(base, token);
      const ack = await emitAck(socket, 'room:join', { room: ROOM });
      if (!ack.ok) throw new Error(`join: ${JSON.stringify(ack.error)}`);
      receivers.push(Object.assign(receiver(socket, run), { token, base }));
    });
    const [{ max: before }] = (await db.query(`SELECT coalesce(max(id), 0)::text AS max FROM chat_messages`)).rows;
    for (const [i, token] of senders.entries()) {
      const s = await connect(servers[i % 2].base, token);
      await emitAck(s, 'room:join', { room: ROOM });
      senderSockets.push(s);
    }
    let retries = 0;
    let errors = 0;
    const sendUntilStored = async (socket, n) => {
      const clientId = `${run.id}-${n}`;
      const body = `bench ${run.id} ${n} ${performance.now().toFixed(3)}`;
      for (;;) {
        try {
          const ack = await emitAck(socket, 'message:send', { room: ROOM, body, clientId }, 10_000);
          if (ack.ok) return;
          errors++;
        } catch {
          errors++;
        }
        retries++;
        await sleep(500);
      }
    };
    const load = async (seconds) => {
      const sends = [];
      const start = performance.now();
      for (let seq = 0; seq < seconds * RATE; seq++) {
        const wait = start + (seq * 1000) / RATE - performance.now();
        if (wait > 0) await sleep(wait);
        for (const [i, s] of senderSockets.entries()) {
          sends.push(sendUntilStored(s, outcome.rounds.length * 1_000_000 + seq * 10 + i));
        }
      }
      return Promise.all(sends);
    };
    // A fifth of the receivers lose their connection when Redis goes, and come back (on the other process) after.
    const dropouts = receivers.filter((_, i) => i % 5 === 0);
    const outage = async (name, cut) => {
      const t0 = performance.now();
      const sending = load(9);
      await sleep(3000);
      log(`fault: ${name}`);
      for (const r of dropouts) r.socket.disconnect();
      await cut();
      log('fault: Redis is back');
      await sleep(1000);
      const caughtBefore = dropouts.reduce((sum, r) => sum + r.caughtUp, 0);
      await pool(dropouts, 20, async (r) => {
        r.base = servers.find((s) => s.base !== r.base).base;
        receiver(await connect(r.base, r.token), run, r);
        await catchUp(r, r.base, r.token, newest(r.ids, before));
      });
      await sending;
      outcome.rounds.push({
        name,
        seconds: ((performance.now() - t0) / 1000).toFixed(1),
        reconnected: dropouts.length,
        caughtUp: dropouts.reduce((sum, r) => sum + r.caughtUp, 0) - caughtBefore,
      });
    };
    await outage('Redis connections dropped and refused for 3 s (TCP proxy)', async () => {
      await ask(proxy, { down: 3000 }, 'isDown');
      await ask(proxy, null, 'isUp', 10_000);
    });
    if (FAULT_PAUSE) {
      await outage('Redis unresponsive for 3 s (CLIENT PAUSE 3000 ALL)', async () => {
        const { default: Redis } = require('ioredis');
        const admin = new Redis(REDIS_URL);
        await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
        await sleep(3000);
        admin.disconnect();
      });
    }
    await sleep(5000);
    const stored = (
      await db.query(`SELECT m.id::text AS id FROM chat_messages m WHERE m.room_id = $1 AND m.id > $2 ORDER BY m.id`, [
        roomId,
        before,
      ])
    ).rows.map((r) => r.id);
    const storedSet = new Set(stored);
    const stayed = receivers.filter((r) => !dropouts.includes(r));
    const missedLive = stayed.reduce((sum, r) => sum + stored.filter((id) => !r.ids.has(id)).length, 0);
    let equal = 0;
    let finalCatchUp = 0;
    for (const r of receivers) {
      // sinceId = the newest id seen: a gap below it would stay a gap, and the comparison below would show it.
      const caught = r.caughtUp;
      await catchUp(r, r.base, r.token, newest(r.ids, before));
      finalCatchUp += r.caughtUp - caught;
      const view = [...r.ids].filter((id) => storedSet.has(id)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      if (view.length === stored.length && view.every((id, i) => id === stored[i])) equal++;
    }
    Object.assign(outcome, {
      stored: stored.length,
      receivers: receivers.length,
      stayed: stayed.length,
      equal,
      missedLive,
      finalCatchUp,
      duplicatesLive: receivers.reduce((s, r) => s + r.dups, 0),
      retries,
      errors,
    });
    return outcome;
  } finally {
    for (const r of receivers) r.socket.disconnect();
    for (const s of senderSockets) s.disconnect();
    await Promise.all([...servers.map((s) => stopChild(s.proc)), stopChild(proxy)]);
  }
}

function printTable(results) {
  const pad = (v, n) => String(v).padStart(n);
  const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
  console.log('');
  console.log(
    `Fan-out to one room: ${RECEIVERS} receivers, ${RATE} messages/s for ${SECONDS} s, ${SETTLE_MS / 1000} s after the ` +
      `joins (delays in ms, send to arrival)`,
  );
  console.log(
    `${'server'.padEnd(24)}${pad('procs', 6)}${pad('p50', 8)}${pad('p99', 8)}${pad('max', 8)}${pad('lost', 7)}${pad('dups', 6)}${pad('ack p50', 9)}${pad('ack p99', 9)}${pad('KB/socket', 11)}${pad('join s', 8)}`,
  );
  for (const r of results) {
    console.log(
      `${r.label.padEnd(24)}${pad(r.processes, 6)}${pad(ms(r.p50), 8)}${pad(ms(r.p99), 8)}${pad(ms(r.max), 8)}${pad(r.lost, 7)}${pad(r.duplicates, 6)}${pad(ms(r.ackP50), 9)}${pad(ms(r.ackP99), 9)}${pad(r.heapPerSocketKB.toFixed(1), 11)}${pad(r.joinSeconds.toFixed(1), 8)}`,
    );
  }
  const twoProc = results.find((r) => r.label.startsWith('Haven') && r.processes === 2);
  if (twoProc) {
    const ok = (cond) => (cond ? 'met' : 'NOT MET');
    console.log(
      `targets (Haven, two processes): p99 <= 100 ms ${ok(twoProc.p99 <= 100)}; 0 lost ${ok(twoProc.lost === 0)}; ` +
        `<= 20 KB heap per socket ${ok(results.filter((r) => r.label.startsWith('Haven')).every((r) => r.heapPerSocketKB <= 20))}`,
    );
  }
}

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
