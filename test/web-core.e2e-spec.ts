import type TestAgent from 'supertest/lib/agent';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';

/** A browser's cookie jar, reduced to what Haven sets: name -> value. */
type Jar = Map<string, string>;

function keep(jar: Jar, setCookie: string[] | string | undefined): void {
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (/Max-Age=0/.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
const csrfOf = (html: string) =>
  (/<meta name="csrf-token" content="([^"]+)">/.exec(html) ?? /name="_csrf" value="([^"]+)"/.exec(html))?.[1] ?? '';

async function open(http: TestAgent, jar: Jar, path: string) {
  const res = await http.get(path).set('Cookie', cookieHeader(jar)).set('Accept', 'text/html');
  keep(jar, res.headers['set-cookie']);
  return { res, csrf: csrfOf(res.text) };
}

async function signIn(http: TestAgent, user: TestUser): Promise<Jar> {
  const jar: Jar = new Map();
  const { csrf } = await open(http, jar, '/signin');
  const res = await http
    .post('/signin')
    .set('Cookie', cookieHeader(jar))
    .type('form')
    .send({ _csrf: csrf, login: user.username, password: user.password, next: '/guidelines' })
    .expect(303);
  keep(jar, res.headers['set-cookie']);
  expect(jar.get('haven_session')).toBeDefined();
  return jar;
}

describe('Web frame (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves pages at the root and the API under /api; unknown addresses get a page for browsers, JSON for the API', async () => {
    const page = await t.http.get('/guidelines').expect(200);
    // A guest who only reads gets no cookie at all.
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('private, no-cache');
    expect(page.text).toContain('Skip to main content');
    expect(page.text).toContain('116 123');
    const missing = await t.http.get('/no-such-page').set('Accept', 'text/html').expect(404);
    expect(missing.text).toContain('<h1>Page not found</h1>');
    const api = await t.http.get('/api/no-such-route').set('Accept', 'text/html').expect(404);
    expect(api.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    await t.http.get('/api/health').expect(200);
  });

  it('signs in with an http-only, same-site cookie that is not a bearer token, and brings the member back', async () => {
    const user = await createUser(t);
    const jar: Jar = new Map();
    const { csrf } = await open(t.http, jar, '/signin?next=/guidelines');
    const res = await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(jar))
      .type('form')
      .send({ _csrf: csrf, login: user.username, password: user.password, next: '/guidelines' })
      .expect(303);
    expect(res.headers.location).toBe('/guidelines');
    const session = [res.headers['set-cookie']].flat().find((c: string) => c.startsWith('haven_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    keep(jar, res.headers['set-cookie']);
    const page = await open(t.http, jar, '/guidelines');
    expect(page.res.text).toContain('Sign out');
    // The cookie's value does not work as a bearer token, nor a bearer token as the cookie.
    await t.http
      .get('/api/me')
      .set(bearer(jar.get('haven_session')!))
      .expect(401);
    const withToken = await t.http.get('/guidelines').set('Cookie', `haven_session=${user.accessToken}`).expect(200);
    expect(withToken.text).not.toContain('Sign out');
  });

  it('refuses a form without our token, or sent from another site, and keeps nobody signed in', async () => {
    const user = await createUser(t);
    const jar: Jar = new Map();
    const { csrf } = await open(t.http, jar, '/signin');
    const missing = await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(jar))
      .set('Accept', 'text/html')
      .type('form')
      .send({ login: user.username, password: user.password })
      .expect(403);
    expect(missing.text).toContain('reload it and send again');
    await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(jar))
      .type('form')
      .send({ _csrf: 'forged', login: user.username, password: user.password })
      .expect(403);
    await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(jar))
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ _csrf: csrf, login: user.username, password: user.password })
      .expect(403);
    // Another visitor's token does not fit this visitor's cookie.
    const other: Jar = new Map();
    await open(t.http, other, '/signin');
    await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(other))
      .type('form')
      .send({ _csrf: csrf, login: user.username, password: user.password })
      .expect(403);
  });

  it('keeps what was typed on a wrong password, with one message for every failure', async () => {
    const user = await createUser(t);
    const jar: Jar = new Map();
    const { csrf } = await open(t.http, jar, '/signin');
    const res = await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(jar))
      .type('form')
      .send({ _csrf: csrf, login: user.username, password: 'not-the-password' })
      .expect(422);
    expect(res.text).toContain('Wrong username, email or password');
    expect(res.text).toContain(`value="${user.username}"`);
    const nobody = await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(jar))
      .type('form')
      .send({ _csrf: csrf, login: 'nobody-at-all', password: 'not-the-password' })
      .expect(422);
    expect(nobody.text).toContain('Wrong username, email or password');
  });

  it('never redirects off the site after signing in', async () => {
    const user = await createUser(t);
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const jar: Jar = new Map();
      const { csrf } = await open(t.http, jar, '/signin');
      const res = await t.http
        .post('/signin')
        .set('Cookie', cookieHeader(jar))
        .type('form')
        .send({ _csrf: csrf, login: user.username, password: user.password, next })
        .expect(303);
      expect(res.headers.location).toBe('/');
    }
  });

  it('ends the session on sign-out: the old cookie no longer signs anyone in', async () => {
    const user = await createUser(t);
    const jar = await signIn(t.http, user);
    const stolen = jar.get('haven_session')!;
    const { csrf } = await open(t.http, jar, '/guidelines');
    const out = await t.http.post('/signout').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: csrf });
    expect(out.status).toBe(303);
    const after = await t.http.get('/guidelines').set('Cookie', `haven_session=${stolen}`).expect(200);
    expect(after.text).not.toContain('Sign out');
    expect([after.headers['set-cookie']].flat().join()).toMatch(/haven_session=; .*Max-Age=0/);
  });

  it('signs the browser out when the member signs out everywhere through the API', async () => {
    const user = await createUser(t);
    const jar = await signIn(t.http, user);
    expect((await open(t.http, jar, '/guidelines')).res.text).toContain('Sign out');
    await t.http.post('/api/auth/logout-all').set(bearer(user.accessToken)).expect(204);
    expect((await open(t.http, jar, '/guidelines')).res.text).not.toContain('Sign out');
  });

  it('refuses a banned member at sign-in with the reason', async () => {
    const mod = await createUser(t, { role: 'moderator' });
    const user = await createUser(t);
    await t.http
      .post(`/api/moderation/users/${user.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({ kind: 'ban', reason: 'spam links' })
      .expect(201);
    const jar: Jar = new Map();
    const { csrf } = await open(t.http, jar, '/signin');
    const res = await t.http
      .post('/signin')
      .set('Cookie', cookieHeader(jar))
      .type('form')
      .send({ _csrf: csrf, login: user.username, password: user.password })
      .expect(403);
    expect(res.text).toContain('spam links');
  });

  it('lets a silenced member read and sign out, but not post', async () => {
    const mod = await createUser(t, { role: 'moderator' });
    const user = await createUser(t);
    const jar = await signIn(t.http, user);
    await t.http
      .post(`/api/moderation/users/${user.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({ kind: 'silence', reason: 'cooling off' })
      .expect(201);
    const { res, csrf } = await open(t.http, jar, '/guidelines');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are silenced');
    expect(res.text).toContain('cooling off');
    const out = await t.http.post('/signout').set('Cookie', cookieHeader(jar)).type('form').send({ _csrf: csrf });
    expect(out.status).toBe(303);
    keep(jar, out.headers['set-cookie']);
    expect(jar.has('haven_session')).toBe(false);
  });
});
