import { startTestApp, type TestApp } from './app';
import { bearer, createUser, strongPassword, uniqueUsername } from './factories/users';
import {
  browserAt,
  csrfOf,
  followRedirect,
  powPayload,
  setCookies,
  signInBrowser,
  visitorSession,
} from './factories/web';
import { addressState, linkTo, registerOverApi, uniqueAddress } from './support/account-mail';
import { eventually } from './support/eventually';
import { startSmtp, type ReceivedMail, type TestSmtp } from './support/smtp';

/** The path and query of a mailed link, to open on the test app (links are absolute under PUBLIC_URL). */
const pathOf = (mail: ReceivedMail, page: string) => {
  const url = linkTo(mail, page);
  return `${url.pathname}${url.search}`;
};
const tokenField = (html: string) => /<input type="hidden" name="token" value="([^"]*)">/.exec(html)?.[1] ?? '';

describe('Account mail pages: forgot password, the mailed links, the address in settings (e2e)', () => {
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

  /** Opens a mailed link as a browser, then presses its one button; answers the page that follows. */
  const openAndPress = async (mail: ReceivedMail, page: string, status: number, cookie?: string) => {
    const guest = cookie ? await browserAt(t, cookie, pathOf(mail, page)) : await visitorSession(t, pathOf(mail, page));
    const shown = await t.http.get(pathOf(mail, page)).set('Cookie', guest.cookie).expect(200);
    expect(shown.text).toMatch(new RegExp(`<form method="post" action="${page}#form-problem">`));
    return t.http
      .post(page)
      .set('Cookie', guest.cookie)
      .type('form')
      .send({ _csrf: guest.csrf, token: tokenField(shown.text) })
      .expect(status);
  };

  it('offers "Forgot your password?" on the sign-in page and answers every address with the same page', async () => {
    const signin = await t.http.get('/signin').expect(200);
    expect(signin.text).toContain('<a href="/forgot-password">Forgot your password?</a>');
    const member = await createUser(t);
    const pages: string[] = [];
    for (const email of [member.email, uniqueAddress('nobody')]) {
      const guest = await visitorSession(t, '/forgot-password');
      const res = await t.http
        .post('/forgot-password')
        .set('Cookie', guest.cookie)
        .type('form')
        .send({ _csrf: guest.csrf, email })
        .expect(303);
      expect(res.headers.location).toBe('/forgot-password/sent');
      const sent = await followRedirect(t, guest, res).expect(200);
      pages.push(sent.text.replace(/value="[^"]+"/g, ''));
      expect(sent.text).toContain('Check your mail');
      expect(sent.text).not.toContain('href="/admin/mail"'); // this server sends its mail
    }
    expect(pages[1]).toBe(pages[0]);
    await smtp.waitFor(member.email);
  });

  it('signs up in a browser with the same welcome whether or not the address had an account', async () => {
    const owner = await createUser(t);
    const fresh = uniqueAddress('webjoin');
    const flashes: string[] = [];
    for (const email of [fresh, owner.email]) {
      const guest = await visitorSession(t, '/signup');
      const res = await t.http
        .post('/signup')
        .set('Cookie', guest.cookie)
        .type('form')
        .send({
          _csrf: guest.csrf,
          username: uniqueUsername('webjoin'),
          email,
          password: strongPassword(),
          acceptGuidelines: 'on',
          captchaKind: 'pow',
          altcha: await powPayload(t),
        })
        .expect(303);
      flashes.push(decodeURIComponent(setCookies(res).haven_flash).replace(/Welcome to Haven, \w+\./, ''));
    }
    expect(flashes[1]).toBe(flashes[0]);
    expect(flashes[0]).toContain('please use it to confirm the address');
    expect((await smtp.waitFor(fresh)).subject).toBe('Please confirm your email address');
    expect((await smtp.waitFor(owner.email)).subject).toBe('Someone tried to join Haven with your address');
  });

  it('refuses a bad address on the form with 422 naming the field, and a form without its token', async () => {
    const guest = await visitorSession(t, '/forgot-password');
    const res = await t.http
      .post('/forgot-password')
      .set('Cookie', guest.cookie)
      .type('form')
      .send({ _csrf: guest.csrf, email: 'not-an-address' })
      .expect(422);
    expect(res.text).toContain('Email must be an email address');
    expect(res.text).toContain('value="not-an-address"');
    await t.http.post('/forgot-password').type('form').send({ email: 'a@example.org' }).expect(403);
  });

  it('sets a new password from the mailed link, then sends her to sign in; the link works once', async () => {
    const member = await createUser(t);
    const before = await signInBrowser(t, member);
    await t.http.post('/api/auth/password-reset').send({ email: member.email }).expect(202);
    const mail = await smtp.waitFor(member.email);
    const guest = await visitorSession(t, pathOf(mail, '/reset-password'));
    const form = await t.http.get(pathOf(mail, '/reset-password')).set('Cookie', guest.cookie).expect(200);
    expect(form.text).toContain('Choose a new password');
    const send = (password: string) =>
      t.http
        .post('/reset-password')
        .set('Cookie', guest.cookie)
        .type('form')
        .send({ _csrf: csrfOf(form.text), token: tokenField(form.text), password });

    const weak = await send('password1234').expect(422);
    expect(weak.text).toContain('New password is too easy to guess');
    const password = strongPassword();
    const done = await send(password).expect(303);
    expect(done.headers.location).toBe('/signin');
    expect(decodeURIComponent(setCookies(done).haven_flash)).toContain('Your new password is saved');
    // Her other browser is signed out; the new password signs in.
    await t.http.get('/settings').set('Cookie', before.cookie).expect(303);
    await signInBrowser(t, { username: member.username, password });
    const again = await send(strongPassword()).expect(400);
    expect(again.text).toContain('This link no longer works');
    const opened = await t.http.get(pathOf(mail, '/reset-password')).expect(400);
    expect(opened.text).toContain('<a href="/forgot-password">Ask for a new link</a>');
  });

  it('confirms an address only when the button is pressed (a GET changes nothing), then thanks her', async () => {
    const { form, body } = await registerOverApi(t);
    const mail = await smtp.waitFor(form.email);
    await t.http.get(pathOf(mail, '/confirm-email')).expect(200);
    expect(await addressState(t, body.user.id)).toMatchObject({ confirmed: false });
    const res = await openAndPress(mail, '/confirm-email', 200);
    expect(res.text).toContain('Your email address is confirmed');
    expect(await addressState(t, body.user.id)).toMatchObject({ confirmed: true });
    const used = await openAndPress(mail, '/confirm-email', 400);
    expect(used.text).toContain('This link no longer works');
  });

  it('shows the address in settings, sends the link again, and changes the address with the password', async () => {
    const { form, body } = await registerOverApi(t);
    const first = await smtp.waitFor(form.email);
    const browser = await signInBrowser(t, { username: form.username, password: form.password });
    const settings = await t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
    expect(settings.text).toContain('is not confirmed yet');
    expect(settings.text).toContain('<a href="/settings/address">');
    const page = await t.http.get('/settings/address').set('Cookie', browser.cookie).expect(200);
    expect(page.text).toContain('Send the link again');
    const post = (path: string, fields: Record<string, string> = {}) =>
      t.http
        .post(path)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, ...fields });

    const resent = await post('/settings/address/confirmation').expect(303);
    expect(decodeURIComponent(setCookies(resent).haven_flash)).toContain('A link is on its way');
    await smtp.waitFor(form.email, (m) => m.messageId !== first.messageId);
    const slow = await post('/settings/address/confirmation').expect(429);
    expect(slow.text).toContain('You asked for this link a moment ago');

    const wrong = await post('/settings/address', { email: uniqueAddress('next'), password: 'not-mine' }).expect(403);
    expect(wrong.text).toMatch(/id="password"[^>]*aria-invalid="true"/);
    const bad = await post('/settings/address', { email: 'nope', password: form.password }).expect(422);
    expect(bad.text).toContain('New email address must be an email address');
    const next = uniqueAddress('next');
    const asked = await post('/settings/address', { email: next, password: form.password }).expect(303);
    expect(decodeURIComponent(setCookies(asked).haven_flash)).toContain('A link is on its way to the new address');
    const link = await smtp.waitFor(next);
    const done = await openAndPress(link, '/change-email/confirm', 200, browser.cookie);
    expect(done.text).toContain('Your new address is saved');
    const me = await t.http.get('/api/me').set(bearer(body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ email: next, emailConfirmed: true });
  });

  it('undoes a change from the old address’s mail, signing out every device, this browser too', async () => {
    const member = await createUser(t);
    const browser = await signInBrowser(t, member);
    const next = uniqueAddress('moved');
    await t.http
      .post('/api/me/email')
      .set(bearer(member.accessToken))
      .send({ email: next, password: member.password })
      .expect(202);
    await openAndPress(await smtp.waitFor(next), '/change-email/confirm', 200);
    const notice = await smtp.waitFor(member.email);
    const undone = await openAndPress(notice, '/change-email/undo', 200, browser.cookie);
    expect(undone.text).toContain('Your old address is back');
    expect(undone.text).toContain('<a href="/forgot-password">Choose a new password</a>');
    expect(setCookies(undone).haven_session).toBe('');
    await t.http.get('/settings').set('Cookie', browser.cookie).expect(303);
    expect(await addressState(t, member.id)).toMatchObject({ email: member.email, confirmed: true });
  });
});

