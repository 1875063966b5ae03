import type { TestApp } from '../app';
import { solvePow, type TestUser } from './users';

export interface BrowserSession {
  /** The Cookie header a browser would send: the session and the visitor cookies. */
  cookie: string;
  /** The page's form token (`_csrf`), bound to this session. */
  csrf: string;
}

/** Cookies set by a response, as `name=value` pairs (attributes dropped). */
export function setCookies(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return Object.fromEntries(list.map((c) => c.split(';')[0]).map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
}

const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

/** The page's form token: its `<meta name="csrf-token">` (members, pages with islands) or a form's `_csrf` field. */
export function csrfOf(html: string): string {
  const match =
    /<meta name="csrf-token" content="([^"]+)">/.exec(html) ??
    /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html);
  if (!match) throw new Error('the page has no form token (no csrf-token meta, no _csrf field)');
  return match[1];
}

/** GETs a page with these cookies and returns its CSRF token. */
export async function csrfFor(t: TestApp, cookie: string, path = '/guidelines'): Promise<string> {
  const res = await t.http.get(path).set('Cookie', cookie).expect(200);
  return csrfOf(res.text);
}

/** Signs the member in through the sign-in form, as a browser does, and returns the cookie and a form token. */
export async function signInBrowser(
  t: TestApp,
  user: Pick<TestUser, 'username' | 'password'>,
): Promise<BrowserSession> {
  const form = await t.http.get('/signin').expect(200);
  const jar = setCookies(form);
  const res = await t.http
    .post('/signin')
    .set('Cookie', cookieHeader(jar))
    .type('form')
    .send({ login: user.username, password: user.password, _csrf: csrfOf(form.text), next: '/guidelines' })
    .expect(303);
  Object.assign(jar, setCookies(res));
  delete jar.haven_flash;
  if (!jar.haven_session) throw new Error('signing in set no session cookie');
  const cookie = cookieHeader(jar);
  return { cookie, csrf: await csrfFor(t, cookie) };
}

/** The cookies a response sets merged into a Cookie header (an emptied cookie is dropped, as a browser does). */
function mergeCookies(cookie: string, set: Record<string, string>): string {
  const jar = new Map<string, string>();
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const [name, value] of Object.entries(set)) {
    if (value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** A guest's browser: a visitor cookie and its form token. */
export async function guestBrowser(t: TestApp): Promise<BrowserSession> {
  const res = await t.http.get('/signin').expect(200);
  return { cookie: mergeCookies('', setCookies(res)), csrf: csrfOf(res.text) };
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

/** A browser that has opened this page: the form token it was given, and its cookies (a visitor's are set here). */
export async function browserAt(t: TestApp, cookie: string, path = '/signin'): Promise<BrowserSession> {
  const res = await t.http.get(path).set('Cookie', cookie);
  return { csrf: csrfOf(res.text), cookie: cookiesOf(res.headers['set-cookie'], cookie) };
}

/** A guest's browser: the visitor cookie a first page gave it, and that page's form token (bound to the cookie). */
export async function visitorSession(t: TestApp, path = '/signin'): Promise<BrowserSession> {
  const res = await t.http.get(path).expect(200);
  const visitor = setCookies(res).haven_visitor;
  if (!visitor) throw new Error(`${path} gave no visitor cookie`);
  return { cookie: `haven_visitor=${visitor}`, csrf: csrfOf(res.text) };
}

/** The sign-up form's proof-of-work answer, as the ALTCHA widget posts it (`altcha`: base64 JSON). */
export async function powPayload(t: TestApp): Promise<string> {
  const c = (await t.http.get('/api/captcha?kind=pow').expect(200)).body as {
    algorithm: string;
    challenge: string;
    salt: string;
    signature: string;
    maxNumber: number;
  };
  const payload = {
    algorithm: c.algorithm,
    challenge: c.challenge,
    number: solvePow(c),
    salt: c.salt,
    signature: c.signature,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}
