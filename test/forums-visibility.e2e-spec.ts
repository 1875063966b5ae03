import type { TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { startAppWithStaff } from './support/staff-app';

/** Discussion threads: anonymity, pre-moderation, content warnings and blocks. */
describe('Discussion threads (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  beforeAll(async () => {
    ({ t, admin, mod } = await startAppWithStaff());
  });
  afterAll(() => t.close());

  describe('anonymity', () => {
    it('hides the author from guests and members, never from moderators', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const member = await createUser(t);
      const { threadId } = await createThread(t, author, slug, {
        anonymous: true,
        title: 'Something I cannot say openly',
      });
      const r = await reply(t, author, threadId, 'Still me, anonymously', { anonymous: true }).expect(201);
      expect(r.body.author).toEqual({ username: null, displayName: 'Anonymous member' });
      for (const viewer of [undefined, member, author]) {
        const req = (path: string) => (viewer ? t.http.get(path).set(bearer(viewer.accessToken)) : t.http.get(path));
        const thread = await req(`/api/threads/${threadId}`).expect(200);
        const posts = await req(`/api/threads/${threadId}/posts`).expect(200);
        const list = await req(`/api/categories/${slug}/threads`).expect(200);
        for (const body of [thread.body, posts.body, list.body]) {
          expect(JSON.stringify(body)).not.toContain(author.username);
        }
        expect(thread.body.author).toEqual({ username: null, displayName: 'Anonymous member' });
      }
      const asMod = await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(mod.accessToken)).expect(200);
      expect(asMod.body.items[0].author).toEqual({
        username: author.username,
        displayName: author.username,
        anonymous: true,
      });
      const profile = await t.http.get(`/api/users/${author.username}`).expect(200);
      expect(profile.body.postCount).toBe(0); // anonymous posts do not show on the public profile
    });
  });

  describe('pre-moderation through the publishing gate', () => {
    it('holds a new member in a new_members category (202 pending), visible to author and moderators only', async () => {
      const { slug } = await createCategory(t, admin, 'new_members');
      const newbie = await createUser(t);
      const stranger = await createUser(t);
      const res = await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(newbie.accessToken))
        .send({ title: 'Hello from a newcomer', body: 'My first words here' })
        .expect(202);
      expect(res.body.thread.status).toBe('pending');
      expect(res.body.post).toMatchObject({ status: 'pending', heldReason: expect.stringContaining('new member') });
      const threadId = res.body.thread.id as string;
      await t.http.get(`/api/threads/${threadId}`).expect(404);
      await t.http.get(`/api/threads/${threadId}`).set(bearer(stranger.accessToken)).expect(404);
      await t.http.get(`/api/threads/${threadId}`).set(bearer(newbie.accessToken)).expect(200);
      await t.http.get(`/api/threads/${threadId}`).set(bearer(mod.accessToken)).expect(200);
      const list = await t.http.get(`/api/categories/${slug}/threads`).expect(200);
      expect(list.body.items).toEqual([]);
      const cat = ((await t.http.get('/api/categories').expect(200)).body as Array<{ slug: string }>).find(
        (c) => c.slug === slug,
      );
      expect(cat).toMatchObject({ threadCount: 0, postCount: 0 });

      // once trusted, the same member publishes directly
      await trust(t, newbie);
      await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(newbie.accessToken))
        .send({ title: 'Hello again, published', body: 'Now I am known here' })
        .expect(201);
    });

    it('holds every reply in an approval=all category, except a moderator’s', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      await t.http
        .patch(`/api/categories/${slug}`)
        .set(bearer(admin.accessToken))
        .send({ approval: 'all' })
        .expect(200);
      await trust(t, author);
      const held = await reply(t, author, threadId, 'held for review').expect(202);
      expect(held.body.status).toBe('pending');
      const guestView = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      expect(guestView.body.items.map((p: { id: string }) => p.id)).not.toContain(held.body.id);
      const own = await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(author.accessToken)).expect(200);
      expect(own.body.items.map((p: { id: string }) => p.id)).toContain(held.body.id);
      await reply(t, mod, threadId, 'a moderator is not held').expect(201);
    });
  });

  describe('content warnings', () => {
    it("keeps an optional, trimmed warning on a thread's first post and on replies; null when none", async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const started = await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(author.accessToken))
        .send({
          title: 'After the scan results',
          body: 'It has spread to my liver.',
          contentWarning: '  scan results  ',
        })
        .expect(201);
      expect(started.body.post.contentWarning).toBe('scan results');
      const threadId = started.body.thread.id as string;
      const warned = await reply(t, author, threadId, 'More about it.', { contentWarning: 'loss' }).expect(201);
      expect(warned.body.contentWarning).toBe('loss');
      const plain = await reply(t, author, threadId, 'And a lighter note.').expect(201);
      expect(plain.body.contentWarning).toBeNull();
      const page = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      expect(page.body.items.map((p: { contentWarning: string | null }) => p.contentWarning)).toEqual([
        'scan results',
        'loss',
        null,
      ]);
    });

    it('refuses an empty or over-long warning, naming the field', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      const blank = await reply(t, author, threadId, 'Some text', { contentWarning: '   ' }).expect(400);
      expect(JSON.stringify(blank.body.message)).toContain('contentWarning');
      const long = await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(author.accessToken))
        .send({ title: 'A long warning', body: 'Text', contentWarning: 'x'.repeat(101) })
        .expect(400);
      expect(JSON.stringify(long.body.message)).toContain('contentWarning');
      await reply(t, author, threadId, 'Some text', { contentWarning: 'x'.repeat(100) }).expect(201);
    });

    it('withholds the warning with the text of a deleted post', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      const warned = await reply(t, author, threadId, 'To be removed', { contentWarning: 'grief' }).expect(201);
      await t.http.delete(`/api/posts/${warned.body.id}`).set(bearer(author.accessToken)).expect(204);
      const page = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      const removed = page.body.items.find((p: { id: string }) => p.id === warned.body.id);
      expect(removed).toMatchObject({ status: 'deleted', body: null, contentWarning: null });
    });
  });

  describe('blocks', () => {
    it("hides a blocked member's threads and posts from the one who blocked them", async () => {
      const { slug } = await createCategory(t, admin);
      const a = await createUser(t);
      const b = await createUser(t);
      const { threadId } = await createThread(t, a, slug, { title: 'Thread by the one blocked' });
      const byA = await reply(t, a, threadId, 'a reply by a').expect(201);
      await t.http.post(`/api/users/${a.username}/block`).set(bearer(b.accessToken)).expect(204);
      const posts = await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(b.accessToken)).expect(200);
      expect(posts.body.items.map((p: { id: string }) => p.id)).not.toContain(byA.body.id);
      const list = await t.http.get(`/api/categories/${slug}/threads`).set(bearer(b.accessToken)).expect(200);
      expect(list.body.items).toEqual([]);
      const others = await t.http.get(`/api/categories/${slug}/threads`).expect(200);
      expect(others.body.items).toHaveLength(1);
    });
  });
});
