import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { expireChallenge } from './factories/captcha';
import { bearer, createUser, solvedCaptcha, type TestUser } from './factories/users';
import { commentHelpers, EMAIL } from './support/comments-app';
import { startAppWithStaff } from './support/staff-app';

/** Article comments: pages, guests' comments and ratings; and comment rate limits. */
describe('Article comments (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  beforeAll(async () => {
    ({ t, admin, mod } = await startAppWithStaff());
  });
  afterAll(() => t.close());
  const { newPage, guestComment, approve } = commentHelpers(() => ({ t, admin, mod }));

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
