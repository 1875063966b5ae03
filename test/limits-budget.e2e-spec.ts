import { createHash, randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser } from './factories/users';
import { signInBrowser } from './factories/web';
import { keyedIpHash } from '../src/common/rate-limit/ip-hash';
import { RateLimitStore } from '../src/common/rate-limit/rate-limit.store';

/**
 * One request budget per client and minute across every route, API and pages alike; heavy routes spend more of it.
 * The client is the signed-in member, else the address (all requests here come from 127.0.0.1).
 */
describe('RequestBudget (e2e)', () => {
  describe('for a guest', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '12' });
    });
    afterAll(() => t.close());

    it('is one budget across API routes and pages, where search costs more; health is free', async () => {
      for (let i = 0; i < 5; i++) await t.http.get('/api/users/nobody_here_at_all').expect(404);
      for (let i = 0; i < 5; i++) await t.http.get('/guidelines').expect(200);
      // 10 spent: a plain request still fits, a search (5) does not, whichever route it is on
      await t.http.get('/api/categories').expect(200);
      const refused = await t.http.get('/search?q=hello').expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const api = await t.http.get('/api/search?q=hello').expect(429);
      expect(api.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });
      await t.http.get('/api/health').expect(200);
    });
  });

  describe('for a member', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '30' });
    });
    afterAll(() => t.close());

    it('counts the member, not the address: a member past the budget leaves guests at the same address alone', async () => {
      const u = await createUser(t); // the address spends one sign-in (10)
      for (let i = 0; i < 25; i++) {
        await t.http.get('/api/users/nobody_here_at_all').set(bearer(u.accessToken)).expect(404);
      }
      for (let i = 0; i < 5; i++) await t.http.get('/api/me').set(bearer(u.accessToken)).expect(200);
      await t.http.get('/api/me').set(bearer(u.accessToken)).expect(429);
      // the same route, the same address, as a guest: the guest's own budget
      await t.http.get('/api/users/nobody_here_at_all').expect(404);
    });
  });

  describe('for the pages’ Markdown previews', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '40' });
    });
    afterAll(() => t.close());

    it('charges a preview as a heavy request, from the same budget as the member’s other pages', async () => {
      const u = await createUser(t);
      const browser = await signInBrowser(t, u); // the member has spent 1 (the page that gave the form token)
      const preview = () =>
        t.http
          .post('/settings/profile')
          .set('Cookie', browser.cookie)
          .type('form')
          .send({ _csrf: browser.csrf, intent: 'preview', displayName: 'Budget', bio: '<'.repeat(2000) });
      for (let i = 0; i < 3; i++) expect((await preview()).status).toBe(200);
      const refused = await preview();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('failed sign-in keys', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMITS: 'on' });
    });
    afterAll(() => t.close());

    it('count the address under the keyed hash, never a plain hash anyone can reverse', async () => {
      await t.http
        .post('/api/auth/login')
        .send({ login: 'nobody_here_at_all', password: 'wrong-password' })
        .expect(401);
      const store = t.app.get(RateLimitStore);
      const plain = createHash('sha256').update('127.0.0.1').digest('base64url');
      const keyed = keyedIpHash(t.config.comments.ipHashSecret, '127.0.0.1');
      expect((await store.peek(`login-fail:client:${plain}`)).count).toBe(0);
      expect((await store.peek(`login-fail:client:${keyed}`)).count).toBe(1);
      // The account tried is under a keyed hash too: a plain hash of a login (an email) is reversed from a list.
      const plainLogin = createHash('sha256').update('login:nobody_here_at_all').digest('base64url');
      expect((await store.peek(`login-fail:account:${plainLogin}`)).count).toBe(0);
    });
  });

  if (process.env.REDIS_URL) {
    describe('across two server processes sharing Redis', () => {
      let a: TestApp;
      let b: TestApp;
      const shared = { REDIS_PREFIX: `haven:test:budget:${randomBytes(4).toString('hex')}:` };
      beforeAll(async () => {
        [a, b] = await Promise.all([
          startTestApp({ ...shared, RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '6' }),
          startTestApp({ ...shared, RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '6' }),
        ]);
      });
      afterAll(() => Promise.all([a.close(), b.close()]));

      it('holds one budget: what one process counted, the other refuses', async () => {
        for (let i = 0; i < 3; i++) await a.http.get('/api/users/nobody_here_at_all').expect(404);
        for (let i = 0; i < 3; i++) await b.http.get('/guidelines').expect(200);
        await a.http.get('/guidelines').expect(429);
        await b.http.get('/api/users/nobody_here_at_all').expect(429);
      });
    });
  }
});
