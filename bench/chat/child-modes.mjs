/**
 * The chat benchmark's child modes: the bare Socket.IO server (`node bench/chat.mjs --bare`), the Redis TCP proxy of
 * the fault test (`node bench/chat.mjs --proxy`), and the heap probe preloaded into Haven.
 */
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import { sleep } from '../lib/util.mjs';
import { env } from './config.mjs';

const require = createRequire(import.meta.url);

/** The same fan-out as Haven, and nothing else: join a room, broadcast a message to it, answer in the ack. */
export async function runBare() {
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
export function runProxy() {
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
export function answerHeapRequests() {
  process.on('message', (msg) => {
    if (!msg?.heap) return;
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ heapUsed: process.memoryUsage().heapUsed });
  });
}
