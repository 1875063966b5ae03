import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { csrfOf, signInBrowser } from './factories/web';

describe('Email preferences (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const prefs = (u: TestUser) => t.http.get('/api/me/email-preferences').set(bearer(u.accessToken));
  const change = (u: TestUser, body: unknown) =>
    t.http
      .patch('/api/me/email-preferences')
      .set(bearer(u.accessToken))
      .send(body as object);

  it('starts from kind defaults and changes any subset, keeping the rest', async () => {
    const member = await createUser(t);
    expect((await prefs(member).expect(200)).body).toEqual({
      replies: 'immediately',
      mentions: 'immediately',
      moderation: 'immediately',
      digest: 'daily',
    });
    const res = await change(member, { replies: 'daily', digest: 'weekly' }).expect(200);
    expect(res.body).toEqual({
      replies: 'daily',
      mentions: 'immediately',
      moderation: 'immediately',
      digest: 'weekly',
    });
    await change(member, { mentions: 'off' }).expect(200);
    expect((await prefs(member).expect(200)).body).toEqual({
      replies: 'daily',
      mentions: 'off',
      moderation: 'immediately',
      digest: 'weekly',
    });
  });

  it('refuses guests, bad values and unknown fields, naming the field, and changes nothing', async () => {
    await t.http.get('/api/me/email-preferences').expect(401);
    await t.http.patch('/api/me/email-preferences').send({ replies: 'off' }).expect(401);
    const member = await createUser(t);
    for (const [body, field] of [
      [{ replies: 'hourly' }, 'replies'],
      [{ digest: 5 }, 'digest'],
      [{ mentions: null }, 'mentions'],
      [{ moderation: 'off', sms: 'daily' }, 'sms'],
    ] as const) {
      const res = await change(member, body).expect(400);
      expect(String(res.body.message)).toMatch(new RegExp(`(^|property )${field} `));
    }
    expect((await prefs(member).expect(200)).body.moderation).toBe('immediately');
  });

  it('shows the four choices on the settings page and saves them from its form (CSRF-bound)', async () => {
    const member = await createUser(t);
    const browser = await signInBrowser(t, member);
    const page = await t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
    expect(page.text).toContain('Email from us');
    expect(page.text).toMatch(/<select id="email-digest" name="digest"[^>]*>/);
    const form = { _csrf: csrfOf(page.text), replies: 'weekly', mentions: 'daily', moderation: 'off', digest: 'off' };
    const post = (body: Record<string, string>) =>
      t.http.post('/settings/email').set('Cookie', browser.cookie).type('form').send(body);
    expect((await post(form).expect(303)).headers.location).toMatch(/^\/settings/);
    expect((await prefs(member).expect(200)).body).toEqual({
      replies: 'weekly',
      mentions: 'daily',
      moderation: 'off',
      digest: 'off',
    });
    const refused = await post({ ...form, replies: 'hourly' }).expect(422);
    expect(refused.text).toContain('Replies must be one of off, immediately, daily, weekly');
    expect(refused.text).toMatch(/id="email-replies"[^>]*aria-invalid="true"/);
    await post({ ...form, _csrf: 'forged', replies: 'immediately' }).expect(403);
    expect((await prefs(member).expect(200)).body.replies).toBe('weekly');
  });
});
