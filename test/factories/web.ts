import type { TestApp } from '../app';
import type { TestUser } from './users';

/** A browser's state for the web pages: its cookies (as one Cookie header) and the form token its pages carry. */
export interface BrowserSession {
  cookie: string;
  csrf: string;
}

/** The cookies a response sets, as `name=value` pairs (attributes dropped). */
function setCookies(res: { headers: Record<string, unknown> }): Map<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  const out = new Map<string, string>();
  for (const line of list) {
    const pair = line.split(';')[0];
    const eq = pair.indexOf('=');
    out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}

function mergeCookies(cookie: string, set: Map<string, string>): string {
  const jar = new Map<string, string>();
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const [name, value] of set) {
    if (value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The form token of a page as this browser sees it (and the cookies it may have been given on the way). */
export async function csrfFor(t: TestApp, cookie: string, path = '/guidelines'): Promise<BrowserSession> {
  const res = await t.http.get(path).set(cookie ? { Cookie: cookie } : {});
  const match = /<meta name="csrf-token" content="([^"]+)">/.exec(res.text);
  if (!match) throw new Error(`no csrf-token meta on ${path} (status ${res.status})`);
  return { cookie: mergeCookies(cookie, setCookies(res)), csrf: match[1] };
}

/** A guest's browser: a visitor cookie and its form token. */
export function guestBrowser(t: TestApp): Promise<BrowserSession> {
  return csrfFor(t, '', '/signin');
}

/** Signs a member in through the sign-in form, as a browser does; returns their cookies and form token. */
export async function signInBrowser(
  t: TestApp,
  user: Pick<TestUser, 'username' | 'password'>,
): Promise<BrowserSession> {
  const guest = await guestBrowser(t);
  const res = await t.http
    .post('/signin')
    .set('Cookie', guest.cookie)
    .type('form')
    .send({ login: user.username, password: user.password, _csrf: guest.csrf, next: '/' });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}: ${res.text.slice(0, 300)}`);
  const cookie = mergeCookies(guest.cookie, setCookies(res));
  if (!cookie.includes('haven_session=')) throw new Error('sign-in set no session cookie');
  return csrfFor(t, cookie);
}

/** Follows a POST's redirect as a browser does, carrying the cookies it set (the flash line among them). */
export function followRedirect(
  t: TestApp,
  browser: BrowserSession,
  res: { status: number; headers: Record<string, unknown> },
) {
  if (res.status !== 303) throw new Error(`expected a redirect, got ${res.status}`);
  const cookie = mergeCookies(browser.cookie, setCookies(res));
  return t.http.get(String(res.headers.location)).set('Cookie', cookie);
}
