import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { advanceClock } from './support/clock';
import { eventually } from './support/eventually';

describe('Discussion threads under load, notifications and search (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  it('keeps counters exact under 40 concurrent replies', async () => {
    const { slug } = await createCategory(t, admin);
    const author = await createUser(t);
    const members = await Promise.all(Array.from({ length: 8 }, () => createUser(t)));
    const { threadId } = await createThread(t, author, slug);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        reply(t, members[i % members.length], threadId, `Reply number ${i}, with care.`),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    expect((await t.http.get(`/api/threads/${threadId}`).expect(200)).body.replyCount).toBe(40);
    const cat = ((await t.http.get('/api/categories').expect(200)).body as Array<{ slug: string }>).find(
      (c) => c.slug === slug,
    );
    expect(cat).toMatchObject({ threadCount: 1, postCount: 41 });
    const profile = await t.http.get(`/api/users/${members[0].username}`).expect(200);
    expect(profile.body.postCount).toBe(5);
    const [{ count }] = (await t.db.query(`SELECT count(*)::int AS count FROM posts WHERE thread_id = $1`, [
      threadId,
    ])) as Array<{
      count: number;
    }>;
    expect(count).toBe(41);
  });

  it('pages posts without repeats or gaps while others reply', async () => {
    const { slug } = await createCategory(t, admin);
    const author = await createUser(t);
    const { threadId } = await createThread(t, author, slug);
    for (let i = 0; i < 24; i++) await reply(t, author, threadId, `post ${i}`).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.http
        .get(`/api/threads/${threadId}/posts?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      if (++pages === 2) await Promise.all([1, 2, 3].map((i) => reply(t, author, threadId, `late ${i}`).expect(201)));
    } while (cursor);
    const all = (
      (await t.db.query(`SELECT id FROM posts WHERE thread_id = $1 ORDER BY id`, [threadId])) as Array<{ id: string }>
    ).map((r) => r.id);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(28);
  });

  it('pages the thread list without repeats or gaps while new threads arrive', async () => {
    const { slug } = await createCategory(t, admin);
    const author = await createUser(t);
    const original: string[] = [];
    for (let i = 0; i < 12; i++)
      original.push((await createThread(t, author, slug, { title: `Thread number ${i}` })).threadId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.http
        .get(`/api/categories/${slug}/threads?limit=5${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...res.body.items.map((th: { id: string }) => th.id));
      cursor = res.body.nextCursor;
      if (++pages === 1)
        for (let i = 0; i < 3; i++) await createThread(t, author, slug, { title: `Newcomer thread ${i}` });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...original].reverse());
  });

  it('refuses a cursor it did not give out and a bad limit', async () => {
    const { slug } = await createCategory(t, admin);
    const bad = await t.http.get(`/api/categories/${slug}/threads?cursor=not-a-cursor`).expect(400);
    expect(bad.body.message).toContain('cursor');
    const limit = await t.http.get(`/api/categories/${slug}/threads?limit=500`).expect(400);
    expect(JSON.stringify(limit.body.message)).toContain('limit');
  });

  describe('notifications', () => {
    it('tells watchers about replies and members about mentions; marks read', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const watcher = await createUser(t);
      const mentioned = await createUser(t);
      const replier = await createUser(t);
      const { threadId } = await createThread(t, author, slug, { title: 'Tips for fatigue' });
      await t.http.put(`/api/threads/${threadId}/subscription`).set(bearer(watcher.accessToken)).expect(204);
      await reply(t, replier, threadId, `Rest helps. @${mentioned.username} knows more.`).expect(201);

      for (const [user, kind] of [
        [author, 'reply'],
        [watcher, 'reply'],
        [mentioned, 'mention'],
      ] as const) {
        // Notifications are written by a listener after the reply's answer: poll until each has arrived.
        const res = await eventually(async () => {
          const r = await t.http.get('/api/notifications').set(bearer(user.accessToken)).expect(200);
          expect(r.body.unread).toBe(1);
          return r;
        });
        expect(res.body.items[0]).toMatchObject({
          kind,
          read: false,
          data: { threadId, threadTitle: 'Tips for fatigue', by: { username: replier.username } },
        });
      }
      const mine = await t.http.get('/api/notifications').set(bearer(replier.accessToken)).expect(200);
      expect(mine.body.items).toEqual([]);

      const list = await t.http.get('/api/notifications').set(bearer(author.accessToken)).expect(200);
      await t.http
        .post('/api/notifications/read')
        .set(bearer(author.accessToken))
        .send({ ids: [list.body.items[0].id] })
        .expect(204);
      expect((await t.http.get('/api/notifications').set(bearer(author.accessToken)).expect(200)).body.unread).toBe(0);
      await t.http.post('/api/notifications/read').set(bearer(watcher.accessToken)).send({}).expect(204);
      expect((await t.http.get('/api/notifications').set(bearer(watcher.accessToken)).expect(200)).body.unread).toBe(0);
      await t.http.get('/api/notifications').expect(401);
      await t.http
        .post('/api/notifications/read')
        .set(bearer(watcher.accessToken))
        .send({ ids: ['x'] })
        .expect(400);
    });

    it('never names an anonymous author; spares those who blocked the author, but not of anonymous posts', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const blocker = await createUser(t);
      const secret = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      await t.http.put(`/api/threads/${threadId}/subscription`).set(bearer(blocker.accessToken)).expect(204);
      await t.http.post(`/api/users/${secret.username}/block`).set(bearer(blocker.accessToken)).expect(204);
      const named = await reply(t, secret, threadId, 'A named word').expect(201);
      const anonymous = await reply(t, secret, threadId, 'An anonymous word', { anonymous: true }).expect(201);
      // Both replies' notifications are written (the author's arrive with the blocker's, one batch a post).
      const toAuthor = await eventually(async () => {
        const r = await t.http.get('/api/notifications').set(bearer(author.accessToken)).expect(200);
        expect(r.body.items).toHaveLength(2);
        return r;
      });
      expect(toAuthor.body.items.map((n: { data: { postId: string } }) => n.data.postId).sort()).toEqual(
        [named.body.id, anonymous.body.id].sort(),
      );
      const aboutAnonymous = toAuthor.body.items.find(
        (n: { data: { postId: string } }) => n.data.postId === anonymous.body.id,
      );
      expect(aboutAnonymous.data.by).toEqual({ username: null, displayName: 'Anonymous member' });
      expect(JSON.stringify(aboutAnonymous)).not.toContain(secret.username);
      // The block spares the blocker the named reply; of the anonymous one they hear like everyone (content policy:
      // blocks never apply to anonymous content, so a missing notification cannot name the author).
      const toBlocker = await t.http.get('/api/notifications').set(bearer(blocker.accessToken)).expect(200);
      expect(toBlocker.body.items).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({
            postId: anonymous.body.id,
            by: { username: null, displayName: 'Anonymous member' },
          }),
        }),
      ]);
    });
  });

  describe('search', () => {
    it('finds published threads by title and posts by body, ranked, and nothing pending', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const word = `zebrafinch${Date.now().toString(36)}`;
      const { threadId } = await createThread(t, author, slug, {
        title: `Living with ${word} every day`,
        body: 'An opening.',
      });
      const r = await reply(t, author, threadId, `A reply that mentions ${word} once.`).expect(201);
      const res = await t.http.get(`/api/search?q=${word}`).expect(200);
      expect(res.body.items.map((h: { type: string }) => h.type)).toEqual(['thread', 'post']);
      expect(res.body.items[1]).toMatchObject({ threadId, postId: r.body.id, excerpt: expect.stringContaining(word) });
      expect(res.body.nextCursor).toBeNull();
      const paged = await t.http.get(`/api/search?q=${word}&limit=1`).expect(200);
      expect(paged.body.items).toHaveLength(1);
      const next = await t.http.get(`/api/search?q=${word}&limit=1&cursor=${paged.body.nextCursor}`).expect(200);
      expect(next.body.items[0].postId).toBe(r.body.id);

      await t.http
        .patch(`/api/categories/${slug}`)
        .set(bearer(admin.accessToken))
        .send({ approval: 'all' })
        .expect(200);
      const hidden = `okapi${Date.now().toString(36)}`;
      await reply(t, author, threadId, `pending ${hidden}`).expect(202);
      expect((await t.http.get(`/api/search?q=${hidden}`).expect(200)).body.items).toEqual([]);
    });

    it.each(["'); DROP TABLE users; --", 'scan & | ! :* <-> (( ))', '"unclosed quote', '-', '\\', 'a:*B & !!c'])(
      'treats %j as words, never as syntax',
      async (q) => {
        const res = await t.http.get(`/api/search?q=${encodeURIComponent(q)}`).expect(200);
        expect(Array.isArray(res.body.items)).toBe(true);
        expect(res.body).toHaveProperty('nextCursor');
      },
    );

    it('needs a query', async () => {
      const res = await t.http.get('/api/search').expect(400);
      expect(JSON.stringify(res.body.message)).toContain('q');
    });
  });

  it('renders an XSS corpus inert through the API', async () => {
    const { slug } = await createCategory(t, admin);
    const author = await createUser(t);
    const { threadId } = await createThread(t, author, slug);
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil.example"></iframe>',
      '<p style="background:url(javascript:alert(1))">x</p>',
      '![x](javascript:alert(1))',
    ];
    for (const body of payloads) {
      const res = await reply(t, author, threadId, `${body} ${Math.random()}`).expect(201);
      const tags = ((res.body.bodyHtml as string).match(/<[^>]*>/g) ?? []).join(' ');
      expect(tags).not.toMatch(/<(script|iframe|svg|img|object|embed|style)\b|\son\w+\s*=|javascript:|data:|style=/i);
    }
  });
});

