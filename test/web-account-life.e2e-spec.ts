import { AccountDeletionService } from '../src/account/account-deletion.service';
import { createUser } from './factories/users';
import { csrfOf, followRedirect, setCookies, signInBrowser, visitorSession } from './factories/web';
import { type AccountApp, startAccountApp } from './support/account-app';

describe(`${AccountDeletionService.name} and the archive, in the browser`, () => {
  let a: AccountApp;

  beforeAll(async () => {
    a = await startAccountApp();
  });
  afterAll(() => a.close());

  it('prepares her data from the settings page and downloads it with the session cookie', async () => {
    const user = await createUser(a.t);
    const browser = await signInBrowser(a.t, user);
    const settings = await a.t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
    expect(settings.text).toContain('href="/settings/account"');
    const page = await a.t.http.get('/settings/account').set('Cookie', browser.cookie).expect(200);
    expect(page.text).toContain('Download my data');
    expect(page.text).toContain('7 days');
    const asked = await a.t.http
      .post('/settings/account/export')
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf })
      .expect(303);
    expect((await followRedirect(a.t, browser, asked)).text).toContain('We will mail you when it is ready');
    await a.smtp.waitFor(user.email, (m) => m.subject.includes('ready to download'));
    const ready = await a.t.http.get('/settings/account').set('Cookie', browser.cookie).expect(200);
    expect(ready.text).toContain('href="/settings/account/export/file"');
    const file = await a.t.http.get('/settings/account/export/file').set('Cookie', browser.cookie).expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect((JSON.parse(file.text) as { profile: { email: string } }).profile.email).toBe(user.email);
    // A form from elsewhere (no form token) is refused, and a guest is sent to sign in.
    await a.t.http.post('/settings/account/export').set('Cookie', browser.cookie).type('form').send({}).expect(403);
    const guest = await a.t.http.get('/settings/account/export/file');
    expect(guest.status).not.toBe(200);
  });

  it('deletes from the form (wrong password shown on the page), signs her out, and the mail link keeps it', async () => {
    const user = await createUser(a.t);
    const browser = await signInBrowser(a.t, user);
    const wrong = await a.t.http
      .post('/settings/account/delete')
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, content: 'delete', password: 'not-the-password-1' })
      .expect(403);
    expect(wrong.text).toContain('not the password of your account');
    expect(wrong.text).not.toContain('not-the-password-1');
    const done = await a.t.http
      .post('/settings/account/delete')
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, content: 'delete', password: user.password })
      .expect(303);
    expect(done.headers.location).toBe('/');
    const after = await a.t.http.get('/settings').set('Cookie', browser.cookie);
    expect(after.status).not.toBe(200);

    const mail = await a.smtp.waitFor(user.email, (m) => m.subject.includes('will be deleted'));
    const link = new URL(mail.links.find((l) => l.includes('/account/deletion/cancel?token='))!);
    const path = `${link.pathname}${link.search}`;
    const visitor = await visitorSession(a.t, path);
    const pageText = (await a.t.http.get(path).set('Cookie', visitor.cookie).expect(200)).text;
    expect(pageText).toContain('Keep my account');
    // Following the link changes nothing: only the button does.
    const form = await a.t.http.get('/signin').expect(200);
    const signIn = await a.t.http
      .post('/signin')
      .set(
        'Cookie',
        Object.entries(setCookies(form))
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      )
      .type('form')
      .send({ login: user.username, password: user.password, _csrf: csrfOf(form.text), next: '/guidelines' })
      .expect(303);
    expect(signIn.headers.location).toBe('/settings/account');
    const again = await signInBrowser(a.t, user);
    const pending = await a.t.http.get('/settings/account').set('Cookie', again.cookie).expect(200);
    expect(pending.text).toContain('Your account is due to be deleted');
    const kept = await a.t.http
      .post('/account/deletion/cancel')
      .set('Cookie', visitor.cookie)
      .type('form')
      .send({ _csrf: visitor.csrf, token: link.searchParams.get('token') })
      .expect(200);
    expect(kept.text).toContain('Your account stays');
    await a.t.http.get(path).set('Cookie', visitor.cookie).expect(404);
    const calm = await a.t.http.get('/settings/account').set('Cookie', again.cookie).expect(200);
    expect(calm.text).not.toContain('Your account is due to be deleted');
    expect(calm.text).toContain('Delete my account');
  });
});
