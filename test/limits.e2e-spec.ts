import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { createUser, solvedCaptcha, uniqueUsername } from './factories/users';

/** The sign-in brake in full is in sign-in-brake.e2e-spec.ts; here, that it asks rather than locks. */
describe('Brute-force and global limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'true', GLOBAL_RATE_LIMIT_PER_MINUTE: '10000' });
  });
  afterAll(() => t.close());

  const from = () => `10.${[...randomBytes(3)].join('.')}`;

  it('asks the failing client for a captcha after 5 failed sign-ins, by username or email; never locks', async () => {
    const u = await createUser(t);
    const ip = from();
    for (let i = 0; i < 5; i++) {
      await t.http
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ login: u.username, password: `wrong-password-${i}` })
        .expect(401);
    }
    for (const login of [u.username, u.email.toUpperCase()]) {
      const asked = await t.http
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ login, password: u.password })
        .expect(401);
      expect(asked.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', captchaRequired: true });
    }
    await t.http
      .post('/api/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ login: u.username, password: u.password, captcha: await solvedCaptcha(t.http) })
      .expect(200);
    await t.http
      .post('/api/auth/login')
      .set('X-Forwarded-For', from())
      .send({ login: u.email, password: u.password })
      .expect(200);
  });

  it("a success does not wipe the client's own failures (else signing in to one's own account between guesses would)", async () => {
    const u = await createUser(t);
    const ip = from();
    const send = (password: string) =>
      t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ login: u.username, password });
    for (let i = 0; i < 4; i++) await send('wrong-password').expect(401);
    await send(u.password).expect(200);
    const fifth = await send('wrong-password').expect(401);
    expect(fifth.body).toMatchObject({ captchaRequired: true });
  });
});

describe('Failed logins per IP (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMITS: 'on',
      GLOBAL_RATE_LIMIT_PER_MINUTE: '100000',
      CAPTCHA_ISSUE_PER_MINUTE: '1000',
    });
  });
  afterAll(() => t.close());

  it('asks an IP spraying many accounts for a captcha after 5 failures, and makes it wait after 30', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await t.http
        .post('/api/auth/login')
        .send({
          login: uniqueUsername('spray'),
          password: 'Summer2024!!',
          ...(i >= 5 ? { captcha: await solvedCaptcha(t.http) } : {}),
        })
        .expect(401);
      if (i === 4) expect(res.body).toMatchObject({ captchaRequired: true });
    }
    const res = await t.http
      .post('/api/auth/login')
      .send({ login: uniqueUsername('spray'), password: 'x', captcha: await solvedCaptcha(t.http) })
      .expect(429);
    expect(res.headers['retry-after']).toBeDefined();
  });
});

describe('Global request limit (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After past the per-minute budget; health is not counted', async () => {
    for (let i = 0; i < 5; i++) await t.http.get('/api/users/nobody_here_at_all').expect(404);
    const res = await t.http.get('/api/users/nobody_here_at_all').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });
    await t.http.get('/api/health').expect(200);
  });
});

describe('RATE_LIMITS=off (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'off', GLOBAL_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('lifts the pacing and the login brake', async () => {
    for (let i = 0; i < 4; i++) await t.http.get('/api/users/nobody_here_at_all').expect(404);
    const u = await createUser(t);
    for (let i = 0; i < 6; i++) {
      await t.http.post('/api/auth/login').send({ login: u.username, password: 'wrong-password' }).expect(401);
    }
    await t.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(200);
  });
});
