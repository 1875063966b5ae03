import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients, disconnection, nextEvent } from './factories/chat';
import { bearer, createUser, strongPassword } from './factories/users';
import { addressState, expireLink, registerOverApi, tokenIn, uniqueAddress } from './support/account-mail';
import { startSmtp, type TestSmtp } from './support/smtp';

const RESET = '/reset-password';
const freshIp = () => `10.${[...randomBytes(3)].join('.')}`;

describe('Forgotten password: a link by mail, whatever the address answers the same (e2e)', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  const clients = new ChatClients();
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'true',
      GLOBAL_RATE_LIMIT_PER_MINUTE: '1000000',
    });
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const ask = (email: string, ip = freshIp()) =>
    t.http.post('/api/auth/password-reset').set('X-Forwarded-For', ip).send({ email });
  const choose = (token: unknown, password: unknown) =>
    t.http.post('/api/auth/password-reset/confirm').send({ token, password });
  const signIn = (login: string, password: string) =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', freshIp()).send({ login, password });

  it('answers an unknown address exactly as a known one, and mails only the known one', async () => {
    const member = await createUser(t);
    const nobody = uniqueAddress('nobody');
    const known = await ask(member.email).expect(202);
    const unknown = await ask(nobody).expect(202);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.text).toBe(known.text);
    const mail = await smtp.waitFor(member.email);
    expect(mail.subject).toBe('Choose a new password');
    expect(mail.text).toContain(`@${member.username}`);
    expect(mail.text).toContain('one hour');
    expect(mail.header['list-unsubscribe']).toBeUndefined();
    // A sentinel sent after the unknown address's request has arrived; nothing went to the unknown address.
    const later = await createUser(t);
    await ask(later.email).expect(202);
    await smtp.waitFor(later.email);
    expect(smtp.to(nobody)).toHaveLength(0);
  });

  it('sets the new password with the link, once; every session and socket ends; the brake is lifted', async () => {
    const member = await createUser(t);
    const socket = await clients.connect(t, member);
    const ended = nextEvent(socket, 'session:ended');
    const cut = disconnection(socket);
    // Guesses from many addresses: the account asks every client that failed on it for a captcha.
    const guessers = Array.from({ length: 10 }, freshIp);
    const tryFrom = (ip: string, password: string) =>
      t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ login: member.username, password });
    for (const ip of guessers) await tryFrom(ip, `guess-${ip}`).expect(401);
    expect((await tryFrom(guessers[0], member.password).expect(401)).body).toMatchObject({ captchaRequired: true });
    await ask(member.email).expect(202);
    const token = tokenIn(await smtp.waitFor(member.email), RESET);
    const password = strongPassword();

    await choose(token, password).expect(204);

    expect(await cut).toBe('io server disconnect');
    expect(await ended).toMatchObject({ reason: 'password_reset' });
    await t.http.get('/api/me').set(bearer(member.accessToken)).expect(401);
    await t.http.post('/api/auth/refresh').send({ refreshToken: member.refreshToken }).expect(401);
    await signIn(member.username, member.password).expect(401);
    await signIn(member.email, password).expect(200);
    // The brake on the account is lifted: a client that had failed on it signs in with the new password.
    await tryFrom(guessers[0], password).expect(200);
    // Used once: the same link again is refused, and the password stays the one chosen.
    const again = await choose(token, strongPassword()).expect(400);
    expect(again.body.message).toMatch(/^token is not valid/);
    await signIn(member.username, password).expect(200);
  });

  it('refuses an expired link with 400 naming token, and a weak password with 400 naming password (link kept)', async () => {
    const member = await createUser(t);
    await ask(member.email).expect(202);
    const first = await smtp.waitFor(member.email);
    await ask(member.email).expect(202);
    const second = await smtp.waitFor(member.email, (m) => m.messageId !== first.messageId);
    await expireLink(t, tokenIn(first, RESET));
    expect((await choose(tokenIn(first, RESET), strongPassword()).expect(400)).body.message).toMatch(/^token/);

    const token = tokenIn(second, RESET);
    for (const [password, message] of [
      ['short', /^password must be 10-128 characters/],
      ['password1234', /^password is too easy to guess/],
      [`my-${member.username}-rocks`, /^password is too easy to guess: leave out your username/],
      [undefined, /password/],
    ] as const) {
      const res = await choose(token, password).expect(400);
      expect([res.body.message as string | string[]].flat().join('; ')).toMatch(message);
    }
    await signIn(member.username, member.password).expect(200);
    await choose(token, strongPassword()).expect(204);
  });

  it('sends at most 3 links an hour to one address, silently (the answer never changes)', async () => {
    const member = await createUser(t);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await ask(member.email).expect(202)).text);
    expect(new Set(answers).size).toBe(1);
    // A sentinel to another address, asked after the five: when it has come, the first three have too.
    const later = await createUser(t);
    await ask(later.email).expect(202);
    await smtp.waitFor(later.email);
    await smtp.waitFor(member.email, () => smtp.to(member.email).length >= 3);
    expect(smtp.to(member.email)).toHaveLength(3);
  });

  it('refuses a client asking for many links with 429 and Retry-After', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await ask(uniqueAddress('spray'), ip).expect(202);
    const res = await ask(uniqueAddress('spray'), ip).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await ask(uniqueAddress('spray')).expect(202);
  });

  it('lets a member who never confirmed her address back in, and confirms it so', async () => {
    const { form, body } = await registerOverApi(t);
    await smtp.waitFor(form.email);
    await ask(form.email).expect(202);
    const mail = await smtp.waitFor(form.email, (m) => m.subject === 'Choose a new password');
    const password = strongPassword();
    await choose(tokenIn(mail, RESET), password).expect(204);
    expect(await addressState(t, body.user.id)).toMatchObject({ confirmed: true });
    await signIn(form.email, password).expect(200);
  });

  it('never sends a link for an account that copied an address another confirmed', async () => {
    const owner = await createUser(t);
    const copy = await registerOverApi(t, { email: owner.email });
    await smtp.waitFor(owner.email); // the notice
    await ask(owner.email).expect(202);
    const mail = await smtp.waitFor(owner.email, (m) => m.subject === 'Choose a new password');
    expect(mail.links.filter((l) => l.includes(RESET))).toHaveLength(1);
    expect(mail.text).toContain(`@${owner.username}`);
    expect(mail.text).not.toContain(copy.form.username);
  });

  it('refuses a bad address with 400 naming email', async () => {
    for (const email of ['not-an-address', '', 42, undefined]) {
      const res = await t.http.post('/api/auth/password-reset').send({ email }).expect(400);
      expect(JSON.stringify(res.body.message)).toContain('email');
    }
  });
});
