import type { TestApp } from './app';
import { createCategory } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { moderationHelpers, startModerationApp, type QueueItem } from './support/moderation-app';

/** Moderation: who may use it, reports, and the queue's order and actions. */
describe('Moderation (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let slug: string;
  beforeAll(async () => {
    ({ t, admin, mod, slug } = await startModerationApp());
  });
  afterAll(() => t.close());
  const { queue, itemFor, postOf } = moderationHelpers(() => ({ t, mod, slug }));

  describe('authorization', () => {
    it('refuses guests (401) and members (403) on every moderation route; admin-only routes refuse moderators', async () => {
      const member = await createUser(t);
      const routes: Array<[string, string, object?]> = [
        ['get', '/api/moderation/queue'],
        ['post', '/api/moderation/queue/1/resolve', { action: 'dismiss' }],
        ['post', `/api/moderation/users/${member.username}/sanctions`, { kind: 'silence', reason: 'test' }],
        ['delete', `/api/moderation/users/${member.username}/sanctions/1`],
        ['get', '/api/moderation/watched-words'],
        ['post', '/api/moderation/watched-words', { pattern: 'nope', action: 'flag' }],
        ['delete', '/api/moderation/watched-words/1'],
        ['get', '/api/moderation/audit-log'],
      ];
      for (const [method, path, body] of routes) {
        const call = (u?: TestUser) => {
          const req = (t.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path);
          return u ? req.set(bearer(u.accessToken)).send(body) : req.send(body);
        };
        await call().expect(401);
        await call(member).expect(403);
      }
      for (const [method, path, body] of routes.filter(([, p]) => p.includes('watched-words'))) {
        const req = (t.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method](path);
        await req.set(bearer(mod.accessToken)).send(body).expect(403);
      }
      await t.http.post('/api/reports').send({ targetType: 'post', targetId: '1', reason: 'spam' }).expect(401);
    });
  });

  describe('reports', () => {
    it('takes a report into the queue with its reason and note; a second one from the same member is 409', async () => {
      const author = await createUser(t);
      const reporter = await createUser(t);
      const { postId } = await postOf(author);
      const res = await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'post', targetId: postId, reason: 'misinformation', note: 'claims a cure' })
        .expect(201);
      expect(res.body).toEqual({ id: expect.any(String), status: 'open' });
      const dup = await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'post', targetId: postId, reason: 'spam' })
        .expect(409);
      expect(dup.body.message).toContain('already reported');
      const item = await itemFor('post', postId);
      expect(item).toMatchObject({
        reportCount: 1,
        reports: {
          count: 1,
          byReason: { misinformation: 1 },
          items: [{ reporter: reporter.username, reason: 'misinformation', note: 'claims a cure' }],
        },
        content: { status: 'published' },
        author: { username: author.username, approvedPosts: 2, sanctions: [] },
      });
    });

    it.each([
      [{ targetType: 'poem', targetId: '1', reason: 'spam' }, 'targetType'],
      [{ targetType: 'post', targetId: '1', reason: 'boring' }, 'reason'],
      [{ targetType: 'post', reason: 'spam' }, 'targetId'],
      [{ targetType: 'post', targetId: '1', reason: 'spam', note: 'x'.repeat(1001) }, 'note'],
    ])('refuses a bad report %j (400 naming %s)', async (body, field) => {
      const reporter = await createUser(t);
      const res = await t.http.post('/api/reports').set(bearer(reporter.accessToken)).send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('answers 404 for unknown targets and refuses reporting yourself', async () => {
      const member = await createUser(t);
      await t.http
        .post('/api/reports')
        .set(bearer(member.accessToken))
        .send({ targetType: 'post', targetId: '999999999', reason: 'spam' })
        .expect(404);
      await t.http
        .post('/api/reports')
        .set(bearer(member.accessToken))
        .send({ targetType: 'user', targetId: 'nobody_at_all_here', reason: 'spam' })
        .expect(404);
      const { postId } = await postOf(member);
      await t.http
        .post('/api/reports')
        .set(bearer(member.accessToken))
        .send({ targetType: 'post', targetId: postId, reason: 'spam' })
        .expect(400);
    });

    it('hides content at the third distinct reporter, not before, tells the author, and never names reporters to them', async () => {
      const author = await createUser(t);
      const { threadId, postId } = await postOf(author, 'Buy my miracle tea');
      const reporters = await Promise.all([1, 2, 3].map(() => createUser(t)));
      for (const [i, r] of reporters.entries()) {
        await t.http
          .post('/api/reports')
          .set(bearer(r.accessToken))
          .send({ targetType: 'post', targetId: postId, reason: 'spam' })
          .expect(201);
        const posts = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
        const seen = posts.body.items.find((p: { id: string }) => p.id === postId);
        expect(seen.status).toBe(i < 2 ? 'published' : 'hidden');
      }
      const posts = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      expect(JSON.stringify(posts.body)).not.toContain('miracle tea');
      const notes = await t.http.get('/api/notifications').set(bearer(author.accessToken)).expect(200);
      expect(notes.body.items[0]).toMatchObject({ kind: 'moderation', data: { action: 'auto_hide' } });
      for (const r of reporters) expect(JSON.stringify(notes.body)).not.toContain(r.username);
      expect((await t.http.get(`/api/threads/${threadId}`).expect(200)).body.replyCount).toBe(0);

      // dismissing the reports restores what they hid
      const item = await itemFor('post', postId);
      await t.http
        .post(`/api/moderation/queue/${item!.id}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'dismiss' })
        .expect(200);
      const after = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      expect(after.body.items.find((p: { id: string }) => p.id === postId).status).toBe('published');
      expect((await t.http.get(`/api/threads/${threadId}`).expect(200)).body.replyCount).toBe(1);
      await t.http
        .post(`/api/moderation/queue/${item!.id}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'dismiss' })
        .expect(409);
    });
  });

  describe('the queue', () => {
    it('puts crisis and self-harm first, then by report count, then by age', async () => {
      const author = await createUser(t);
      const a = await postOf(author, 'one report');
      const b = await postOf(author, 'two reports');
      const c = await postOf(author, 'a worrying post');
      const [r1, r2] = await Promise.all([createUser(t), createUser(t)]);
      await t.http
        .post('/api/reports')
        .set(bearer(r1.accessToken))
        .send({ targetType: 'post', targetId: a.postId, reason: 'spam' })
        .expect(201);
      for (const r of [r1, r2]) {
        await t.http
          .post('/api/reports')
          .set(bearer(r.accessToken))
          .send({ targetType: 'post', targetId: b.postId, reason: 'abuse' })
          .expect(201);
      }
      await t.http
        .post('/api/reports')
        .set(bearer(r1.accessToken))
        .send({ targetType: 'post', targetId: c.postId, reason: 'self_harm' })
        .expect(201);
      const ids = (await queue('&type=post')).map((i) => i.targetId);
      const pos = (id: string) => ids.indexOf(id);
      expect(pos(c.postId)).toBeLessThan(pos(b.postId));
      expect(pos(b.postId)).toBeLessThan(pos(a.postId));
      const first = (await queue('&type=post')).find((i) => i.targetId === c.postId)!;
      expect(first).toMatchObject({ priority: 0, crisis: true });
      // keyset pages of the queue add up to the whole (other test files may add entries meanwhile: none of those
      // that were there is skipped, none is repeated)
      const before = (await queue('&type=post')).map((i) => i.id);
      let cursor: string | null = null;
      const paged: string[] = [];
      do {
        const res: { body: { items: QueueItem[]; nextCursor: string | null } } = await t.http
          .get(`/api/moderation/queue?type=post&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(bearer(mod.accessToken))
          .expect(200);
        paged.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged).toEqual(expect.arrayContaining(before));
    });

    it('approves held content from a new member: published, counted, author told, no longer new', async () => {
      const { slug: held } = await createCategory(t, admin, 'new_members');
      const newbie = await createUser(t);
      const res = await t.http
        .post(`/api/categories/${held}/threads`)
        .set(bearer(newbie.accessToken))
        .send({ title: 'My first thread here', body: 'Hello everyone' })
        .expect(202);
      const item = await itemFor('thread', res.body.thread.id);
      expect(item).toMatchObject({ reasons: [expect.stringContaining('new member')], content: { status: 'pending' } });
      await t.http
        .post(`/api/moderation/queue/${item!.id}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'approve', note: 'welcome' })
        .expect(200);
      const thread = await t.http.get(`/api/threads/${res.body.thread.id}`).expect(200);
      expect(thread.body.status).toBe('published');
      const cat = ((await t.http.get('/api/categories').expect(200)).body as Array<{ slug: string }>).find(
        (c) => c.slug === held,
      );
      expect(cat).toMatchObject({ threadCount: 1, postCount: 1 });
      const notes = await t.http.get('/api/notifications').set(bearer(newbie.accessToken)).expect(200);
      expect(notes.body.items[0]).toMatchObject({ kind: 'moderation', data: { action: 'approve' } });
      // trusted now: the next thread publishes directly
      await t.http
        .post(`/api/categories/${held}/threads`)
        .set(bearer(newbie.accessToken))
        .send({ title: 'My second thread here', body: 'Hello again' })
        .expect(201);
    });

    it('rejects held content, hides, restores and deletes published content', async () => {
      const { slug: held } = await createCategory(t, admin, 'all');
      const author = await createUser(t);
      const res = await t.http
        .post(`/api/categories/${held}/threads`)
        .set(bearer(author.accessToken))
        .send({ title: 'Held for review', body: 'x' })
        .expect(202);
      const item = await itemFor('thread', res.body.thread.id);
      await t.http
        .post(`/api/moderation/queue/${item!.id}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'reject' })
        .expect(200);
      await t.http.get(`/api/threads/${res.body.thread.id}`).set(bearer(author.accessToken)).expect(404);

      const { threadId, postId } = await postOf(author, 'reported words');
      const reporter = await createUser(t);
      const report = () =>
        t.http
          .post('/api/reports')
          .set(bearer(reporter.accessToken))
          .send({ targetType: 'post', targetId: postId, reason: 'abuse' })
          .expect(201);
      const resolve = async (action: string, expected = 200) => {
        const it = await itemFor('post', postId);
        return t.http
          .post(`/api/moderation/queue/${it!.id}/resolve`)
          .set(bearer(mod.accessToken))
          .send({ action })
          .expect(expected);
      };
      await report();
      await resolve('hide');
      expect((await t.http.get(`/api/threads/${threadId}`).expect(200)).body.replyCount).toBe(0);
      await report();
      await resolve('restore');
      expect((await t.http.get(`/api/threads/${threadId}`).expect(200)).body.replyCount).toBe(1);
      await report();
      await resolve('reject', 400); // reject is for held content
      await resolve('delete');
      const posts = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      expect(posts.body.items.find((p: { id: string }) => p.id === postId)).toMatchObject({
        status: 'deleted',
        body: null,
      });
      await t.http
        .post('/api/moderation/queue/999999999/resolve')
        .set(bearer(mod.accessToken))
        .send({ action: 'dismiss' })
        .expect(404);
      await t.http
        .post('/api/moderation/queue/1/resolve')
        .set(bearer(mod.accessToken))
        .send({ action: 'obliterate' })
        .expect(400);
    });
  });
});
