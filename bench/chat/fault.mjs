/**
 * The chat benchmark's fault test: two Haven processes whose Redis connections go through a TCP proxy; Redis goes
 * away under load (connections cut, then CLIENT PAUSE) and every receiver must catch up to the stored sequence.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { freePort, sleep } from '../lib/util.mjs';
import { catchUp, connect, emitAck, newest, pool, receiver } from './clients.mjs';
import { env, FAULT_PAUSE, FAULT_RECEIVERS, log, RATE, REDIS_URL, ROOM } from './config.mjs';
import { ask, CHAT_ENTRY, startChild, startServers, stopChild } from './servers.mjs';

const require = createRequire(import.meta.url);

/**
 * Redis goes away for 3 s under chat load, twice (connections cut through the proxy, then CLIENT PAUSE); afterwards
 * every receiver catches up with sinceId and must hold exactly the stored sequence.
 */
export async function faultTest({ childEnv, preload, tokens, senders, db, roomId }) {
  const proxyPort = await freePort();
  const redis = new URL(REDIS_URL);
  const proxy = startChild('redis-proxy', [CHAT_ENTRY, '--proxy'], {
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
