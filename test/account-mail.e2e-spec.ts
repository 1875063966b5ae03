import { startTestApp, type TestApp } from './app';
import { bearer, createUser, solvedCaptcha, strongPassword } from './factories/users';
import { addressState, expireLink, registerOverApi, tokenIn, uniqueAddress } from './support/account-mail';
import { startSmtp, type TestSmtp } from './support/smtp';

const CONFIRM = '/confirm-email';
const RESET = '/reset-password';

describe('Account mail: confirming an address, and sign-up with a taken one (e2e)', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const verify = (token: unknown) => t.http.post('/api/auth/verify-email').send({ token });
  const resend = (accessToken: string) => t.http.post('/api/me/verification-email').set(bearer(accessToken));
  const signIn = (login: string, password: string) => t.http.post('/api/auth/login').send({ login, password });

  describe('confirmation', () => {
    it('mails a link at sign-up; the link confirms the address once, and then it signs in', async () => {
      const { form, body } = await registerOverApi(t);
      const mail = await smtp.waitFor(form.email);
      expect(mail.subject).toBe('Please confirm your email address');
      expect(mail.header['list-unsubscribe']).toBeUndefined(); // her own action's answer
      expect(mail.text).toContain('24 hours');
      const token = tokenIn(mail, CONFIRM);
      // Unconfirmed: she reads and posts as before, but her address does not sign in yet.
      expect((await t.http.get('/api/me').set(bearer(body.accessToken)).expect(200)).body).toMatchObject({
        email: form.email,
        emailConfirmed: false,
      });
      await signIn(form.email, form.password).expect(401);

      await verify(token).expect(204);

      expect((await t.http.get('/api/me').set(bearer(body.accessToken)).expect(200)).body.emailConfirmed).toBe(true);
      await signIn(form.email, form.password).expect(200);
      const again = await verify(token).expect(400);
      expect(again.body.message).toMatch(/^token is not valid/);
    });

    it('refuses an expired link, a made-up one and a malformed one with 400 naming token', async () => {
      const { form, body } = await registerOverApi(t);
      const token = tokenIn(await smtp.waitFor(form.email), CONFIRM);
      await expireLink(t, token);
      for (const bad of [token, 'A'.repeat(43), 'short', 42, undefined]) {
        const res = await verify(bad).expect(400);
        expect(JSON.stringify(res.body.message)).toContain('token');
      }
      expect(await addressState(t, body.user.id)).toMatchObject({ confirmed: false });
    });

    it('sends the link again on request, then asks to wait (429 with Retry-After)', async () => {
      const { form, body } = await registerOverApi(t);
      const first = await smtp.waitFor(form.email);
      const res = await resend(body.accessToken).expect(202);
      expect(res.body.message).toContain('on its way');
      const second = await smtp.waitFor(form.email, (m) => m.messageId !== first.messageId);
      const refused = await resend(body.accessToken).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
      // Either link confirms; the other then has nothing left to do.
      await verify(tokenIn(second, CONFIRM)).expect(204);
      await verify(tokenIn(first, CONFIRM)).expect(400);
      await resend(body.accessToken).expect(409);
    });

    it('refuses a guest asking for the link with 401', async () => {
      await t.http.post('/api/me/verification-email').expect(401);
    });

    it('does not confirm an address she has since changed (the link is for the address it went to)', async () => {
      const { form, body } = await registerOverApi(t);
      const token = tokenIn(await smtp.waitFor(form.email), CONFIRM);
      const newAddress = uniqueAddress('moved');
      await t.http
        .post('/api/me/email')
        .set(bearer(body.accessToken))
        .send({ email: newAddress, password: form.password })
        .expect(202);
      await t.http
        .post('/api/auth/email-change/confirm')
        .send({ token: tokenIn(await smtp.waitFor(newAddress), '/change-email/confirm') })
        .expect(204);
      await verify(token).expect(400);
      expect(await addressState(t, body.user.id)).toEqual({ email: newAddress, confirmed: true, confirmable: true });
    });
  });

  describe('sign-up with an address another account confirmed', () => {
    it('answers 201 as for a fresh one; the owner is told, with a reset link; the copy can never confirm it', async () => {
      const owner = await createUser(t);
      const { form, body } = await registerOverApi(t, { email: owner.email.toUpperCase() });
      expect(Object.keys(body).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'refreshToken', 'user']);

      const notice = await smtp.waitFor(owner.email);
      expect(notice.subject).toBe('Someone tried to join Haven with your address');
      expect(notice.text).toContain(`@${owner.username}`);
      expect(notice.text).not.toContain(form.username);
      expect(notice.header['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      // The new account got no link: the only mail to the address is the notice.
      expect(smtp.to(owner.email)).toHaveLength(1);
      expect(await addressState(t, body.user.id)).toMatchObject({ confirmed: false, confirmable: false });

      // The copy: no sign-in by the address (the owner's password or its own), no link on request.
      await signIn(owner.email, form.password).expect(401);
      await signIn(owner.email, owner.password).expect(200);
      await resend(body.accessToken).expect(202);
      // The notice's link resets the owner's password (and only hers).
      const newPassword = strongPassword();
      await t.http
        .post('/api/auth/password-reset/confirm')
        .send({ token: tokenIn(notice, RESET), password: newPassword })
        .expect(204);
      await signIn(owner.username, newPassword).expect(200);
      await signIn(form.username, form.password).expect(200);
      // Nothing more went to the address after the resend (a sentinel: the owner's own reset request must arrive).
      await t.http.post('/api/auth/password-reset').send({ email: owner.email }).expect(202);
      await smtp.waitFor(owner.email, (m) => m.subject === 'Choose a new password');
      expect(smtp.to(owner.email).map((m) => m.subject)).toEqual([
        'Someone tried to join Haven with your address',
        'Choose a new password',
      ]);
    });

    it('tells the owner once an hour however often her address is tried', async () => {
      const owner = await createUser(t);
      await registerOverApi(t, { email: owner.email });
      await registerOverApi(t, { email: owner.email });
      await smtp.waitFor(owner.email);
      await t.http.post('/api/auth/password-reset').send({ email: owner.email }).expect(202);
      await smtp.waitFor(owner.email, (m) => m.subject === 'Choose a new password');
      expect(smtp.to(owner.email).filter((m) => m.subject.startsWith('Someone tried'))).toHaveLength(1);
    });

    it('lets two sign-ups with an unconfirmed address both get a link; the first to confirm keeps it', async () => {
      const email = uniqueAddress('twin');
      const a = await registerOverApi(t, { email });
      const mailA = await smtp.waitFor(email);
      const b = await registerOverApi(t, { email });
      const mailB = await smtp.waitFor(email, (m) => m.messageId !== mailA.messageId);
      await verify(tokenIn(mailB, CONFIRM)).expect(204);
      await verify(tokenIn(mailA, CONFIRM)).expect(400);
      expect(await addressState(t, b.body.user.id)).toMatchObject({ confirmed: true });
      expect(await addressState(t, a.body.user.id)).toMatchObject({ confirmed: false });
      await signIn(email, b.form.password).expect(200);
      await signIn(email, a.form.password).expect(401);
    });

    it('still answers 409 for a taken username (usernames are public)', async () => {
      const owner = await createUser(t);
      const res = await t.http
        .post('/api/auth/register')
        .send({ ...(await registerForm()), username: owner.username })
        .expect(409);
      expect(res.body.message).toContain('username');
    });
  });

  async function registerForm() {
    return { email: uniqueAddress('form'), password: strongPassword(), captcha: await solvedCaptcha(t.http) };
  }
});
