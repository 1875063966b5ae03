import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { startTestApp, type TestApp } from './app';
import { ChatClients, createRoom, emitAck } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { eventually } from './support/eventually';

/**
 * A Redis that stops answering without closing its connections (as a paused VM or a full network buffer does): a
 * Redis server of the test's own, stopped with SIGSTOP for STALL_MS while members keep using Haven. No request may
 * wait more than a second; what can live without Redis degrades (rate limits and pacing count per process, presence
 * stays local), what cannot answers 503 with Retry-After (captcha), and everything recovers when Redis answers again.
 */
const STALL_MS = 10_000;
const LIMIT_MS = 1000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.write('PING\r\n');
    });
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

describe('Redis stall (e2e)', () => {
  let redis: ChildProcess;
  let t: TestApp;
  let member: TestUser;
  let room: string;
  const clients = new ChatClients();

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await eventually(async () => expect(await answers(port)).toBe(true));
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMITS: 'on' });
    member = await createUser(t);
    const moderator = await createUser(t, { role: 'moderator' });
    room = (await createRoom(t, moderator)).slug;
  });
  afterAll(async () => {
    clients.closeAll();
    redis.kill('SIGCONT');
    await t?.close();
    redis.kill('SIGKILL');
  });

  /** Times one request or acknowledgement. */
  async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const started = performance.now();
    const value = await work();
    return { ms: performance.now() - started, value };
  }

  it('keeps every request under a second while Redis is stopped, and recovers when it returns', async () => {
    const { socket } = await clients.joined(t, member, room);
    await t.http.get('/api/health').expect(200);

    redis.kill('SIGSTOP');
    const stalledAt = performance.now();
    const slowest: Record<string, number> = {};
    const statuses: Record<string, Set<number>> = {};
    const note = (what: string, ms: number, status: number) => {
      slowest[what] = Math.max(slowest[what] ?? 0, ms);
      (statuses[what] ??= new Set()).add(status);
    };

    // Four members' worth of traffic for the whole stall: bounded by the clock, each loop stops by itself.
    const reader = async () => {
      while (performance.now() - stalledAt < STALL_MS) {
        const r = await timed(() => t.http.get('/api/categories').set(bearer(member.accessToken)));
        note('read (rate limited)', r.ms, r.value.status);
        const c = await timed(() => t.http.get('/api/captcha?kind=pow'));
        note('captcha', c.ms, c.value.status);
        if (c.value.status === 503) expect(c.value.headers['retry-after']).toBeDefined();
      }
    };
    const chatter = async () => {
      let n = 0;
      while (performance.now() - stalledAt < STALL_MS) {
        // A few messages (a member's pace, under the chat rate limit, which now counts in this process), then joins.
        if (n >= 5) {
          const j = await timed(() => emitAck(socket, 'room:join', { room }, 5000));
          note('chat join (presence)', j.ms, j.value.ok ? 200 : j.value.error.statusCode);
          continue;
        }
        const s = await timed(() =>
          emitAck(socket, 'message:send', { room, body: `still here ${n}`, clientId: `stall-${n++}` }, 5000),
        );
        note('chat send (pacing)', s.ms, s.value.ok ? 200 : s.value.error.statusCode);
        const j = await timed(() => emitAck(socket, 'room:join', { room }, 5000));
        note('chat join (presence)', j.ms, j.value.ok ? 200 : j.value.error.statusCode);
      }
    };
    const health = async () => {
      while (performance.now() - stalledAt < STALL_MS) {
        const h = await timed(() => t.http.get('/api/health'));
        note('health', h.ms, h.value.status);
        const l = await timed(() => t.http.get('/api/health/live'));
        note('liveness', l.ms, l.value.status);
      }
    };
    await Promise.all([reader(), reader(), chatter(), health()]);
    redis.kill('SIGCONT');

    for (const [what, ms] of Object.entries(slowest)) {
      expect({ what, ms: Math.round(ms), under: ms < LIMIT_MS }).toEqual({ what, ms: Math.round(ms), under: true });
    }
    // Reads and chat answer at once: accepted, or refused by their rate limit (600 requests a minute per client, which
    // these loops pass once the captcha answers 503 at once), which now counts in this process.
    for (const what of ['read (rate limited)', 'chat send (pacing)', 'chat join (presence)']) {
      expect(statuses[what].has(200)).toBe(true);
      expect([...statuses[what]].filter((s) => s !== 200 && s !== 429)).toEqual([]);
    }
    expect(statuses['captcha'].has(503)).toBe(true);
    expect(statuses['health'].has(503)).toBe(true);
    expect([...statuses['liveness']]).toEqual([200]);

    // Redis answers again: health and captcha come back by themselves.
    await eventually(async () => expect((await t.http.get('/api/health')).status).toBe(200));
    await eventually(async () => expect((await t.http.get('/api/captcha?kind=pow')).status).toBe(200));
  }, 60_000);
});
