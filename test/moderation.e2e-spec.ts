import { EventEmitter2 } from '@nestjs/event-emitter';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { eventually } from './support/eventually';

interface QueueItem {
  id: string;
  targetType: string;
  targetId: string;
  priority: number;
  crisis: boolean;
  reasons: string[];
  reportCount: number;
  reports: {
    count: number;
    byReason: Record<string, number>;
    items: Array<{ reporter: string; reason: string; note: string | null }>;
  };
  content: { status: string; body: string } | null;
  author: { username: string; approvedPosts: number; sanctions: unknown[] } | null;
}

describe('Moderation (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let slug: string;
  beforeAll(async () => {
    t = await startTestApp({ AUTO_HIDE_REPORTS: '3' });
    admin = await createUser(t, { role: 'admin' });
    mod = await createUser(t, { role: 'moderator' });
    slug = (await createCategory(t, admin)).slug;
  });
  afterAll(() => t.close());

  const queue = async (query = ''): Promise<QueueItem[]> =>
    (await t.http.get(`/api/moderation/queue?limit=100${query}`).set(bearer(mod.accessToken)).expect(200)).body.items;
  const itemFor = async (targetType: string, targetId: string) =>
    (await queue()).find((i) => i.targetType === targetType && i.targetId === targetId);
  const postOf = async (author: TestUser, body = 'A post someone may dislike') => {
    const { threadId } = await createThread(t, author, slug);
    const r = await reply(t, author, threadId, body).expect(201);
    return { threadId, postId: r.body.id as string };
  };

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

  describe('watched words', () => {
    it('block refuses with 422 naming the rule but not the list; hold waits; flag publishes and queues', async () => {
      const author = await createUser(t);
      await trust(t, author);
      const stamp = Date.now().toString(36);
      const add = (pattern: string, action: string) =>
        t.http
          .post('/api/moderation/watched-words')
          .set(bearer(admin.accessToken))
          .send({ pattern, action })
          .expect(201);
      const blocked = await add(`blockword${stamp}`, 'block');
      await add(`holdword${stamp}`, 'hold');
      await add(`flagword${stamp}`, 'flag');
      const { threadId } = await createThread(t, author, slug);

      const refused = await reply(t, author, threadId, `I say BLOCKWORD${stamp.toUpperCase()} here`).expect(422);
      expect(refused.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
      expect(refused.body.message).toContain(`#${blocked.body.id}`);
      expect(refused.body.message).not.toContain(`blockword${stamp}`);

      const held = await reply(t, author, threadId, `some holdword${stamp} text`).expect(202);
      expect(held.body.status).toBe('pending');
      expect(await itemFor('post', held.body.id)).toMatchObject({ reasons: [expect.stringContaining('hold')] });

      const flagged = await reply(t, author, threadId, `and flágword${stamp}!`).expect(201);
      expect(flagged.body.status).toBe('published');
      expect(await itemFor('post', flagged.body.id)).toMatchObject({ reasons: [expect.stringContaining('flag')] });

      // whole words only
      await reply(t, author, threadId, `preflagword${stamp}s are fine`).expect(201);
    });

    it('crisis publishes, queues first with an alert, and answers the author with support resources', async () => {
      const author = await createUser(t);
      await trust(t, author);
      const stamp = Date.now().toString(36);
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: `end it all ${stamp}`, action: 'crisis' })
        .expect(201);
      const { threadId } = await createThread(t, author, slug);
      const alerts: unknown[] = [];
      t.app.get(EventEmitter2).on('moderation.alert', (e: unknown) => alerts.push(e));
      const res = await reply(t, author, threadId, `Some days I want to End  it... ALL ${stamp}`).expect(201);
      expect(res.body.status).toBe('published');
      expect(res.body.notice).toMatch(/emergency|crisis line/i);
      // The alert is raised once the queue entry is written: poll for both.
      const items = await eventually(async () => {
        expect(alerts).toEqual([expect.objectContaining({ kind: 'crisis', targetId: res.body.id })]);
        return queue();
      });
      const at = items.findIndex((i) => i.targetType === 'post' && i.targetId === res.body.id);
      expect(items[at]).toMatchObject({ crisis: true, priority: 0, reasons: [expect.stringContaining('crisis')] });
      expect(items.slice(0, at).every((i) => i.priority === 0)).toBe(true);
    });

    it('validates patterns, refuses duplicates, lists and deletes', async () => {
      for (const pattern of ['(a+)+$', '.*', '', 'x'.repeat(101), '*']) {
        const res = await t.http
          .post('/api/moderation/watched-words')
          .set(bearer(admin.accessToken))
          .send({ pattern, action: 'flag' })
          .expect(400);
        expect(JSON.stringify(res.body.message)).toContain('pattern');
      }
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: 'fine', action: 'shout' })
        .expect(400);
      const stamp = `dupe${Date.now().toString(36)}`;
      const created = await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: stamp, action: 'flag' })
        .expect(201);
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: stamp, action: 'hold' })
        .expect(409);
      const list = await t.http.get('/api/moderation/watched-words').set(bearer(admin.accessToken)).expect(200);
      expect(list.body).toContainEqual({ id: created.body.id, pattern: stamp, action: 'flag' });
      await t.http
        .delete(`/api/moderation/watched-words/${created.body.id}`)
        .set(bearer(admin.accessToken))
        .expect(204);
      await t.http
        .delete(`/api/moderation/watched-words/${created.body.id}`)
        .set(bearer(admin.accessToken))
        .expect(404);
    });
  });

  describe('sanctions', () => {
    it('ban: the existing token is refused on the next request (403 with the reason), and sign-in is refused', async () => {
      const member = await createUser(t);
      await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
      const res = await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'ban', reason: 'selling fake cures' })
        .expect(201);
      expect(res.body).toMatchObject({ kind: 'ban', reason: 'selling fake cures', until: null });
      const refused = await t.http.get('/api/me').set(bearer(member.accessToken)).expect(403);
      expect(refused.body.message).toContain('banned');
      expect(refused.body.message).toContain('selling fake cures');
      const login = await t.http
        .post('/api/auth/login')
        .send({ login: member.username, password: member.password })
        .expect(403);
      expect(login.body.message).toContain('banned');
      await t.http.post('/api/auth/refresh').send({ refreshToken: member.refreshToken }).expect(403);

      await t.http
        .delete(`/api/moderation/users/${member.username}/sanctions/${res.body.id}`)
        .set(bearer(mod.accessToken))
        .expect(200);
      await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
      await t.http.post('/api/auth/login').send({ login: member.username, password: member.password }).expect(200);
    });

    it('silence blocks writing but not reading; suspend blocks everything until its end', async () => {
      const member = await createUser(t);
      await trust(t, member);
      const { threadId } = await createThread(t, member, slug);
      const silence = await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'cool down' })
        .expect(201);
      await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(member.accessToken)).expect(200);
      await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
      const refused = await reply(t, member, threadId, 'can I?').expect(403);
      expect(refused.body.message).toContain('silenced');
      await t.http
        .delete(`/api/moderation/users/${member.username}/sanctions/${silence.body.id}`)
        .set(bearer(mod.accessToken))
        .expect(200);

      const until = new Date(Date.now() + 3600_000).toISOString();
      await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'suspend', reason: 'a break', until })
        .expect(201);
      const suspended = await t.http.get('/api/me').set(bearer(member.accessToken)).expect(403);
      expect(suspended.body.message).toContain('suspended');
      expect(suspended.body.message).toContain(until);
    });

    it('refuses bad sanctions and sanctions on equals or superiors', async () => {
      const member = await createUser(t);
      const other = await createUser(t, { role: 'moderator' });
      const post = (who: TestUser, username: string, body: object) =>
        t.http.post(`/api/moderation/users/${username}/sanctions`).set(bearer(who.accessToken)).send(body);
      await post(mod, member.username, { kind: 'suspend', reason: 'no end' }).expect(400);
      await post(mod, member.username, { kind: 'suspend', reason: 'past', until: '2001-01-01T00:00:00Z' }).expect(400);
      await post(mod, member.username, { kind: 'exile', reason: 'x' }).expect(400);
      await post(mod, member.username, { kind: 'ban' }).expect(400);
      await post(mod, other.username, { kind: 'ban', reason: 'peer' }).expect(403);
      await post(mod, admin.username, { kind: 'ban', reason: 'boss' }).expect(403);
      await post(admin, other.username, { kind: 'silence', reason: 'admin may' }).expect(201);
      await post(mod, 'nobody_at_all_here', { kind: 'ban', reason: 'xyz' }).expect(404);
    });
  });

  describe('audit log', () => {
    it('records each action with who, what, target and note, and nothing can change it', async () => {
      const member = await createUser(t);
      const { threadId } = await createThread(t, member, slug);
      await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'audit me' })
        .expect(201);
      await t.http.post(`/api/threads/${threadId}/lock`).set(bearer(mod.accessToken)).expect(200);
      // The audit listener writes after the answers: poll until every entry is there.
      await eventually(async () => {
        const log = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(mod.accessToken)).expect(200);
        expect(log.body.items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              actor: mod.username,
              action: 'sanction.silence',
              targetType: 'user',
              targetId: member.username,
              note: 'audit me',
            }),
            expect.objectContaining({
              actor: mod.username,
              action: 'thread.lock',
              targetType: 'thread',
              targetId: threadId,
            }),
            expect.objectContaining({
              actor: 'cli',
              action: 'user.role',
              targetId: mod.username,
              note: expect.stringContaining('member -> moderator'),
            }),
          ]),
        );
      });
      await expect(t.db.query(`UPDATE audit_log SET note = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      for (const method of ['put', 'patch', 'delete'] as const) {
        await t.http[method]('/api/moderation/audit-log').set(bearer(admin.accessToken)).expect(404);
      }
    });
  });
});
