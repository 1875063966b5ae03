import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { expireChallenge } from './factories/captcha';
import { trust } from './factories/forums';
import { bearer, createUser, solvedCaptcha, type TestUser } from './factories/users';
import { advanceClock } from './support/clock';

const EMAIL = 'guest.secret@example.org';

describe('Article comments (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
    mod = await createUser(t, { role: 'moderator' });
  });
  afterAll(() => t.close());

  const newPage = async () => {
    const key = `page-${randomBytes(4).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'An article', url: 'https://example.org/a' })
      .expect(201);
    return key;
  };
  /** A guest's comment, sent as a person would: a while after fetching the captcha. */
  const guestComment = async (key: string, fields: Record<string, unknown>, status: number) => {
    const captcha = await solvedCaptcha(t.http);
    advanceClock(t, 3); // past the "sent within 3 s of the captcha" spam signal, wherever challenges are kept
    return t.http
      .post(`/api/pages/${key}/comments`)
      .send({
        body: 'Thank you for this article.',
        authorName: 'Maria',
        authorEmail: EMAIL,
        acceptTerms: true,
        captcha,
        ...fields,
      })
      .expect(status);
  };
  const approve = async (targetId: string) => {
    const q = await t.http.get('/api/moderation/queue?type=comment&limit=100').set(bearer(mod.accessToken)).expect(200);
    const item = q.body.items.find((i: { targetId: string }) => i.targetId === targetId);
    expect(item).toBeDefined();
    await t.http
      .post(`/api/moderation/queue/${item.id}/resolve`)
      .set(bearer(mod.accessToken))
      .send({ action: 'approve' })
      .expect(200);
    return item as { reasons: string[] };
  };

  describe('pages', () => {
    it('has the first article on a fresh community, and 404 for unknown keys', async () => {
      const res = await t.http.get('/api/pages/breast-cancer-stage-four').expect(200);
      expect(res.body).toMatchObject({
        key: 'breast-cancer-stage-four',
        title: 'Breast Cancer Stage Four',
        commentCount: expect.any(Number),
        rating: { count: expect.any(Number) },
      });
      await t.http.get('/api/pages/no-such-article').expect(404);
      await t.http.get('/api/pages/no-such-article/comments').expect(404);
    });

    it('lets only admins create (201) and update (200) pages, with reviewer, editor and disclaimer', async () => {
      const key = `page-${randomBytes(4).toString('hex')}`;
      const member = await createUser(t);
      await t.http.put(`/api/pages/${key}`).send({ title: 'x', url: 'https://example.org' }).expect(401);
      await t.http
        .put(`/api/pages/${key}`)
        .set(bearer(member.accessToken))
        .send({ title: 'x', url: 'https://example.org' })
        .expect(403);
      await t.http
        .put(`/api/pages/${key}`)
        .set(bearer(mod.accessToken))
        .send({ title: 'x', url: 'https://example.org' })
        .expect(403);
      await t.http
        .put(`/api/pages/${key}`)
        .set(bearer(admin.accessToken))
        .send({ title: 'x', url: 'javascript:alert(1)' })
        .expect(400);
      await t.http
        .put(`/api/pages/${key}`)
        .set(bearer(admin.accessToken))
        .send({ url: 'https://example.org' })
        .expect(400);
      const created = await t.http
        .put(`/api/pages/${key}`)
        .set(bearer(admin.accessToken))
        .send({
          title: 'Living well',
          url: 'https://example.org/lw',
          reviewer: 'Dr. A',
          editor: 'B',
          disclaimer: 'Not medical advice.',
        })
        .expect(201);
      expect(created.body).toMatchObject({
        key,
        title: 'Living well',
        reviewer: 'Dr. A',
        editor: 'B',
        disclaimer: 'Not medical advice.',
        commentCount: 0,
        rating: { average: null, count: 0 },
      });
      const updated = await t.http
        .put(`/api/pages/${key}`)
        .set(bearer(admin.accessToken))
        .send({ title: 'Living well, revised', url: 'https://example.org/lw' })
        .expect(200);
      expect(updated.body.title).toBe('Living well, revised');
      const batch = await t.http.get(`/api/pages?keys=${key},breast-cancer-stage-four,unknown-key`).expect(200);
      expect(batch.body.map((p: { key: string }) => p.key)).toEqual(['breast-cancer-stage-four', key]);
      await t.http.get('/api/pages?keys=Bad Key!').expect(400);
    });
  });

  describe('guests', () => {
    it.each([
      ['authorName', { authorName: undefined }],
      ['acceptTerms', { acceptTerms: undefined }],
      ['acceptTerms', { acceptTerms: false }],
      ['captcha', { captcha: undefined }],
      ['captcha', { captcha: { id: '00000000-0000-4000-8000-000000000000', number: 1 } }],
      ['body', { body: '' }],
      ['authorEmail', { authorEmail: 'not-an-email' }],
    ])('refuses a guest comment without a good %s (400 naming it)', async (field, fields) => {
      const key = await newPage();
      const res = await guestComment(key, fields, 400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('refuses a replayed and an expired captcha', async () => {
      const key = await newPage();
      const captcha = await solvedCaptcha(t.http);
      const send = () =>
        t.http
          .post(`/api/pages/${key}/comments`)
          .send({ body: 'hello', authorName: 'Ann', acceptTerms: true, captcha });
      await send().expect(202);
      const replay = await send().expect(400);
      expect(replay.body.message).toContain('captcha');
      const expired = await solvedCaptcha(t.http);
      await expireChallenge(t, expired.id);
      await t.http
        .post(`/api/pages/${key}/comments`)
        .send({ body: 'hello', authorName: 'Ann', acceptTerms: true, captcha: expired })
        .expect(400);
    });

    it('holds a guest comment (202), shows nothing of it publicly, then lists it once approved — the email nowhere', async () => {
      const key = await newPage();
      const res = await guestComment(key, { body: 'A guest comment about hope' }, 202);
      expect(res.body).toMatchObject({
        status: 'pending',
        author: { username: null, displayName: 'Maria', guest: true },
      });
      expect(JSON.stringify(res.body)).not.toContain(EMAIL);
      let list = await t.http.get(`/api/pages/${key}/comments`).expect(200);
      expect(list.body.items).toEqual([]);
      expect((await t.http.get(`/api/pages/${key}`).expect(200)).body.commentCount).toBe(0);

      const item = await approve(res.body.id);
      expect(item.reasons).toEqual(expect.arrayContaining(['guest comment']));
      list = await t.http.get(`/api/pages/${key}/comments`).expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          id: res.body.id,
          body: 'A guest comment about hope',
          status: 'published',
          author: { username: null, displayName: 'Maria', guest: true },
          replies: [],
        }),
      ]);
      expect((await t.http.get(`/api/pages/${key}`).expect(200)).body.commentCount).toBe(1);
      const queue = await t.http
        .get('/api/moderation/queue?status=resolved&type=comment&limit=100')
        .set(bearer(mod.accessToken))
        .expect(200);
      for (const body of [list.body, queue.body, (await t.http.get(`/api/pages/${key}`)).body])
        expect(JSON.stringify(body)).not.toContain(EMAIL);
    });

    it('holds comments that trip spam signals, with the reason shown to moderators', async () => {
      const key = await newPage();
      const honeypot = await guestComment(key, { website: 'http://spam.example' }, 202);
      const links = await guestComment(key, { body: 'see http://a.example http://b.example http://c.example' }, 202);
      const captcha = await solvedCaptcha(t.http);
      const fast = await t.http
        .post(`/api/pages/${key}/comments`)
        .send({ body: 'quick', authorName: 'Bot', acceptTerms: true, captcha })
        .expect(202);
      const q = await t.http
        .get('/api/moderation/queue?type=comment&limit=100')
        .set(bearer(mod.accessToken))
        .expect(200);
      const reasons = (id: string) =>
        q.body.items.find((i: { targetId: string }) => i.targetId === id).reasons.join(' ');
      expect(reasons(honeypot.body.id)).toContain('hidden form field');
      expect(reasons(links.body.id)).toContain('3 links');
      expect(reasons(fast.body.id)).toContain('within 3 s');
    });
  });

  describe('members', () => {
    it('publishes a trusted member directly, without captcha; holds a new member', async () => {
      const key = await newPage();
      const member = await createUser(t);
      const held = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(member.accessToken))
        .send({ body: 'I am new here' })
        .expect(202);
      expect(held.body.status).toBe('pending');
      const own = await t.http.get(`/api/pages/${key}/comments`).set(bearer(member.accessToken)).expect(200);
      expect(own.body.items.map((c: { id: string }) => c.id)).toEqual([held.body.id]);
      expect((await t.http.get(`/api/pages/${key}/comments`).expect(200)).body.items).toEqual([]);
      await trust(t, member);
      const res = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(member.accessToken))
        .send({ body: 'Now I am **known**' })
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'published',
        author: { username: member.username },
        bodyHtml: expect.stringContaining('<strong>known</strong>'),
      });
    });

    it('nests replies to depth 3; deeper replies join the third level', async () => {
      const key = await newPage();
      const member = await createUser(t);
      await trust(t, member);
      const post = async (body: string, parentId?: string) =>
        (
          await t.http
            .post(`/api/pages/${key}/comments`)
            .set(bearer(member.accessToken))
            .send({ body, parentId })
            .expect(201)
        ).body as { id: string; depth: number; parentId: string | null };
      const a = await post('level one');
      const b = await post('level two', a.id);
      const c = await post('level three', b.id);
      const d = await post('would be level four', c.id);
      expect([a.depth, b.depth, c.depth, d.depth]).toEqual([1, 2, 3, 3]);
      expect(d.parentId).toBe(b.id);
      const list = await t.http.get(`/api/pages/${key}/comments`).expect(200);
      const root = list.body.items[0];
      expect(root.replies[0].id).toBe(b.id);
      expect(root.replies[0].replies.map((r: { id: string }) => r.id)).toEqual([c.id, d.id]);
      const other = await newPage();
      await t.http
        .post(`/api/pages/${other}/comments`)
        .set(bearer(member.accessToken))
        .send({ body: 'x', parentId: a.id })
        .expect(400);
    });

    it('lets the author edit within 15 minutes, moderators always, others never', async () => {
      const key = await newPage();
      const author = await createUser(t);
      const stranger = await createUser(t);
      await trust(t, author);
      const c = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(author.accessToken))
        .send({ body: 'first' })
        .expect(201);
      const edited = await t.http
        .patch(`/api/comments/${c.body.id}`)
        .set(bearer(author.accessToken))
        .send({ body: 'second' })
        .expect(200);
      expect(edited.body).toMatchObject({ body: 'second', editedAt: expect.any(String) });
      await t.http
        .patch(`/api/comments/${c.body.id}`)
        .set(bearer(stranger.accessToken))
        .send({ body: 'nope' })
        .expect(403);
      await t.http.patch(`/api/comments/${c.body.id}`).send({ body: 'guest' }).expect(401);
      await t.db.query(`UPDATE comments SET created_at = now() - interval '16 minutes' WHERE id = $1`, [c.body.id]);
      const late = await t.http
        .patch(`/api/comments/${c.body.id}`)
        .set(bearer(author.accessToken))
        .send({ body: 'late' })
        .expect(403);
      expect(late.body.message).toContain('15 minutes');
      await t.http
        .patch(`/api/comments/${c.body.id}`)
        .set(bearer(mod.accessToken))
        .send({ body: 'by a moderator' })
        .expect(200);
    });

    it('deleting leaves a placeholder so replies keep their place', async () => {
      const key = await newPage();
      const author = await createUser(t);
      const replier = await createUser(t);
      await trust(t, author);
      await trust(t, replier);
      const parent = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(author.accessToken))
        .send({ body: 'to be deleted' })
        .expect(201);
      const child = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(replier.accessToken))
        .send({ body: 'a reply', parentId: parent.body.id })
        .expect(201);
      await t.http.delete(`/api/comments/${parent.body.id}`).set(bearer(replier.accessToken)).expect(403);
      await t.http.delete(`/api/comments/${parent.body.id}`).set(bearer(author.accessToken)).expect(204);
      const list = await t.http.get(`/api/pages/${key}/comments`).expect(200);
      expect(list.body.items[0]).toMatchObject({
        id: parent.body.id,
        status: 'deleted',
        body: null,
        bodyHtml: '',
        author: { deleted: true },
      });
      expect(list.body.items[0].replies[0]).toMatchObject({ id: child.body.id, body: 'a reply' });
      expect(JSON.stringify(list.body)).not.toContain('to be deleted');
      expect((await t.http.get(`/api/pages/${key}`).expect(200)).body.commentCount).toBe(1);
    });

    it("hides a blocked member's comments from the one who blocked them", async () => {
      const key = await newPage();
      const a = await createUser(t);
      const b = await createUser(t);
      await trust(t, a);
      await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(a.accessToken))
        .send({ body: 'words from a' })
        .expect(201);
      await t.http.post(`/api/users/${a.username}/block`).set(bearer(b.accessToken)).expect(204);
      const seen = await t.http.get(`/api/pages/${key}/comments`).set(bearer(b.accessToken)).expect(200);
      expect(JSON.stringify(seen.body)).not.toContain('words from a');
      expect(seen.body.items[0]).toMatchObject({ blocked: true, body: null });
    });

    it('lands comment reports in the one queue', async () => {
      const key = await newPage();
      const author = await createUser(t);
      const reporter = await createUser(t);
      await trust(t, author);
      const c = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(author.accessToken))
        .send({ body: 'A dubious claim' })
        .expect(201);
      await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'comment', targetId: c.body.id, reason: 'misinformation' })
        .expect(201);
      const q = await t.http
        .get('/api/moderation/queue?type=comment&limit=100')
        .set(bearer(mod.accessToken))
        .expect(200);
      const item = q.body.items.find((i: { targetId: string }) => i.targetId === c.body.id);
      expect(item).toMatchObject({
        reports: { byReason: { misinformation: 1 } },
        content: { body: 'A dubious claim', context: { pageKey: key } },
      });
      await t.http
        .post(`/api/moderation/queue/${item.id}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'hide' })
        .expect(200);
      const list = await t.http.get(`/api/pages/${key}/comments`).expect(200);
      expect(JSON.stringify(list.body)).not.toContain('A dubious claim');
    });

    it('renders an XSS corpus inert', async () => {
      const key = await newPage();
      const member = await createUser(t);
      await trust(t, member);
      for (const body of [
        '<script>alert(1)</script>',
        '[x](javascript:alert(1))',
        '<img src=x onerror=alert(1)>',
        '<a href="data:text/html,x">x</a>',
      ]) {
        const res = await t.http
          .post(`/api/pages/${key}/comments`)
          .set(bearer(member.accessToken))
          .send({ body })
          .expect(201);
        const tags = ((res.body.bodyHtml as string).match(/<[^>]*>/g) ?? []).join(' ');
        expect(tags).not.toMatch(/<(script|img|iframe)\b|\son\w+\s*=|javascript:|data:/i);
      }
    });
  });

  describe('ratings', () => {
    it('keeps one rating per member, changeable, with average and count', async () => {
      const key = await newPage();
      const [a, b] = await Promise.all([createUser(t), createUser(t)]);
      await t.http.put(`/api/pages/${key}/rating`).send({ stars: 5 }).expect(401);
      expect(
        (await t.http.put(`/api/pages/${key}/rating`).set(bearer(a.accessToken)).send({ stars: 5 }).expect(200)).body,
      ).toEqual({ average: 5, count: 1, mine: 5 });
      expect(
        (await t.http.put(`/api/pages/${key}/rating`).set(bearer(b.accessToken)).send({ stars: 2 }).expect(200)).body,
      ).toEqual({ average: 3.5, count: 2, mine: 2 });
      expect(
        (await t.http.put(`/api/pages/${key}/rating`).set(bearer(a.accessToken)).send({ stars: 3 }).expect(200)).body,
      ).toEqual({ average: 2.5, count: 2, mine: 3 });
      expect((await t.http.get(`/api/pages/${key}`).expect(200)).body.rating).toEqual({ average: 2.5, count: 2 });
      for (const stars of [0, 6, 2.5, '4', null])
        await t.http.put(`/api/pages/${key}/rating`).set(bearer(a.accessToken)).send({ stars }).expect(400);
      await t.http.put('/api/pages/no-such-article/rating').set(bearer(a.accessToken)).send({ stars: 4 }).expect(404);
    });
  });
});

describe('Comment rate limits (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on' });
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  it('limits guests per IP with 429 and Retry-After', async () => {
    const key = `page-${randomBytes(4).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'A page', url: 'https://example.org' })
      .expect(201);
    for (let i = 0; i < 5; i++) {
      const captcha = await solvedCaptcha(t.http);
      await t.http
        .post(`/api/pages/${key}/comments`)
        .send({ body: `comment ${i}`, authorName: 'G', acceptTerms: true, captcha })
        .expect(202);
    }
    const captcha = await solvedCaptcha(t.http);
    const res = await t.http
      .post(`/api/pages/${key}/comments`)
      .send({ body: 'one more', authorName: 'G', acceptTerms: true, captcha })
      .expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const [row] = (await t.db.query(`SELECT ip_hash FROM comments WHERE body = 'comment 0'`)) as Array<{
      ip_hash: string;
    }>;
    expect(row.ip_hash).not.toContain('127.0.0.1');
  });
});