describe('Forgot password on a trial server without SMTP: the mail kept is read at this machine (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SMTP_URL: undefined });
  });
  afterAll(() => t.close());

  it('points from "check your mail" to the kept mail, whose link opens the reset page', async () => {
    const member = await createUser(t);
    const guest = await visitorSession(t, '/forgot-password');
    const asked = await t.http
      .post('/forgot-password')
      .set('Cookie', guest.cookie)
      .type('form')
      .send({ _csrf: guest.csrf, email: member.email })
      .expect(303);
    const sent = await followRedirect(t, guest, asked).expect(200);
    expect(sent.text).toContain('<a href="/admin/mail">This server sends no mail yet: read the mail it kept</a>');
    const id = await eventually(async () => {
      const list = await t.http.get('/admin/mail').expect(200);
      const found = /href="\/admin\/mail\/(\d+)">Choose a new password/.exec(list.text);
      expect(found).not.toBeNull();
      return found![1];
    });
    const message = await t.http.get(`/admin/mail/${id}`).expect(200);
    const link = /<a href="http:\/\/haven\.test(\/reset-password\?token=[A-Za-z0-9_-]{43})">/.exec(message.text);
    expect(link).not.toBeNull();
    const form = await t.http.get(link![1]).expect(200);
    expect(form.text).toContain('Save my new password');
  });
});
