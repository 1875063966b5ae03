import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients, disconnection, nextEvent, rawEmitAck } from './factories/chat';
import { bearer, createUser, strongPassword, type TestUser } from './factories/users';
import { followRedirect, signInBrowser } from './factories/web';

const freshIp = () => `10.${[...randomBytes(3)].join('.')}`;

describe('Changing one’s password (e2e)', () => {
  let t: TestApp;
  const clients = new ChatClients();
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', TRUST_PROXY: 'true', GLOBAL_RATE_LIMIT_PER_MINUTE: '1000000' });
  });
  afterEach(() => clients.closeAll());
  afterAll(() => t.close());

  const change = (who: TestUser, body: Record<string, unknown>, ip = freshIp()) =>
    t.http.post('/api/me/password').set(bearer(who.accessToken)).set('X-Forwarded-For', ip).send(body);
  const signIn = (login: string, password: string) =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', freshIp()).send({ login, password });

  /** A second session of the same member (another device): its tokens and a chat socket on it. */
  const otherDevice = async (who: TestUser) => {
    const res = await signIn(who.username, who.password).expect(200);
    const tokens = res.body as { accessToken: string; refreshToken: string };
    const socket = await clients.connect(t, { auth: { token: tokens.accessToken } });
    return { ...tokens, socket };
  };

  it('changes the password; every other session and its socket end, the caller’s stays', async () => {
    const me = await createUser(t);
    const other = await otherDevice(me);
    const mySocket = await clients.connect(t, me);
    const ended = nextEvent(other.socket, 'session:ended');
    const cut = disconnection(other.socket);
    const newPassword = strongPassword();

    await change(me, { currentPassword: me.password, newPassword }).expect(204);

    expect(await cut).toBe('io server disconnect');
    expect(await ended).toMatchObject({ reason: 'password_changed' });
    // The other session is over: its access token, its refresh token.
    await t.http.get('/api/me').set(bearer(other.accessToken)).expect(401);
    await t.http.post('/api/auth/refresh').send({ refreshToken: other.refreshToken }).expect(401);
    // The caller's session goes on: its access token, its refresh token and its socket (which still answers).
    await t.http.get('/api/me').set(bearer(me.accessToken)).expect(200);
    await t.http.post('/api/auth/refresh').send({ refreshToken: me.refreshToken }).expect(200);
    expect(mySocket.connected).toBe(true);
    const ack = await rawEmitAck(mySocket, 'message:send', { room: 'no-such-room', body: 'hi', clientId: 'x1' });
    expect(ack).toMatchObject({ ok: false });
    expect(mySocket.connected).toBe(true);
    // Only the new password signs in now.
    await signIn(me.username, me.password).expect(401);
    await signIn(me.email, newPassword).expect(200);
  });

  it('refuses a wrong current password with 403 naming currentPassword, and changes nothing', async () => {
    const me = await createUser(t);
    const other = await otherDevice(me);
    const res = await change(me, { currentPassword: 'not-my-password', newPassword: strongPassword() }).expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'currentPassword is not the password of your account',
    });
    await t.http.get('/api/me').set(bearer(other.accessToken)).expect(200);
    expect(other.socket.connected).toBe(true);
    await signIn(me.username, me.password).expect(200);
  });

  it('refuses a new password the policy refuses, with 400 naming newPassword', async () => {
    const me = await createUser(t);
    const cases: Array<[string, RegExp]> = [
      ['short', /^newPassword must be 10-128 characters/],
      ['password1234', /^newPassword is too easy to guess/],
      [`my-${me.username}-rocks`, /^newPassword is too easy to guess: leave out your username/],
      [me.password, /^newPassword must differ from your current password/],
    ];
    for (const [newPassword, message] of cases) {
      const res = await change(me, { currentPassword: me.password, newPassword }).expect(400);
      const said = res.body as { message: string | string[] };
      expect([said.message].flat().join('; ')).toMatch(message);
    }
    const missing = await change(me, {}).expect(400);
    const said = [(missing.body as { message: string | string[] }).message].flat().join('; ');
    expect(said).toMatch(/currentPassword/);
    expect(said).toMatch(/newPassword/);
    await change(me, { currentPassword: me.password, newPassword: strongPassword(), extra: 1 }).expect(400);
    await signIn(me.username, me.password).expect(200);
  });

  it('needs a signed-in member', async () => {
    await t.http.post('/api/me/password').send({ currentPassword: 'a', newPassword: strongPassword() }).expect(401);
  });

  it('makes a client that keeps guessing the current password wait (429 with Retry-After)', async () => {
    const me = await createUser(t);
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      await change(me, { currentPassword: `guess-${i}-guess`, newPassword: strongPassword() }, ip).expect(403);
    }
    const res = await change(me, { currentPassword: me.password, newPassword: strongPassword() }, ip).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The owner elsewhere is not held up.
    await change(me, { currentPassword: me.password, newPassword: strongPassword() }).expect(204);
  });

  describe('the settings page', () => {
    it('changes the password with the form; this browser stays signed in, other devices are signed out', async () => {
      const me = await createUser(t);
      const browser = await signInBrowser(t, me);
      const page = await t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
      expect(page.text).toContain('action="/settings/password#password-problem"');

      const post = (form: Record<string, string>) =>
        t.http
          .post('/settings/password')
          .set('Cookie', browser.cookie)
          .set('X-Forwarded-For', freshIp())
          .type('form')
          .send({ _csrf: browser.csrf, ...form });

      const wrong = await post({ currentPassword: 'not-it-at-all', newPassword: strongPassword() }).expect(403);
      expect(wrong.text).toContain('Current password is not the password of your account');
      expect(wrong.text).toContain('aria-invalid="true"');
      const weak = await post({ currentPassword: me.password, newPassword: 'short' }).expect(422);
      expect(weak.text).toMatch(/New password must be 10-128 characters/);
      expect(weak.text).not.toContain(me.password);

      const newPassword = strongPassword();
      const done = await post({ currentPassword: me.password, newPassword }).expect(303);
      expect(done.headers.location).toBe('/settings#password-saved');
      const after = await followRedirect(t, browser, done).expect(200);
      expect(after.text).toContain('Your password is changed');
      // The API session made by createUser is another device: it has ended.
      await t.http.get('/api/me').set(bearer(me.accessToken)).expect(401);
      await signIn(me.username, newPassword).expect(200);
    });

    it('refuses the form without its token', async () => {
      const me = await createUser(t);
      const browser = await signInBrowser(t, me);
      await t.http
        .post('/settings/password')
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ currentPassword: me.password, newPassword: strongPassword() })
        .expect(403);
      await signIn(me.username, me.password).expect(200);
    });
  });
});
