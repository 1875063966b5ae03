import type { TestApp } from '../app';
import type { TestUser } from './users';

/** The `name=value` pairs of a response's Set-Cookie headers, for a Cookie header. */
export function cookiesOf(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  const out: Record<string, string> = {};
  for (const line of list) {
    const pair = line.split(';')[0];
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** The page's form token (the csrf-token meta). */
export function csrfOf(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  if (!match) throw new Error('no csrf-token meta on the page');
  return match[1];
}

/** A page's CSRF token for this browser (a cookie header, or '' for a first visit), and the cookie to go with it. */
export async function csrfFor(t: TestApp, cookie: string, path = '/signin'): Promise<{ cookie: string; csrf: string }> {
  const res = await t.http.get(path).set('Cookie', cookie);
  const set = cookiesOf(res);
  const jar = new Map(
    cookie
      .split(';')
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as [string, string]),
  );
  for (const [name, value] of Object.entries(set)) jar.set(name, value);
  return {
    cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
    csrf: csrfOf(res.text),
  };
}

/** Signs a member in through the sign-in form, as a browser does: returns its cookies and a form token. */
export async function signInBrowser(t: TestApp, user: TestUser): Promise<{ cookie: string; csrf: string }> {
  const visitor = await csrfFor(t, '', '/signin');
  const res = await t.http
    .post('/signin')
    .set('Cookie', visitor.cookie)
    .type('form')
    .send({ login: user.username, password: user.password, _csrf: visitor.csrf })
    .expect(303);
  const session = cookiesOf(res).haven_session;
  if (!session) throw new Error('signing in set no session cookie');
  return csrfFor(t, `${visitor.cookie}; haven_session=${session}`, '/signin');
}
