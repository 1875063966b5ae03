import { startTestApp, type TestApp } from './app';
import { createUser, uniqueUsername } from './factories/users';

describe('Brute-force and global limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '10000' });
  });
  afterAll(() => t.close());

  it('locks an account after 5 failed logins, even for the right password, with Retry-After', async () => {
    const u = await createUser(t);
    for (let i = 0; i < 5; i++) {
      await t.http
        .post('/api/auth/login')
        .send({ login: u.username, password: `wrong-password-${i}` })
        .expect(401);
    }
    const locked = await t.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    expect(locked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    // the same account by its email is the same account
    await t.http.post('/api/auth/login').send({ login: u.email.toUpperCase(), password: u.password }).expect(429);
  });

  it('counts failures per account, not per spelling: a success resets the account count', async () => {
    const u = await createUser(t);
    for (let i = 0; i < 4; i++) {
      await t.http.post('/api/auth/login').send({ login: u.username, password: 'wrong-password' }).expect(401);
    }
    await t.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(200);
    for (let i = 0; i < 4; i++) {
      await t.http.post('/api/auth/login').send({ login: u.username, password: 'wrong-password' }).expect(401);
    }
    await t.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(200);
  });
});

describe('Failed logins per IP (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on' });
  });
  afterAll(() => t.close());

  it('refuses an IP that failed 20 times, whichever accounts it tried', async () => {
    for (let i = 0; i < 20; i++) {
      await t.http
        .post('/api/auth/login')
        .send({ login: uniqueUsername('spray'), password: 'Summer2024!!' })
        .expect(401);
    }
    const res = await t.http
      .post('/api/auth/login')
      .send({ login: uniqueUsername('spray'), password: 'x' })
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
