import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { csrfOf, setCookies, signInBrowser, visitorSession } from './factories/web';

/** Account pages: a member's settings and public profiles (with blocking). */
describe('Account pages (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('/settings', () => {
    let member: TestUser;
    let browser: { cookie: string; csrf: string };
    beforeEach(async () => {
      member = await createUser(t);
      browser = await signInBrowser(t, member);
    });
    const post = (path: string, fields: Record<string, string>) =>
      t.http
        .post(path)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, ...fields });

    it('sends a guest to sign in and back', async () => {
      const res = await t.http.get('/settings').expect(303);
      expect(res.headers.location).toBe('/signin?next=%2Fsettings');
    });

    it('shows the member their name, bio, own email (to them only) and an empty block list', async () => {
      const res = await t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
      expect(res.text).toContain('<h1>Your settings</h1>');
      expect(res.text).toContain(member.email);
      expect(res.text).toContain('never shown to other members');
      expect(res.text).toContain('You are not blocking anyone.');
      expect(res.text).toContain('Sign out on every device');
      expect(res.text).toContain('<meta name="robots" content="noindex">');
    });

    it('saves the display name and bio, then shows them', async () => {
      const res = await post('/settings/profile', {
        displayName: 'Quiet Harbour',
        bio: 'Living with **mets** since 2021.',
        intent: 'save',
      }).expect(303);
      expect(res.headers.location).toBe('/settings#profile-saved');
      expect(decodeURIComponent(setCookies(res).haven_flash)).toBe('Your profile is saved.');
      const page = await t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
      expect(page.text).toContain('value="Quiet Harbour"');
      expect(page.text).toContain('Living with **mets** since 2021.</textarea>');
      const profile = await t.http.get(`/api/users/${member.username}`).expect(200);
      expect(profile.body).toMatchObject({ displayName: 'Quiet Harbour', bio: 'Living with **mets** since 2021.' });
    });

    it('previews the bio as it will show, sanitised, without saving', async () => {
      const res = await post('/settings/profile', {
        displayName: 'Preview Person',
        bio: 'Hello **there** <script>alert(1)</script>',
        intent: 'preview',
      }).expect(200);
      expect(res.text).toContain('Preview of your bio');
      expect(res.text).toContain('<strong>there</strong>');
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain('value="Preview Person"');
      const me = await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
      expect(me.body.displayName).toBe(member.username);
    });

    it('refuses an empty display name with 422, keeping the bio typed', async () => {
      const res = await post('/settings/profile', { displayName: '  ', bio: 'Keep me', intent: 'save' }).expect(422);
      expect(res.text).toContain('Display name must be 1-64 characters');
      expect(res.text).toContain('Keep me</textarea>');
      expect(res.text).toMatch(/id="displayName"[^>]*aria-invalid="true"/);
    });

    it('refuses a form without its token, and a guest', async () => {
      await t.http
        .post('/settings/profile')
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ displayName: 'No token' })
        .expect(403);
      const v = await visitorSession(t, '/signin');
      await t.http
        .post('/settings/profile')
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, displayName: 'Guest' })
        .expect(401);
    });

    it('signs out on every device: this browser and the API tokens alike', async () => {
      const other = await signInBrowser(t, member);
      const res = await post('/settings/sign-out-everywhere', {}).expect(303);
      expect(res.headers.location).toBe('/');
      expect(res.headers['set-cookie']).toEqual(
        expect.arrayContaining([expect.stringMatching(/^haven_session=;.*Max-Age=0/)]),
      );
      expect(decodeURIComponent(setCookies(res).haven_flash)).toContain('signed out on every device');
      await t.http.get('/settings').set('Cookie', browser.cookie).expect(303);
      await t.http.get('/settings').set('Cookie', other.cookie).expect(303);
      await t.http.get('/api/me').set(bearer(member.accessToken)).expect(401);
    });
  });

  describe('/u/:username', () => {
    it('shows the public profile: name, bio rendered and sanitised, joined date, post count, never the email', async () => {
      const member = await createUser(t);
      await t.http
        .patch('/api/me')
        .set(bearer(member.accessToken))
        .send({ displayName: 'Gentle Tide', bio: 'Two *cats*. <img src=x onerror=alert(1)>' })
        .expect(200);
      const res = await t.http.get(`/u/${member.username.toUpperCase()}`).expect(200);
      expect(res.text).toContain('<h1 id="profile-name">Gentle Tide</h1>');
      expect(res.text).toContain(`@${member.username}`);
      expect(res.text).toContain('<em>cats</em>');
      expect(res.text).not.toMatch(/<img src=x/i);
      expect(res.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{1,2} \w+ \d{4}<\/time>/);
      expect(res.text).toContain('Posts and comments');
      expect(res.text).not.toContain(member.email);
      expect(res.text).not.toContain('Block Gentle Tide');
    });

    it('answers 404 for an unknown or impossible name', async () => {
      await t.http.get('/u/nobody_by_that_name').expect(404);
      const res = await t.http.get('/u/Not%20A%20Name!').expect(404);
      expect(res.text).toContain('<h1>Page not found</h1>');
    });

    it('lets a member block and unblock another; the block list in settings follows', async () => {
      const me = await createUser(t);
      const other = await createUser(t);
      const browser = await signInBrowser(t, me);
      const before = await t.http.get(`/u/${other.username}`).set('Cookie', browser.cookie).expect(200);
      expect(before.text).toContain(`action="/u/${other.username}/block"`);
      const blocked = await t.http
        .post(`/u/${other.username}/block`)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf })
        .expect(303);
      expect(blocked.headers.location).toBe(`/u/${other.username}`);
      expect(decodeURIComponent(setCookies(blocked).haven_flash)).toContain(`You blocked @${other.username}`);
      const after = await t.http.get(`/u/${other.username}`).set('Cookie', browser.cookie).expect(200);
      expect(after.text).toContain(`action="/u/${other.username}/unblock"`);
      const settings = await t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
      expect(settings.text).toContain(`href="/u/${other.username}"`);
      expect(settings.text).toContain(`action="/u/${other.username}/unblock"`);
      const unblocked = await t.http
        .post(`/u/${other.username}/unblock`)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, next: '/settings' })
        .expect(303);
      expect(unblocked.headers.location).toBe('/settings');
      const list = await t.http.get('/api/me/blocks').set(bearer(me.accessToken)).expect(200);
      expect(list.body).toEqual([]);
    });

    it('never redirects off the site, and refuses a guest, a missing token and blocking oneself', async () => {
      const me = await createUser(t);
      const other = await createUser(t);
      const browser = await signInBrowser(t, me);
      const res = await t.http
        .post(`/u/${other.username}/block`)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, next: '//evil.example/' })
        .expect(303);
      expect(res.headers.location).toBe(`/u/${other.username}`);
      await t.http.post(`/u/${other.username}/unblock`).set('Cookie', browser.cookie).type('form').send({}).expect(403);
      const own = await t.http.get(`/u/${me.username}`).set('Cookie', browser.cookie).expect(200);
      expect(own.text).toContain('href="/settings"');
      expect(own.text).not.toContain(`/u/${me.username}/block`);
      const self = await t.http
        .post(`/u/${me.username}/block`)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf })
        .expect(400);
      expect(self.text).toContain('cannot block yourself');
      const v = await visitorSession(t);
      await t.http
        .post(`/u/${other.username}/block`)
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf })
        .expect(401);
      expect(csrfOf(own.text)).toBeTruthy();
    });
  });
});
