import { runCli } from '../src/cli/cli';
import { startTestApp, TEST_ENV, type TestApp } from './app';
import { ownDatabase, type OwnDatabase } from './support/own-database';
import { createUser, strongPassword, uniqueUsername } from './factories/users';
import { followRedirect, signInBrowser, visitorSession } from './factories/web';
import { SetupLink } from '../src/auth/setup-link';

/**
 * The first admin of a fresh install: the one-time setup link the server prints at start. On a database of its own:
 * these tests need an install with no admin, and step admins down to get one.
 */
describe(SetupLink.name, () => {
  let db: OwnDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  /** An install with no admin who can sign in (the system account `haven` has the role but no password). */
  async function noAdmin(): Promise<void> {
    await t.db.query(`UPDATE users SET role = 'member' WHERE role = 'admin' AND password_hash <> '!'`);
  }

  async function freshLink(): Promise<string> {
    await noAdmin();
    const token = await t.app.get(SetupLink).issue();
    if (!token) throw new Error('no setup link was issued');
    return `/setup/${token}`;
  }

  function send(path: string, v: { cookie: string; csrf: string }, fields: Record<string, string>) {
    return t.http
      .post(path)
      .set('Cookie', v.cookie)
      .type('form')
      .send({ _csrf: v.csrf, ...fields });
  }

  const account = () => {
    const username = uniqueUsername('adm');
    return { username, email: `${username}@example.org`, password: strongPassword() };
  };

  it('prints one line with the link at start, under PUBLIC_URL, while no admin exists', async () => {
    await noAdmin();
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.join(' '));
    });
    let second: TestApp | undefined;
    try {
      second = await startTestApp({ DATABASE_URL: db.url });
    } finally {
      spy.mockRestore();
    }
    try {
      const printed = lines.filter((l) => l.includes('/setup/'));
      expect(printed).toHaveLength(1);
      const link = /http:\/\/haven\.test(\/setup\/[A-Za-z0-9_-]{43})\b/.exec(printed[0])?.[1];
      expect(link).toBeDefined();
      const page = await second.http.get(link!).expect(200);
      expect(page.text).toContain('<h1>Set up Haven</h1>');
      expect(page.text).toContain('noindex');
    } finally {
      await second.close();
    }
  });

  it('makes the first admin once, with a confirmed address, and answers "already used" ever after', async () => {
    const path = await freshLink();
    const v = await visitorSession(t, path);
    const a = account();
    const res = await send(path, v, a).expect(303);
    expect(res.headers.location).toBe('/signin');
    const signin = await followRedirect(t, v, res).expect(200);
    expect(signin.text).toContain(`Your admin account ${a.username} is ready`);

    const [row] = (await t.db.query(
      `SELECT role, email_verified_at IS NOT NULL AS confirmed, password_hash LIKE '$argon2id$%' AS argon FROM users WHERE username = $1`,
      [a.username],
    )) as Array<{ role: string; confirmed: boolean; argon: boolean }>;
    expect(row).toEqual({ role: 'admin', confirmed: true, argon: true });
    const browser = await signInBrowser(t, a);
    expect(browser.cookie).toContain('haven_session=');

    const again = await t.http.get(path).expect(410);
    expect(again.text).toContain('This setup link was already used');
    expect(again.text).not.toContain('name="password"');
    const second = account();
    const reuse = await send(path, v, second).expect(410);
    expect(reuse.text).toContain('This setup link was already used');
    const made = (await t.db.query(`SELECT 1 FROM users WHERE username = $1`, [second.username])) as unknown[];
    expect(made).toHaveLength(0);
  });

  it('of two people sending the form at once, makes exactly one admin', async () => {
    const path = await freshLink();
    const [v1, v2] = await Promise.all([visitorSession(t, path), visitorSession(t, path)]);
    const [a1, a2] = [account(), account()];
    const answers = await Promise.all([send(path, v1, a1), send(path, v2, a2)]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410]);
    const admins = (await t.db.query(`SELECT username FROM users WHERE role = 'admin' AND username = ANY($1)`, [
      [a1.username, a2.username],
    ])) as unknown[];
    expect(admins).toHaveLength(1);
  });

  it('makes no link once an admin exists, and a link made before then stops working', async () => {
    const path = await freshLink();
    await createUser(t, { role: 'admin' });
    await expect(t.app.get(SetupLink).issue()).resolves.toBeUndefined();
    await t.http.get(path).expect(410);
    const v = await visitorSession(t, '/signin');
    await send(path, v, account()).expect(410);
  });

  it('is not voided by the admin CLI, which starts the app without a server', async () => {
    const path = await freshLink();
    const someone = await createUser(t);
    const out = { log: () => undefined, error: () => undefined };
    await expect(
      runCli(
        ['users:set-role', someone.username, 'moderator'],
        { ...process.env, ...TEST_ENV, DATABASE_URL: db.url },
        out,
      ),
    ).resolves.toBe(0);
    await t.http.get(path).expect(200);
  });

  it('drops the older link when a new start makes a new one', async () => {
    const older = await freshLink();
    const newer = await freshLink();
    await t.http.get(older).expect(410);
    await t.http.get(newer).expect(200);
  });

  it('keeps the link usable after a refused form, naming the problem, and refuses a malformed token kindly', async () => {
    const path = await freshLink();
    const v = await visitorSession(t, path);
    const weak = await send(path, v, { ...account(), password: 'password' }).expect(422);
    expect(weak.text).toMatch(/Password must be 10-128 characters/);
    expect(weak.text).not.toContain('value="password"');
    await t.http.get(path).expect(200);
    await t.http.get('/setup/not-a-token').expect(410);
    const unsent = await send(path, { cookie: v.cookie, csrf: 'forged' }, account());
    expect(unsent.status).toBe(403);
    await t.http.get(path).expect(200);
  });
});
