import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { LoginThrottle } from '../src/auth/login-throttle';
import { startTestApp, type TestApp } from './app';
import { createUser, solvePow, uniqueUsername } from './factories/users';
import { setCookies } from './factories/web';

/** The brake's limits as configured: a client solves a captcha after 5 failures, waits after 30; an account, 10. */
const CLIENT_CAPTCHA = 5;
const CLIENT_REFUSED = 30;
const ACCOUNT_CAPTCHA = 10;

const BAD_LOGIN = 'Wrong username, email or password';
const CAPTCHA_NEEDED = expect.stringMatching(/solve the captcha/) as unknown as string;

/** A client address no other test uses (the app trusts X-Forwarded-For, as behind the project's proxy). */
const freshIp = () => `10.${[...randomBytes(3)].join('.')}`;

describe('Sign-in brake (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'true',
      GLOBAL_RATE_LIMIT_PER_MINUTE: '1000000',
      CAPTCHA_ISSUE_PER_MINUTE: '10000',
    });
    expect(t.config.auth.loginBrake).toMatchObject({
      clientCaptchaAfter: CLIENT_CAPTCHA,
      clientRefusedAfter: CLIENT_REFUSED,
      accountCaptchaAfter: ACCOUNT_CAPTCHA,
    });
  });
  afterAll(() => t.close());

  const login = (ip: string, body: Record<string, unknown>) =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send(body);

  /** A solved proof-of-work captcha, fetched from the same client. */
  const captchaFor = async (ip: string) => {
    const c = (await t.http.get('/api/captcha?kind=pow').set('X-Forwarded-For', ip).expect(200)).body as {
      id: string;
      salt: string;
      challenge: string;
      maxNumber: number;
    };
    return { id: c.id, number: solvePow(c) };
  };

  /** `n` wrong passwords from `ip` (solving the captcha whenever asked); answers the last reply. */
  const fail = async (ip: string, loginName: string, n: number) => {
    let last: Response | undefined;
    for (let i = 0; i < n; i++) {
      const asked = last?.body && (last.body as { captchaRequired?: boolean }).captchaRequired;
      const captcha = asked ? await captchaFor(ip) : undefined;
      last = await login(ip, { login: loginName, password: `not-it-${i}-at-all`, ...(captcha ? { captcha } : {}) });
      expect(last.status).toBe(401);
    }
    return last as Response;
  };

  it('lets the owner in at once from a fresh client while one client attacks her account', async () => {
    const owner = await createUser(t);
    const attacker = freshIp();
    for (let i = 1; i <= CLIENT_CAPTCHA; i++) {
      const res = await login(attacker, { login: owner.username, password: `guess-${i}-guess` }).expect(401);
      // The answer that crosses the threshold already says so; the ones before are plain.
      if (i < CLIENT_CAPTCHA) expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: BAD_LOGIN });
      else
        expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: BAD_LOGIN, captchaRequired: true });
    }
    // The attacking client is asked for a captcha, even with the right password: it is not refused outright.
    const asked = await login(attacker, { login: owner.username, password: owner.password }).expect(401);
    expect(asked.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: CAPTCHA_NEEDED,
      captchaRequired: true,
    });
    // With a solved captcha it may go on guessing, and is asked again each time.
    await fail(attacker, owner.email, ACCOUNT_CAPTCHA);
    // The owner, from a client with no recent failures, signs in with her password at once.
    const home = freshIp();
    const signedIn = await login(home, { login: owner.username, password: owner.password }).expect(200);
    expect(signedIn.body).toMatchObject({ user: { id: owner.id }, accessToken: expect.any(String) });
    await login(freshIp(), { login: owner.email, password: owner.password }).expect(200);
    // And the attacking client, with a solved captcha and the right password, gets in too (it may be her phone).
    await login(attacker, {
      login: owner.username,
      password: owner.password,
      captcha: await captchaFor(attacker),
    }).expect(200);
  });

  it('asks a captcha of every client that failed on an account attacked from many, never of a fresh one', async () => {
    const owner = await createUser(t);
    const botnet = Array.from({ length: ACCOUNT_CAPTCHA / 2 }, freshIp);
    // Each address stays under its own threshold; together they cross the account's.
    for (const [i, ip] of botnet.entries()) {
      const res = await fail(ip, owner.username, 2);
      // Only the failure that crosses the account's threshold says that this client will now be asked.
      if (i < botnet.length - 1) expect(res.body).not.toHaveProperty('captchaRequired');
      else expect(res.body).toMatchObject({ captchaRequired: true });
    }
    const res = await login(botnet[0], { login: owner.username, password: owner.password }).expect(401);
    expect(res.body).toMatchObject({ message: CAPTCHA_NEEDED, captchaRequired: true });
    // A client that failed only elsewhere is not affected by this account's count.
    const elsewhere = freshIp();
    await fail(elsewhere, uniqueUsername('nobody'), 1);
    await login(elsewhere, { login: owner.username, password: owner.password }).expect(200);
    await login(freshIp(), { login: owner.email, password: owner.password }).expect(200);
    await login(botnet[1], {
      login: owner.email,
      password: owner.password,
      captcha: await captchaFor(botnet[1]),
    }).expect(200);
  });

  it('lifts the account-wide brake when asked (a password reset calls clearAccount)', async () => {
    const owner = await createUser(t);
    const botnet = Array.from({ length: ACCOUNT_CAPTCHA / 2 }, freshIp);
    for (const ip of botnet) await fail(ip, owner.username, 2);
    await login(botnet[0], { login: owner.username, password: owner.password }).expect(401);
    await t.app.get(LoginThrottle).clearAccount(owner.id);
    await login(botnet[0], { login: owner.username, password: owner.password }).expect(200);
  });

  it('answers a username, its email and a login naming nobody alike, failure after failure', async () => {
    const [a, b] = [await createUser(t), await createUser(t)];
    const sequence = async (loginName: string) => {
      const ip = freshIp();
      const answers: unknown[] = [];
      for (let i = 0; i <= CLIENT_CAPTCHA; i++) {
        const res = await login(ip, { login: loginName, password: `wrong-${i}-wrong` });
        answers.push({ status: res.status, body: res.body as unknown, retryAfter: res.headers['retry-after'] });
      }
      return answers;
    };
    const byUsername = await sequence(a.username);
    expect(byUsername.at(-1)).toMatchObject({ status: 401, body: { captchaRequired: true } });
    expect(await sequence(b.email)).toEqual(byUsername);
    expect(await sequence(uniqueUsername('ghost'))).toEqual(byUsername);
    expect(await sequence(`${uniqueUsername('ghost')}@example.org`)).toEqual(byUsername);
  });

  it('tells one client nothing about which email belongs to which username', async () => {
    const [a, b] = [await createUser(t), await createUser(t)];
    // A client fails on a's username, then tries another name: a's email, b's, or nobody's. The answers match.
    const probe = async (name: string) => {
      const ip = freshIp();
      await fail(ip, a.username, CLIENT_CAPTCHA - 2);
      const answers: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await login(ip, { login: name, password: `still-not-it-${i}` });
        answers.push({ status: res.status, body: res.body as unknown });
      }
      return answers;
    };
    const own = await probe(a.email);
    expect(own.at(-1)).toMatchObject({ status: 401, body: { captchaRequired: true } });
    expect(await probe(b.email)).toEqual(own);
    expect(await probe(`${uniqueUsername('g')}@example.org`)).toEqual(own);
    expect(await probe(uniqueUsername('g'))).toEqual(own);
  });

  it('counts guesses sent all at once: no more than the threshold get their password checked', async () => {
    const owner = await createUser(t);
    const ip = freshIp();
    const answers = await Promise.all(
      Array.from({ length: 3 * CLIENT_CAPTCHA }, (_, i) => login(ip, { login: owner.username, password: `p-${i}-p` })),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 401));
    const checked = answers.filter((r) => (r.body as { message: string }).message === BAD_LOGIN);
    expect(checked).toHaveLength(CLIENT_CAPTCHA);
    // Those asked for a captcha were given back: the client's count is the passwords actually checked.
    const next = await login(ip, { login: owner.username, password: owner.password, captcha: await captchaFor(ip) });
    expect(next.status).toBe(200);
  });

  it('refuses a wrong captcha with 400 naming captcha, and keeps asking', async () => {
    const owner = await createUser(t);
    const ip = freshIp();
    await fail(ip, owner.username, CLIENT_CAPTCHA);
    const captcha = await captchaFor(ip);
    const res = await login(ip, {
      login: owner.username,
      password: owner.password,
      captcha: { id: captcha.id, number: captcha.number + 1 },
    }).expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/^captcha/),
      captchaRequired: true,
    });
    const malformed = await login(ip, { login: owner.username, password: owner.password, captcha: 'yes' }).expect(400);
    expect(JSON.stringify(malformed.body)).toContain('captcha');
  });

  it('makes a client whose own failures are far too many wait (429 with Retry-After); others sign in', async () => {
    const owner = await createUser(t);
    const ip = freshIp();
    await fail(ip, owner.username, CLIENT_REFUSED);
    const res = await login(ip, {
      login: owner.username,
      password: owner.password,
      captcha: await captchaFor(ip),
    }).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });
    // The same wait for a name that is nobody's: the refusal is about the client, not the account.
    await login(ip, { login: uniqueUsername('ghost'), password: 'x' }).expect(429);
    await login(freshIp(), { login: owner.username, password: owner.password }).expect(200);
  });

  describe('the sign-in page', () => {
    const page = async (ip: string) => {
      const res = await t.http.get('/signin').set('X-Forwarded-For', ip).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
      return { cookie: `haven_visitor=${setCookies(res).haven_visitor}`, csrf };
    };
    const post = (ip: string, v: { cookie: string; csrf: string }, form: Record<string, string>) =>
      t.http
        .post('/signin')
        .set('X-Forwarded-For', ip)
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, ...form });

    it('shows no captcha to a fresh client, and one when the brake asks; a solved one signs in', async () => {
      const owner = await createUser(t);
      const ip = freshIp();
      const v = await page(ip);
      const first = await post(ip, v, { login: owner.username, password: 'wrong-one-here' }).expect(422);
      expect(first.text).toContain(BAD_LOGIN);
      expect(first.text).not.toContain('name="captchaId"');
      for (let i = 1; i < CLIENT_CAPTCHA; i++) await post(ip, v, { login: owner.username, password: `no-${i}-no` });
      const asked = await post(ip, v, { login: owner.username, password: owner.password }).expect(422);
      expect(asked.text).toMatch(/solve the captcha/);
      expect(asked.text).toMatch(/name="captchaId" value="[0-9a-f-]{36}"/);
      expect(asked.text).toContain(`value="${owner.username}"`);
      expect(asked.text).not.toContain(owner.password);
      expect(asked.text).toContain('data-pow="/api/captcha?kind=pow"');
      // The page's proof-of-work widget posts its payload, as the island does.
      const c = (await t.http.get('/api/captcha?kind=pow').set('X-Forwarded-For', ip).expect(200)).body as {
        algorithm: string;
        challenge: string;
        salt: string;
        signature: string;
        maxNumber: number;
      };
      const solved = {
        algorithm: c.algorithm,
        challenge: c.challenge,
        number: solvePow(c),
        salt: c.salt,
        signature: c.signature,
      };
      const altcha = Buffer.from(JSON.stringify(solved)).toString('base64');
      const done = await post(ip, v, {
        login: owner.username,
        password: owner.password,
        captchaKind: 'pow',
        altcha,
        next: '/guidelines',
      }).expect(303);
      expect(setCookies(done).haven_session).toBeTruthy();
    });
  });
});
