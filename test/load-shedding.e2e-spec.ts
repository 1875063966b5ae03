import type { Pool, PoolClient } from 'pg';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './app';
import { createUser, type TestUser } from './factories/users';
import { eventually } from './support/eventually';

/**
 * Past its concurrency limit Haven answers 503 with Retry-After at once instead of queueing; writes keep a reserve;
 * health is never shed. The requests in flight are made to wait on a database pool the test holds, so the state is
 * exact, not a race with the machine's speed.
 */
describe('Load shedding (e2e)', () => {
  let t: TestApp;
  let member: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ MAX_CONCURRENT_REQUESTS: '3', WRITE_RESERVE_REQUESTS: '1' });
    member = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses reads past the limit at once, admits a write in the reserve, never sheds health, and recovers', async () => {
    const pool = (t.db.driver as unknown as { master: Pool }).master;
    const held: PoolClient[] = [];
    const waiting: Array<Promise<Response>> = [];
    try {
      while (pool.idleCount > 0 || pool.totalCount < (pool.options as { max: number }).max)
        held.push(await pool.connect());
      const read = () => t.http.get(`/api/users/${member.username}`).then((r) => r);
      const write = () =>
        t.http
          .post('/api/auth/login')
          .send({ login: member.username, password: member.password })
          .then((r) => r);

      for (let i = 0; i < 3; i++) waiting.push(read());
      await eventually(() => expect(pool.waitingCount).toBeGreaterThanOrEqual(3));

      const started = performance.now();
      const shed = await read();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(shed.status).toBe(503);
      expect(shed.headers['retry-after']).toBe('1');
      expect(shed.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('busy') as unknown });

      const page = await t.http.get('/').set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.text).toContain('Nothing you wrote has been lost');
      // A refusal never reaches Fastify, yet carries the security headers every answer has.
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['cache-control']).toBe('no-store');

      // A write still gets in (the reserve), and waits for the pool like the reads; the next write is shed.
      waiting.push(write());
      await eventually(() => expect(pool.waitingCount).toBeGreaterThanOrEqual(4));
      expect((await write()).status).toBe(503);

      // Health is never shed: it answers and liveness is fine. The pool has stopped moving (no connection handed
      // out since the test took them all), so readiness says so within about a second.
      const health = await eventually(async () => {
        const res = await t.http.get('/api/health');
        expect(res.status).toBe(503);
        return res;
      });
      expect(health.body.message).toContain('pool');
      await t.http.get('/api/health/live').expect(200);
    } finally {
      for (const c of held) c.release();
    }
    const answers = await Promise.all(waiting);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await t.http.get(`/api/users/${member.username}`).expect(200);
  });

  describe('when the event loop runs late (a saturated CPU)', () => {
    let late: TestApp;

    beforeAll(async () => {
      late = await startTestApp({ MAX_EVENT_LOOP_DELAY_MS: '20' });
    });
    afterAll(async () => {
      await late.close();
    });

    it('answers reads 503 at once while the loop is late, and serves again once it is not', async () => {
      // The test shares the app's event loop: keep it busy in 60 ms slices until a read is refused (a signal).
      let burning = true;
      const burner = (async () => {
        while (burning) {
          const until = performance.now() + 60;
          while (performance.now() < until) Math.sqrt(Math.random());
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      try {
        await eventually(async () => {
          const res = await late.http.get('/api/categories');
          expect(res.status).toBe(503);
          expect(res.headers['retry-after']).toBe('1');
        });
        await late.http.get('/api/health/live').expect(200);
      } finally {
        burning = false;
        await burner;
      }
      await eventually(async () => expect((await late.http.get('/api/categories')).status).toBe(200));
    });
  });
});
