import { startTestApp, type TestApp } from './app';
import { ChatClients, disconnection } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { addressState, expireLink, registerOverApi, tokenIn, uniqueAddress } from './support/account-mail';
import { startSmtp, type TestSmtp } from './support/smtp';

const CONFIRM = '/change-email/confirm';
const UNDO = '/change-email/undo';

describe('Changing one’s address: a link to the new one, an undo to the old one (e2e)', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  const clients = new ChatClients();
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const ask = (who: TestUser, body: Record<string, unknown>) =>
    t.http.post('/api/me/email').set(bearer(who.accessToken)).send(body);
  const confirm = (token: unknown) => t.http.post('/api/auth/email-change/confirm').send({ token });
  const undo = (token: unknown) => t.http.post('/api/auth/email-change/undo').send({ token });
  const signIn = (login: string, password: string) => t.http.post('/api/auth/login').send({ login, password });

  it('changes the address once the new one confirms; the old one can undo it, which ends every session', async () => {
    const me = await createUser(t);
    const newAddress = uniqueAddress('new');
    const res = await ask(me, { email: newAddress.toUpperCase(), password: me.password }).expect(202);
    expect(res.body.message).toContain('new address');
    const link = await smtp.waitFor(newAddress);
    expect(link.subject).toBe('Please confirm your new email address');
    expect(link.text).toContain(`@${me.username}`);
    // Nothing changes until the link is used.
    expect(await addressState(t, me.id)).toMatchObject({ email: me.email, confirmed: true });

    await confirm(tokenIn(link, CONFIRM)).expect(204);

    expect(await addressState(t, me.id)).toEqual({ email: newAddress, confirmed: true, confirmable: true });
    await signIn(newAddress, me.password).expect(200);
    await signIn(me.email, me.password).expect(401);
    await confirm(tokenIn(link, CONFIRM)).expect(400);
    const notice = await smtp.waitFor(me.email);
    expect(notice.subject).toBe('Your email address was changed');
    expect(notice.text).not.toContain(newAddress); // masked: the first letter and the domain
    expect(notice.text).toContain(`${newAddress.charAt(0)}•••@example.org`);
    expect(notice.header['list-unsubscribe']).toBeUndefined();

    const socket = await clients.connect(t, me);
    const cut = disconnection(socket);
    await undo(tokenIn(notice, UNDO)).expect(204);

    expect(await cut).toBe('io server disconnect');
    expect(await addressState(t, me.id)).toEqual({ email: me.email, confirmed: true, confirmable: true });
    await t.http.get('/api/me').set(bearer(me.accessToken)).expect(401);
    await t.http.post('/api/auth/refresh').send({ refreshToken: me.refreshToken }).expect(401);
    await signIn(me.email, me.password).expect(200);
    await signIn(newAddress, me.password).expect(401);
    await undo(tokenIn(notice, UNDO)).expect(400);
  });

  it('refuses a wrong password with 403, a bad address with 400 naming email, and a guest with 401', async () => {
    const me = await createUser(t);
    const wrong = await ask(me, { email: uniqueAddress(), password: 'not-my-password' }).expect(403);
    expect(wrong.body.message).toBe('password is not the password of your account');
    for (const email of ['nope', '', undefined, me.email]) {
      const res = await ask(me, { email, password: me.password }).expect(400);
      expect(JSON.stringify(res.body.message)).toContain('email');
    }
    const noPassword = await ask(me, { email: uniqueAddress() }).expect(400);
    expect(JSON.stringify(noPassword.body.message)).toContain('password');
    await t.http.post('/api/me/email').send({ email: uniqueAddress(), password: 'x' }).expect(401);
  });

  it('answers the same for an address another account confirmed; its owner is told, nothing changes', async () => {
    const me = await createUser(t);
    const owner = await createUser(t);
    const fresh = await ask(me, { email: uniqueAddress(), password: me.password }).expect(202);
    const taken = await ask(me, { email: owner.email, password: me.password }).expect(202);
    expect(taken.body).toEqual(fresh.body);
    const notice = await smtp.waitFor(owner.email);
    expect(notice.subject).toBe('Someone asked to use your address on Haven');
    expect(notice.text).not.toContain(me.username);
    expect(notice.links.some((l) => l.includes(CONFIRM))).toBe(false);
    expect(notice.header['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(await addressState(t, me.id)).toMatchObject({ email: me.email });
  });

  it('refuses an expired link with 400, and a link whose address another account confirmed meanwhile', async () => {
    const me = await createUser(t);
    const first = uniqueAddress('late');
    await ask(me, { email: first, password: me.password }).expect(202);
    const token = tokenIn(await smtp.waitFor(first), CONFIRM);
    await expireLink(t, token);
    expect((await confirm(token).expect(400)).body.message).toMatch(/^token is not valid/);

    const contested = uniqueAddress('race');
    await ask(me, { email: contested, password: me.password }).expect(202);
    const mine = tokenIn(await smtp.waitFor(contested), CONFIRM);
    const other = await registerOverApi(t, { email: contested });
    const theirs = await smtp.waitFor(contested, (m) => m.subject === 'Please confirm your email address');
    await t.http
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(theirs, '/confirm-email') })
      .expect(204);
    expect((await confirm(mine).expect(400)).body.message).toMatch(/^token/);
    expect(await addressState(t, me.id)).toMatchObject({ email: me.email, confirmed: true });
    expect(await addressState(t, other.body.user.id)).toMatchObject({ email: contested, confirmed: true });
  });

  it('lets an account that copied a taken address move to an address of its own, and confirm it', async () => {
    const owner = await createUser(t);
    const copy = await registerOverApi(t, { email: owner.email });
    const own = uniqueAddress('own');
    await t.http
      .post('/api/me/email')
      .set(bearer(copy.body.accessToken))
      .send({ email: own, password: copy.form.password })
      .expect(202);
    await confirm(tokenIn(await smtp.waitFor(own), CONFIRM)).expect(204);
    expect(await addressState(t, copy.body.user.id)).toEqual({ email: own, confirmed: true, confirmable: true });
    // The owner's address was never the copy's: no "your address was changed" mail went to it.
    await t.http.post('/api/auth/password-reset').send({ email: owner.email }).expect(202);
    await smtp.waitFor(owner.email, (m) => m.subject === 'Choose a new password');
    expect(smtp.to(owner.email).map((m) => m.subject)).not.toContain('Your email address was changed');
  });
});