describe('Pacing (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on' });
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  it('spaces threads and posts, refuses duplicates, and spares moderators', async () => {
    const { slug } = await createCategory(t, admin);
    const member = await createUser(t);
    await t.db.query(`UPDATE users SET first_approved_at = now() WHERE id = $1`, [member.id]);
    const { threadId } = await createThread(t, member, slug, { title: 'A paced thread' });
    const again = await t.http
      .post(`/api/categories/${slug}/threads`)
      .set(bearer(member.accessToken))
      .send({ title: 'Too soon after', body: 'another' })
      .expect(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(5);

    await reply(t, member, threadId, 'First reply').expect(201);
    const fast = await reply(t, member, threadId, 'Second reply, too fast').expect(429);
    expect(Number(fast.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    advanceClock(t, 5); // a member's 5 s between posts
    await reply(t, member, threadId, 'Second reply, after the wait').expect(201);
    const dup = await reply(t, member, threadId, 'first   REPLY').expect(409);
    expect(dup.body.message).toContain('same text');

    for (let i = 0; i < 3; i++) await reply(t, admin, threadId, `admin ${i}`).expect(201);
  });

  it('paces a new member more slowly (30 s between posts)', async () => {
    const { slug } = await createCategory(t, admin, 'new_members');
    const { threadId } = await createThread(t, admin, slug, { title: 'Introduce yourself here' });
    const newbie = await createUser(t);
    await reply(t, newbie, threadId, 'Hello, I am new').expect(202); // held: still a new member
    advanceClock(t, 5);
    // 5 s would do for a member; a new member waits 30 s
    const res = await reply(t, newbie, threadId, 'Hello again').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(20);
    advanceClock(t, 25);
    await reply(t, newbie, threadId, 'Hello again').expect(202); // 30 s on: accepted (and held, still new)
  });
});
