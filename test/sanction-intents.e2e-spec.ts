import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { signInBrowser } from './factories/web';

/** Sanctions decide by what a request means to do (read, write, sign out), on the API and on the pages alike. */
describe('Sanctions by intent (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    mod = await createUser(t, { role: 'moderator' });
  });
  afterAll(() => t.close());

  const sanction = (who: TestUser, kind: 'silence' | 'suspend' | 'ban') =>
    t.http
      .post(`/api/moderation/users/${who.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({
        kind,
        reason: 'a pause',
        until: kind === 'ban' ? undefined : new Date(Date.now() + 86_400_000).toISOString(),
      })
      .expect(201);

  it('lets a banned member sign out over the API, and nothing else', async () => {
    const ann = await createUser(t);
    await sanction(ann, 'ban');
    await t.http.get('/api/me').set(bearer(ann.accessToken)).expect(403);
    await t.http.post('/api/auth/logout-all').set(bearer(ann.accessToken)).expect(204);
    await t.http.post('/api/auth/refresh').send({ refreshToken: ann.refreshToken }).expect(401);
  });

  it('lets a suspended member sign out of the pages', async () => {
    const bob = await createUser(t);
    const browser = await signInBrowser(t, bob);
    await sanction(bob, 'suspend');
    await t.http.get('/settings').set('Cookie', browser.cookie).expect(403);
    const out = await t.http
      .post('/signout')
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf })
      .expect(303);
    expect(String(out.headers['set-cookie'])).toMatch(/haven_session=;/);
  });

  it('lets a silenced member read (the chat page’s socket token) but not write, on the pages', async () => {
    const cat = await createUser(t);
    const browser = await signInBrowser(t, cat);
    await sanction(cat, 'silence');
    const post = (path: string, form: Record<string, string>) =>
      t.http
        .post(path)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, ...form });
    await post('/chat/socket-token', {}).expect(200);
    const refused = await post('/settings/profile', { displayName: 'Quiet', bio: '' }).expect(403);
    expect(refused.text).toContain('You are silenced');
  });
});
