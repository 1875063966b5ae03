import type { TestApp } from '../app';
import type { TestUser } from './users';

/** A browser's cookies as one Cookie header, after a response's Set-Cookie headers (a cleared one is dropped). */
export function cookiesOf(setCookie: string[] | string | undefined, previous = ''): string {
  const jar = new Map<string, string>();
  for (const part of previous.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name) jar.set(name, rest.join('='));
  }
  for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const [pair] = line.split(';');
    const [name, ...rest] = pair.split('=');
    const value = rest.join('=');
    if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The form token a page gives this browser (from its `<meta name="csrf-token">`), and the cookies it set. */
export async function csrfFor(t: TestApp, cookie: string, path = '/signin'): Promise<{ csrf: string; cookie: string }> {
  const res = await t.http.get(path).set('Cookie', cookie);
  const match = /<meta name="csrf-token" content="([^"]+)">/.exec(res.text);
  if (!match) throw new Error(`no csrf token on ${path} (status ${res.status})`);
  return { csrf: match[1], cookie: cookiesOf(res.headers['set-cookie'], cookie) };
}

/** Signs a member in through the sign-in form, as a browser does: their session cookie and its form token. */
export async function signInBrowser(t: TestApp, user: TestUser): Promise<{ cookie: string; csrf: string }> {
  const visitor = await csrfFor(t, '');
  const res = await t.http
    .post('/signin')
    .set('Cookie', visitor.cookie)
    .type('form')
    .send({ login: user.username, password: user.password, next: '/', _csrf: visitor.csrf });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const cookie = cookiesOf(res.headers['set-cookie'], visitor.cookie);
  if (!cookie.includes('haven_session=')) throw new Error('sign-in set no session cookie');
  return csrfFor(t, cookie, '/guidelines');
}
