import type { TestApp } from './app';
import { createCategory, createThread, reply } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { startAppWithStaff } from './support/staff-app';

/** Discussion threads: categories, threads and posts. */
describe('Discussion threads (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  beforeAll(async () => {
    ({ t, admin, mod } = await startAppWithStaff());
  });
  afterAll(() => t.close());

  describe('categories', () => {
    it('lists categories with counters; a fresh community has its starter categories', async () => {
      const res = await t.http.get('/api/categories').expect(200);
      const slugs = (res.body as Array<{ slug: string }>).map((c) => c.slug);
      expect(slugs).toEqual(expect.arrayContaining(['newly-diagnosed', 'caregivers-and-family']));
      expect(res.body[0]).toEqual({
        id: expect.any(String),
        slug: expect.any(String),
        name: expect.any(String),
        description: expect.any(String),
        threadCount: expect.any(Number),
        postCount: expect.any(Number),
        lastPostAt: expect.anything(),
        approval: expect.stringMatching(/^(none|new_members|all)$/),
      });
      const welcome = await t.http.get('/api/categories/newly-diagnosed/threads').expect(200);
      expect(welcome.body.items.slice(0, 2).map((th: { pinned: boolean }) => th.pinned)).toEqual([true, true]);
    });

    it('lets only admins create and change categories', async () => {
      const member = await createUser(t);
      await t.http.post('/api/categories').send({ slug: 'nope-guest', name: 'Nope' }).expect(401);
      await t.http
        .post('/api/categories')
        .set(bearer(member.accessToken))
        .send({ slug: 'nope-member', name: 'Nope' })
        .expect(403);
      await t.http
        .post('/api/categories')
        .set(bearer(mod.accessToken))
        .send({ slug: 'nope-mod', name: 'Nope' })
        .expect(403);
      const { slug } = await createCategory(t, admin, 'all');
      const dup = await t.http
        .post('/api/categories')
        .set(bearer(admin.accessToken))
        .send({ slug, name: 'Again' })
        .expect(409);
      expect(dup.body.message).toContain('slug');
      const bad = await t.http
        .post('/api/categories')
        .set(bearer(admin.accessToken))
        .send({ slug: 'Bad Slug!', name: 'x' })
        .expect(400);
      expect(JSON.stringify(bad.body.message)).toMatch(/slug|name/);
      const patched = await t.http
        .patch(`/api/categories/${slug}`)
        .set(bearer(admin.accessToken))
        .send({ approval: 'none', description: 'Calm talk' })
        .expect(200);
      expect(patched.body).toMatchObject({ slug, approval: 'none', description: 'Calm talk' });
      await t.http
        .patch(`/api/categories/${slug}`)
        .set(bearer(member.accessToken))
        .send({ approval: 'all' })
        .expect(403);
      await t.http
        .patch('/api/categories/no-such-category')
        .set(bearer(admin.accessToken))
        .send({ name: 'Xx' })
        .expect(404);
      await t.http
        .patch(`/api/categories/${slug}`)
        .set(bearer(admin.accessToken))
        .send({ approval: 'sometimes' })
        .expect(400);
    });
  });

  describe('threads and posts', () => {
    it('starts a thread (201 with thread and post) and replies, rendering sanitised HTML', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const res = await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(author.accessToken))
        .send({ title: 'First scan after diagnosis', body: 'I am **scared** <script>alert(1)</script>' })
        .expect(201);
      expect(res.body.thread).toMatchObject({
        category: { slug },
        title: 'First scan after diagnosis',
        author: { username: author.username, displayName: author.username },
        pinned: false,
        locked: false,
        replyCount: 0,
        status: 'published',
      });
      expect(res.body.post.bodyHtml).toContain('<strong>scared</strong>');
      expect(res.body.post.bodyHtml).not.toContain('<script');
      const other = await createUser(t);
      const r = await reply(t, other, res.body.thread.id, 'Sending you a hug.', { replyToId: res.body.post.id }).expect(
        201,
      );
      expect(r.body).toMatchObject({
        threadId: res.body.thread.id,
        replyToId: res.body.post.id,
        status: 'published',
        editedAt: null,
      });
      const thread = await t.http.get(`/api/threads/${res.body.thread.id}`).expect(200);
      expect(thread.body.replyCount).toBe(1);
      const cat = ((await t.http.get('/api/categories').expect(200)).body as Array<{ slug: string }>).find(
        (c) => c.slug === slug,
      );
      expect(cat).toMatchObject({ threadCount: 1, postCount: 2, lastPostAt: expect.any(String) });
    });

    it.each([
      ['title', { title: 'Hey', body: 'body' }],
      ['title', { title: 'x'.repeat(151), body: 'body' }],
      ['body', { title: 'Long enough title', body: '' }],
      ['body', { title: 'Long enough title', body: 'x'.repeat(20001) }],
      ['anonymous', { title: 'Long enough title', body: 'body', anonymous: 'yes' }],
      ['sticky', { title: 'Long enough title', body: 'body', sticky: true }],
    ])('refuses a thread with a bad %s (400 naming it)', async (field, body) => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const res = await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(author.accessToken))
        .send(body)
        .expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('refuses guests, unknown categories and unknown threads', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      await t.http.post(`/api/categories/${slug}/threads`).send({ title: 'Guest thread', body: 'x' }).expect(401);
      await t.http
        .post('/api/categories/no-such-place/threads')
        .set(bearer(author.accessToken))
        .send({ title: 'Title here', body: 'x' })
        .expect(404);
      await t.http.get('/api/categories/no-such-place/threads').expect(404);
      await t.http.get('/api/threads/999999999').expect(404);
      await t.http.get('/api/threads/abc').expect(400);
      const { threadId } = await createThread(t, author, slug);
      await t.http.post(`/api/threads/${threadId}/posts`).send({ body: 'guest reply' }).expect(401);
      await reply(t, author, threadId, 'quote', { replyToId: '999999999' }).expect(400);
    });

    it('locks: members cannot reply (403), moderators can; only moderators pin, lock and move', async () => {
      const { slug } = await createCategory(t, admin);
      const other = await createCategory(t, admin);
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      for (const action of ['lock', 'pin', 'unpin', 'unlock']) {
        await t.http.post(`/api/threads/${threadId}/${action}`).set(bearer(author.accessToken)).expect(403);
        await t.http.post(`/api/threads/${threadId}/${action}`).expect(401);
      }
      await t.http
        .post(`/api/threads/${threadId}/move`)
        .set(bearer(author.accessToken))
        .send({ category: other.slug })
        .expect(403);
      const locked = await t.http.post(`/api/threads/${threadId}/lock`).set(bearer(mod.accessToken)).expect(200);
      expect(locked.body.locked).toBe(true);
      const refused = await reply(t, author, threadId, 'Can I still reply?').expect(403);
      expect(refused.body.message).toContain('locked');
      await reply(t, mod, threadId, 'Locking this one, friends.').expect(201);
      await t.http.post(`/api/threads/${threadId}/unlock`).set(bearer(mod.accessToken)).expect(200);
      await reply(t, author, threadId, 'Thanks for reopening').expect(201);

      const pinned = await t.http.post(`/api/threads/${threadId}/pin`).set(bearer(mod.accessToken)).expect(200);
      expect(pinned.body.pinned).toBe(true);
      const moved = await t.http
        .post(`/api/threads/${threadId}/move`)
        .set(bearer(mod.accessToken))
        .send({ category: other.slug })
        .expect(200);
      expect(moved.body.category.slug).toBe(other.slug);
      const cats = (await t.http.get('/api/categories').expect(200)).body as Array<{
        slug: string;
        threadCount: number;
        postCount: number;
      }>;
      expect(cats.find((c) => c.slug === slug)).toMatchObject({ threadCount: 0, postCount: 0 });
      expect(cats.find((c) => c.slug === other.slug)).toMatchObject({ threadCount: 1, postCount: 3 });
      await t.http
        .post(`/api/threads/${threadId}/move`)
        .set(bearer(mod.accessToken))
        .send({ category: 'no-such-place' })
        .expect(404);
    });

    it('lets the author edit within 24 hours, keeps revisions, and refuses others', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const stranger = await createUser(t);
      const { postId } = await createThread(t, author, slug, { body: 'first words' });
      const edited = await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(author.accessToken))
        .send({ body: 'second words' })
        .expect(200);
      expect(edited.body).toMatchObject({ body: 'second words', editedAt: expect.any(String) });
      await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(mod.accessToken))
        .send({ body: 'moderated words' })
        .expect(200);
      await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(stranger.accessToken))
        .send({ body: 'vandalism' })
        .expect(403);
      await t.http.patch(`/api/posts/${postId}`).send({ body: 'guest' }).expect(401);
      await t.http.patch(`/api/posts/${postId}`).set(bearer(author.accessToken)).send({ body: '' }).expect(400);

      const revisions = await t.http.get(`/api/posts/${postId}/revisions`).set(bearer(author.accessToken)).expect(200);
      expect(revisions.body.map((r: { body: string }) => r.body)).toEqual(['second words', 'first words']);
      await t.http.get(`/api/posts/${postId}/revisions`).set(bearer(mod.accessToken)).expect(200);
      await t.http.get(`/api/posts/${postId}/revisions`).set(bearer(stranger.accessToken)).expect(403);
      await t.http.get(`/api/posts/${postId}/revisions`).expect(401);

      await t.db.query(`UPDATE posts SET created_at = now() - interval '25 hours' WHERE id = $1`, [postId]);
      const late = await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(author.accessToken))
        .send({ body: 'too late' })
        .expect(403);
      expect(late.body.message).toContain('24 hours');
      await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(mod.accessToken))
        .send({ body: 'moderators may' })
        .expect(200);
    });

    it('soft-deletes: the post keeps its place without its text; counters follow; others may not delete', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const stranger = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      const r = await reply(t, author, threadId, 'I will take this back').expect(201);
      await t.http.delete(`/api/posts/${r.body.id}`).set(bearer(stranger.accessToken)).expect(403);
      await t.http.delete(`/api/posts/${r.body.id}`).expect(401);
      await t.http.delete(`/api/posts/${r.body.id}`).set(bearer(author.accessToken)).expect(204);
      await t.http.delete(`/api/posts/${r.body.id}`).set(bearer(author.accessToken)).expect(404);
      const posts = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      const deleted = posts.body.items.find((p: { id: string }) => p.id === r.body.id);
      expect(deleted).toMatchObject({ status: 'deleted', body: null, bodyHtml: '' });
      expect(JSON.stringify(posts.body)).not.toContain('I will take this back');
      expect((await t.http.get(`/api/threads/${threadId}`).expect(200)).body.replyCount).toBe(0);
      // a moderator deletes the opening post: the thread goes with it
      const opening = posts.body.items[0].id as string;
      await t.http.delete(`/api/posts/${opening}`).set(bearer(mod.accessToken)).expect(204);
      await t.http.get(`/api/threads/${threadId}`).expect(404);
      const cat = ((await t.http.get('/api/categories').expect(200)).body as Array<{ slug: string }>).find(
        (c) => c.slug === slug,
      );
      expect(cat).toMatchObject({ threadCount: 0, postCount: 0 });
    });

    it('reactions: one per member per kind, counted, and only known kinds', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const a = await createUser(t);
      const b = await createUser(t);
      const { threadId, postId } = await createThread(t, author, slug);
      await t.http.put(`/api/posts/${postId}/reactions/hug`).set(bearer(a.accessToken)).expect(200);
      await t.http.put(`/api/posts/${postId}/reactions/hug`).set(bearer(a.accessToken)).expect(200);
      const res = await t.http.put(`/api/posts/${postId}/reactions/hug`).set(bearer(b.accessToken)).expect(200);
      expect(res.body).toEqual({ support: 0, hug: 2, same: 0, thanks: 0, mine: ['hug'] });
      await t.http.put(`/api/posts/${postId}/reactions/thanks`).set(bearer(a.accessToken)).expect(200);
      const removed = await t.http.delete(`/api/posts/${postId}/reactions/hug`).set(bearer(a.accessToken)).expect(200);
      expect(removed.body).toEqual({ support: 0, hug: 1, same: 0, thanks: 1, mine: ['thanks'] });
      await t.http.put(`/api/posts/${postId}/reactions/love`).set(bearer(a.accessToken)).expect(400);
      await t.http.put(`/api/posts/${postId}/reactions/hug`).expect(401);
      await t.http.put('/api/posts/999999999/reactions/hug').set(bearer(a.accessToken)).expect(404);
      const page = await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(b.accessToken)).expect(200);
      expect(page.body.items[0].reactions).toEqual({ support: 0, hug: 1, same: 0, thanks: 1, mine: ['hug'] });
    });
  });
});
