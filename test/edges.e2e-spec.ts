import { startTestApp, type TestApp } from './app';
import { bearer, createUser } from './factories/users';

describe('HTTP edges (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://haven.example.org' });
  });
  afterAll(() => t.close());

  it('answers health with 200 and the database status', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves OpenAPI JSON and a docs page', async () => {
    const json = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/register', '/api/auth/login', '/api/captcha', '/api/me', '/api/health']),
    );
    const page = await t.http.get('/api/docs').redirects(1).expect(200);
    expect(page.text).toContain('swagger');
  });

  it('refuses malformed JSON with 400 in the contract shape', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"login": "x", "password": ')
      .expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('JSON') });
  });

  it('refuses a body over 64 KB with 413', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .send({ login: 'x', password: 'y'.repeat(70 * 1024) })
      .expect(413);
    expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
  });

  it('refuses a JSON body that is not an object with 400', async () => {
    const res = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send('[1,2]').expect(400);
    expect(res.body.statusCode).toBe(400);
  });

  it('answers an unknown route with 404 in the contract shape', async () => {
    const res = await t.http.get('/api/no-such-thing').expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });

  it('refuses an unknown query value with 400 naming it', async () => {
    const res = await t.http.get('/api/captcha?kind=sound').expect(400);
    expect(JSON.stringify(res.body.message)).toContain('kind');
  });

  it('sends helmet security headers and a request id', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    const docs = await t.http.get('/api/docs/').redirects(1);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    const echoed = await t.http.get('/api/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('abc-123');
  });

  it('allows configured CORS origins only', async () => {
    const ok = await t.http
      .options('/api/auth/login')
      .set('Origin', 'https://haven.example.org')
      .set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://haven.example.org');
    const other = await t.http
      .options('/api/auth/login')
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never shows an email in a public profile', async () => {
    const u = await createUser(t);
    const res = await t.http.get(`/api/users/${u.username}`).expect(200);
    expect(res.body).toEqual({
      username: u.username,
      displayName: u.username,
      bio: '',
      role: 'member',
      joinedAt: expect.any(String),
      postCount: 0,
    });
    expect(JSON.stringify(res.body)).not.toContain('@');
    await t.http.get('/api/users/nobody_here_at_all').expect(404);
  });

  it('lets a member edit their profile, and refuses bad fields', async () => {
    const u = await createUser(t);
    const res = await t.http
      .patch('/api/me')
      .set(bearer(u.accessToken))
      .send({ displayName: '  Dawn  ', bio: 'Caring for my sister.' })
      .expect(200);
    expect(res.body).toMatchObject({ displayName: 'Dawn', bio: 'Caring for my sister.', email: u.email });
    const bad = await t.http.patch('/api/me').set(bearer(u.accessToken)).send({ displayName: '' }).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('displayName');
    const unknown = await t.http.patch('/api/me').set(bearer(u.accessToken)).send({ role: 'admin' }).expect(400);
    expect(JSON.stringify(unknown.body.message)).toContain('role');
    await t.http.patch('/api/me').send({ bio: 'x' }).expect(401);
  });

  it('blocks and unblocks a member', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    await t.http.post(`/api/users/${b.username}/block`).set(bearer(a.accessToken)).expect(204);
    await t.http.post(`/api/users/${b.username}/block`).set(bearer(a.accessToken)).expect(204); // idempotent
    let list = await t.http.get('/api/me/blocks').set(bearer(a.accessToken)).expect(200);
    expect(list.body).toEqual([{ username: b.username, displayName: b.username }]);
    await t.http.delete(`/api/users/${b.username}/block`).set(bearer(a.accessToken)).expect(204);
    list = await t.http.get('/api/me/blocks').set(bearer(a.accessToken)).expect(200);
    expect(list.body).toEqual([]);
    await t.http.post(`/api/users/${a.username}/block`).set(bearer(a.accessToken)).expect(400);
    await t.http.post('/api/users/nobody_here_at_all/block').set(bearer(a.accessToken)).expect(404);
    await t.http.post(`/api/users/${b.username}/block`).expect(401);
  });
});
