import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { createUser, solvePow, strongPassword, uniqueUsername } from './factories/users';
import { eventually } from './support/eventually';

/**
 * Two Havens on one database (and, when REDIS_URL is set as in CI, one Redis), as two server processes behind a
 * load balancer: what one process issues or counts, the other honours.
 */
describe('Two server processes (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  const shared = { REDIS_PREFIX: `haven:test:procs:${randomBytes(4).toString('hex')}:` };

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestApp({ ...shared, RATE_LIMITS: 'on', TRUST_PROXY: 'true', GLOBAL_RATE_LIMIT_PER_MINUTE: '100000' }),
      startTestApp({ ...shared, RATE_LIMITS: 'on', TRUST_PROXY: 'true', GLOBAL_RATE_LIMIT_PER_MINUTE: '100000' }),
    ]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('checks a captcha issued by one process on the other, once', async () => {
    const c = (await a.http.get('/api/captcha?kind=pow').expect(200)).body as {
      id: string;
      salt: string;
      challenge: string;
      maxNumber: number;
    };
    const captcha = { id: c.id, number: solvePow(c) };
    const form = () => {
      const username = uniqueUsername('two');
      return { username, email: `${username}@example.org`, password: strongPassword(), captcha };
    };
    await b.http.post('/api/auth/register').send(form()).expect(201);
    await a.http.post('/api/auth/register').send(form()).expect(400);
  });

  it('accepts on one process the tokens the other issued, and revocations apply on both', async () => {
    const u = await createUser(a);
    await b.http.get('/api/me').set('Authorization', `Bearer ${u.accessToken}`).expect(200);
    await a.http
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${u.accessToken}`)
      .send({ refreshToken: u.refreshToken })
      .expect(204);
    await b.http.get('/api/me').set('Authorization', `Bearer ${u.accessToken}`).expect(401);
  });

  it('refreshes watched words on the other process as soon as the list changes', async () => {
    const admin = await createUser(a, { role: 'admin' });
    const author = await createUser(b, { role: 'moderator' }); // not paced: only the watched word decides
    const slug = `cat-${randomBytes(4).toString('hex')}`;
    await a.http
      .post('/api/categories')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ slug, name: 'Two processes', approval: 'none' })
      .expect(201);
    const word = `forbidden${randomBytes(3).toString('hex')}`;
    const created = await a.http
      .post('/api/moderation/watched-words')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ pattern: word, action: 'block' })
      .expect(201);
    const post = () =>
      b.http
        .post(`/api/categories/${slug}/threads`)
        .set('Authorization', `Bearer ${author.accessToken}`)
        .send({ title: 'Checking the other process', body: `this has ${word} in it` });
    // The other process learns of the change through Redis: poll until it refuses.
    await eventually(async () => expect((await post()).status).toBe(422));
    await a.http
      .delete(`/api/moderation/watched-words/${created.body.id}`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(204);
    await eventually(async () => expect((await post()).status).toBe(201));
  });

  if (process.env.REDIS_URL) {
    it('counts failed sign-ins across both processes (Redis): either asks the failing client for a captcha', async () => {
      const u = await createUser(a);
      const attacker = `10.${[...randomBytes(3)].join('.')}`;
      for (let i = 0; i < 5; i++) {
        const app = i % 2 === 0 ? a : b;
        await app.http
          .post('/api/auth/login')
          .set('X-Forwarded-For', attacker)
          .send({ login: u.username, password: `nope-${i}-nope-nope` })
          .expect(401);
      }
      for (const app of [a, b]) {
        const res = await app.http
          .post('/api/auth/login')
          .set('X-Forwarded-For', attacker)
          .send({ login: u.username, password: u.password })
          .expect(401);
        expect(res.body).toMatchObject({ captchaRequired: true });
      }
      // The owner elsewhere is not held up by it, on either process.
      await b.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(200);
    });

    it('keeps captcha challenges in Redis, not in the database', async () => {
      const c = (await a.http.get('/api/captcha?kind=pow').expect(200)).body as { id: string };
      const rows = (await a.db.query('SELECT 1 FROM captcha_challenges WHERE id = $1', [c.id])) as unknown[];
      expect(rows).toHaveLength(0);
    });
  }
});
