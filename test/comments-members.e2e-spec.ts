import type { TestApp } from './app';
import { trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { commentHelpers } from './support/comments-app';
import { startAppWithStaff } from './support/staff-app';

/** Article comments: what members do (trust, replies, edits, deletes, blocks, reports) and XSS. */
describe('Article comments (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  beforeAll(async () => {
    ({ t, admin, mod } = await startAppWithStaff());
  });
  afterAll(() => t.close());
  const { newPage } = commentHelpers(() => ({ t, admin, mod }));

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
});
