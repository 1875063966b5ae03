import { startTestApp, type TestApp } from './app';
import { expireChallenge } from './factories/captcha';
import { bearer, createUser, solvedCaptcha, strongPassword, uniqueUsername } from './factories/users';

describe('Accounts (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const registration = async (overrides: Record<string, unknown> = {}) => {
    const username = uniqueUsername('reg');
    return {
      username,
      email: `${username}@example.org`,
      password: strongPassword(),
      captcha: await solvedCaptcha(t.http),
      ...overrides,
    };
  };

  describe('register', () => {
    it('creates the account and signs the member in', async () => {
      const body = await registration({ displayName: 'Rose' });
      const res = await t.http.post('/api/auth/register').send(body).expect(201);
      expect(res.body).toEqual({
        user: {
          id: expect.any(String),
          username: body.username,
          displayName: 'Rose',
          role: 'member',
          createdAt: expect.any(String),
        },
        accessToken: expect.any(String),
        accessTokenExpiresAt: expect.any(String),
        refreshToken: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toContain('@example.org');
      const me = await t.http.get('/api/me').set(bearer(res.body.accessToken)).expect(200);
      expect(me.body).toMatchObject({ username: body.username, email: body.email, role: 'member' });
    });

    it('stores the password as an argon2id hash with the OWASP parameters', async () => {
      const body = await registration();
      await t.http.post('/api/auth/register').send(body).expect(201);
      const [row] = (await t.db.query('SELECT password_hash FROM users WHERE username = $1', [
        body.username,
      ])) as Array<{
        password_hash: string;
      }>;
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(body.password);
    });

    it.each([
      ['username', { username: 'ab' }, 'username'],
      ['username', { username: 'no spaces!' }, 'username'],
      ['username', { username: 'x'.repeat(33) }, 'username'],
      ['username', { username: 42 }, 'username'],
      ['email', { email: 'not-an-email' }, 'email'],
      ['email', { email: undefined }, 'email'],
      ['password', { password: 'short' }, 'password'],
      ['password', { password: 'x'.repeat(129) }, 'password'],
      ['password', { password: 'qwertyuiop' }, 'password'],
      ['password', { password: undefined }, 'password'],
      ['displayName', { displayName: 'x'.repeat(65) }, 'displayName'],
      ['captcha', { captcha: undefined }, 'captcha'],
      ['captcha', { captcha: 'yes' }, 'captcha'],
      ['captcha', { captcha: { id: 'nope', number: 1 } }, 'captcha'],
      ['an unknown field', { isAdmin: true }, 'isAdmin'],
    ])('refuses a bad %s with 400 naming it', async (_what, overrides, field) => {
      const res = await t.http
        .post('/api/auth/register')
        .send(await registration(overrides))
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack
    });

    it('refuses a password that contains the username', async () => {
      const username = uniqueUsername('pw');
      const res = await t.http
        .post('/api/auth/register')
        .send(await registration({ username, email: `${username}@example.org`, password: `${username}-2024!!` }))
        .expect(400);
      expect(JSON.stringify(res.body.message)).toContain('password');
    });

    it('refuses a taken username, whatever its case, with 409', async () => {
      const first = await registration();
      await t.http.post('/api/auth/register').send(first).expect(201);
      const res = await t.http
        .post('/api/auth/register')
        .send(await registration({ username: first.username.toUpperCase() }))
        .expect(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringContaining('username') });
    });

    it('answers a registered email, whatever its case, as a fresh one (201): whether it has an account is private', async () => {
      const first = await registration();
      const fresh = await t.http.post('/api/auth/register').send(first).expect(201);
      const again = await t.http
        .post('/api/auth/register')
        .send(await registration({ email: first.email.toUpperCase() }))
        .expect(201);
      expect(Object.keys(again.body as object).sort()).toEqual(Object.keys(fresh.body as object).sort());
      expect(JSON.stringify(again.body)).not.toContain(first.email);
    });

    it('keeps one account when two registrations race for the same name', async () => {
      const a = await registration();
      const b = await registration({ username: a.username });
      const results = await Promise.all([
        t.http.post('/api/auth/register').send(a),
        t.http.post('/api/auth/register').send(b),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const [{ count }] = (await t.db.query('SELECT count(*)::int AS count FROM users WHERE username = $1', [
        a.username,
      ])) as Array<{ count: number }>;
      expect(count).toBe(1);
    });

    it('refuses a wrong, a replayed and an expired captcha with 400 naming captcha', async () => {
      const wrong = await solvedCaptcha(t.http);
      let res = await t.http
        .post('/api/auth/register')
        .send(await registration({ captcha: { id: wrong.id, number: wrong.number + 1 } }))
        .expect(400);
      expect(res.body.message).toContain('captcha');
      // a wrong answer used the challenge up: the right one no longer works
      res = await t.http
        .post('/api/auth/register')
        .send(await registration({ captcha: wrong }))
        .expect(400);
      expect(res.body.message).toContain('captcha');

      const replayed = await solvedCaptcha(t.http);
      await t.http
        .post('/api/auth/register')
        .send(await registration({ captcha: replayed }))
        .expect(201);
      res = await t.http
        .post('/api/auth/register')
        .send(await registration({ captcha: replayed }))
        .expect(400);
      expect(res.body.message).toContain('captcha');

      const expired = await solvedCaptcha(t.http);
      await expireChallenge(t, expired.id);
      res = await t.http
        .post('/api/auth/register')
        .send(await registration({ captcha: expired }))
        .expect(400);
      expect(res.body.message).toContain('captcha');
    });
  });

  describe('login', () => {
    it('signs in by username or by email, in any case', async () => {
      const u = await createUser(t);
      for (const login of [u.username, u.email, u.email.toUpperCase()]) {
        const res = await t.http.post('/api/auth/login').send({ login, password: u.password }).expect(200);
        expect(res.body.user).toMatchObject({ id: u.id, username: u.username });
      }
    });

    it('gives one 401 message for a wrong password and an unknown user alike', async () => {
      const u = await createUser(t);
      const wrong = await t.http.post('/api/auth/login').send({ login: u.username, password: 'wrong-password-1' });
      const unknown = await t.http
        .post('/api/auth/login')
        .send({ login: uniqueUsername('ghost'), password: 'whatever-123' });
      const unknownEmail = await t.http
        .post('/api/auth/login')
        .send({ login: 'ghost@example.org', password: 'whatever-123' });
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(unknownEmail.body).toEqual(wrong.body);
    });

    it('refuses a missing login or password with 400', async () => {
      const res = await t.http.post('/api/auth/login').send({ login: 'someone' }).expect(400);
      expect(JSON.stringify(res.body.message)).toContain('password');
    });
  });

  describe('refresh', () => {
    it('rotates: the new pair works, the old refresh token does not', async () => {
      const u = await createUser(t);
      const first = await t.http.post('/api/auth/refresh').send({ refreshToken: u.refreshToken }).expect(200);
      expect(first.body.refreshToken).not.toBe(u.refreshToken);
      await t.http.get('/api/me').set(bearer(first.body.accessToken)).expect(200);
      await t.http.post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    });

    it('revokes the whole family when a rotated token is reused', async () => {
      const u = await createUser(t);
      const next = await t.http.post('/api/auth/refresh').send({ refreshToken: u.refreshToken }).expect(200);
      // the stolen, already-used token comes back
      await t.http.post('/api/auth/refresh').send({ refreshToken: u.refreshToken }).expect(401);
      // every token of that session is now dead, access tokens included
      await t.http.post('/api/auth/refresh').send({ refreshToken: next.body.refreshToken }).expect(401);
      await t.http.get('/api/me').set(bearer(next.body.accessToken)).expect(401);
      await t.http.get('/api/me').set(bearer(u.accessToken)).expect(401);
      // other sessions of the member are untouched
      const other = await t.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(200);
      await t.http.get('/api/me').set(bearer(other.body.accessToken)).expect(200);
    });

    it('refuses garbage and a forged secret with 401', async () => {
      const u = await createUser(t);
      await t.http.post('/api/auth/refresh').send({ refreshToken: 'garbage' }).expect(401);
      const [id] = u.refreshToken.split('.');
      await t.http
        .post('/api/auth/refresh')
        .send({ refreshToken: `${id}.${'A'.repeat(43)}` })
        .expect(401);
      // the forged attempt did not burn the real token
      await t.http.post('/api/auth/refresh').send({ refreshToken: u.refreshToken }).expect(200);
      await t.http.post('/api/auth/refresh').send({}).expect(400);
    });
  });

  describe('logout', () => {
    it('ends the session at once: its access and refresh tokens stop working', async () => {
      const u = await createUser(t);
      await t.http
        .post('/api/auth/logout')
        .set(bearer(u.accessToken))
        .send({ refreshToken: u.refreshToken })
        .expect(204);
      await t.http.get('/api/me').set(bearer(u.accessToken)).expect(401);
      await t.http.post('/api/auth/refresh').send({ refreshToken: u.refreshToken }).expect(401);
    });

    it('logout-all ends every session of the member', async () => {
      const u = await createUser(t);
      const second = await t.http.post('/api/auth/login').send({ login: u.username, password: u.password }).expect(200);
      await t.http.post('/api/auth/logout-all').set(bearer(u.accessToken)).expect(204);
      await t.http.get('/api/me').set(bearer(second.body.accessToken)).expect(401);
      await t.http.post('/api/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    });

    it('needs a signed-in member', async () => {
      await t.http.post('/api/auth/logout').send({ refreshToken: 'x' }).expect(401);
    });
  });

  describe('access tokens', () => {
    it('refuses a missing, malformed or tampered token with 401', async () => {
      const u = await createUser(t);
      await t.http.get('/api/me').expect(401);
      await t.http.get('/api/me').set('Authorization', 'Basic abc').expect(401);
      await t.http.get('/api/me').set(bearer('not.a.token')).expect(401);
      const [h, p, s] = u.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: '1' })).toString('base64url');
      await t.http
        .get('/api/me')
        .set(bearer(`${h}.${forged}.${s}`))
        .expect(401);
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await t.http
        .get('/api/me')
        .set(bearer(`${none}.${p}.`))
        .expect(401);
    });
  });
});
