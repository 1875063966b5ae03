import type { Pool, PoolClient } from 'pg';
import { startTestApp, type TestApp } from './app';

/** Readiness on a connection of its own, a pool check, and liveness that touches nothing. */
describe('Health (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers liveness without the database or Redis', async () => {
    const res = await t.http.get('/api/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('fails readiness at once while the request pool has no connection to give, the database itself still up', async () => {
    const pool = (t.db.driver as unknown as { master: Pool }).master;
    const held: PoolClient[] = [];
    try {
      const max = (pool.options as { max: number }).max;
      while (pool.idleCount > 0 || pool.totalCount < max) held.push(await pool.connect());

      const started = performance.now();
      const busy = await t.http.get('/api/health').expect(503);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(busy.headers['retry-after']).toBeDefined();
      expect(busy.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('pool') as unknown });
      expect(busy.body.message).not.toContain('database');
      await t.http.get('/api/health/live').expect(200);
    } finally {
      for (const c of held) c.release();
    }
    const ready = await t.http.get('/api/health').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, pool: { status: 'up' } } });
  });
});
