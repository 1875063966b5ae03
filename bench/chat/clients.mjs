/** The chat benchmark's Socket.IO clients: connecting, acknowledged emits, receivers that time each arrival, catch-up. */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { ROOM } from './config.mjs';

const require = createRequire(import.meta.url);

export function connect(base, token) {
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

export function emitAck(socket, event, payload, ms = 15_000) {
  return new Promise((resolve, reject) => {
    socket.timeout(ms).emit(event, payload, (err, ack) => (err ? reject(err) : resolve(ack)));
  });
}

export async function pool(items, concurrency, fn) {
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
export function receiver(socket, run, r = { seqs: new Set(), delays: [], dups: 0, ids: new Set(), caughtUp: 0 }) {
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

export const newest = (ids, floor) => [...ids].reduce((m, id) => (BigInt(id) > BigInt(m) ? id : m), floor);

/** `room:join` with `sinceId`: what the receiver missed goes into its view (and `more` pages over REST). */
export async function catchUp(r, base, token, sinceId) {
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

export const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
