import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { signInBrowser } from './factories/web';
import { eventually } from './support/eventually';

interface QueueItem {
  id: string;
  targetType: string;
  targetId: string;
  held: boolean;
  reasons: string[];
  gateReasons: Array<{ code: string; ruleIds?: string[] }>;
  content: { status: string; body: string; pendingEdit: { body: string } | null } | null;
}

/** Edits pass the same gate as new content, and the gate records what it holds in the content's transaction. */
describe('PublishingGate (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let holdWord: string;
  let holdRule: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
    mod = await createUser(t, { role: 'moderator' });
    holdWord = `gatehold${randomBytes(3).toString('hex')}`;
    const rule = await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: holdWord, action: 'hold' })
      .expect(201);
    holdRule = String(rule.body.id);
  });
  afterAll(() => t.close());

  const queueItem = async (targetType: string, targetId: string): Promise<QueueItem | undefined> => {
    const res = await t.http.get('/api/moderation/queue?limit=100').set(bearer(mod.accessToken)).expect(200);
    return (res.body.items as QueueItem[]).find((i) => i.targetType === targetType && i.targetId === targetId);
  };
  const resolve = (itemId: string, action: string) =>
    t.http.post(`/api/moderation/queue/${itemId}/resolve`).set(bearer(mod.accessToken)).send({ action }).expect(200);
  const trustedMember = async () => {
    const member = await createUser(t);
    await trust(t, member);
    return member;
  };
  const publishedReply = async (author: TestUser, slug: string, body: string) => {
    const { threadId } = await createThread(t, author, slug);
    const res = await reply(t, author, threadId, body).expect(201);
    return { threadId, postId: res.body.id as string };
  };
  const postsSeenBy = async (viewer: TestUser, threadId: string) =>
    (await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(viewer.accessToken)).expect(200)).body
      .items as Array<{
      id: string;
      body: string;
      pendingEdit?: { body: string; heldReason: string };
    }>;
  const newPage = async () => {
    const key = `page-${randomBytes(4).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'An article', url: 'https://example.org/a' })
      .expect(201);
    return key;
  };
  const moderationNotes = async (member: TestUser) =>
    (await t.http.get('/api/notifications').set(bearer(member.accessToken)).expect(200)).body.items.filter(
      (n: { kind: string }) => n.kind === 'moderation',
    ) as Array<{ data: { action: string } }>;

  describe('an edit of a published post', () => {
    it('is held for a watched word: others keep the old text, the author sees her waiting edit; approve applies it', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await trustedMember();
      const reader = await createUser(t);
      const { threadId, postId } = await publishedReply(author, slug, 'The first words, as published');

      const edited = await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(author.accessToken))
        .send({ body: `Now with ${holdWord} inside` })
        .expect(200);
      expect(edited.body).toMatchObject({
        status: 'published',
        body: 'The first words, as published',
        pendingEdit: { body: `Now with ${holdWord} inside`, heldReason: expect.stringContaining('hold') },
      });

      const seen = (await postsSeenBy(reader, threadId)).find((p) => p.id === postId)!;
      expect(seen.body).toBe('The first words, as published');
      expect(seen.pendingEdit).toBeUndefined();
      expect(JSON.stringify(await postsSeenBy(reader, threadId))).not.toContain(holdWord);
      const own = (await postsSeenBy(author, threadId)).find((p) => p.id === postId)!;
      expect(own.pendingEdit).toMatchObject({ body: `Now with ${holdWord} inside` });

      const item = await queueItem('post', postId);
      expect(item).toMatchObject({
        held: true,
        gateReasons: [{ code: 'watched', ruleIds: [holdRule] }],
        content: {
          status: 'published',
          body: 'The first words, as published',
          pendingEdit: { body: `Now with ${holdWord} inside` },
        },
      });

      await resolve(item!.id, 'approve');
      const after = (await postsSeenBy(reader, threadId)).find((p) => p.id === postId)!;
      expect(after.body).toBe(`Now with ${holdWord} inside`);
      const revisions = await t.http.get(`/api/posts/${postId}/revisions`).set(bearer(author.accessToken)).expect(200);
      expect(revisions.body[0]).toMatchObject({ body: 'The first words, as published' });
      const mine = (await postsSeenBy(author, threadId)).find((p) => p.id === postId)!;
      expect(mine.pendingEdit).toBeUndefined();
    });

    it('is dropped on reject: the published text stays and the author is told', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await trustedMember();
      const reader = await createUser(t);
      const { threadId, postId } = await publishedReply(author, slug, 'Words that will stay');
      await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(author.accessToken))
        .send({ body: `Rewritten with ${holdWord}` })
        .expect(200);
      const item = await queueItem('post', postId);
      expect(item?.held).toBe(true);

      await resolve(item!.id, 'reject');
      expect((await postsSeenBy(reader, threadId)).find((p) => p.id === postId)).toMatchObject({
        body: 'Words that will stay',
        status: 'published',
      });
      const mine = (await postsSeenBy(author, threadId)).find((p) => p.id === postId)!;
      expect(mine).toMatchObject({ body: 'Words that will stay', status: 'published' });
      expect(mine.pendingEdit).toBeUndefined();
      expect(await moderationNotes(author)).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ action: 'reject' }) }),
      ]);
    });

    it("in a category with approval 'all', holds every member edit (even after an approved post) but not a moderator's", async () => {
      const { slug } = await createCategory(t, admin, 'all');
      const author = await trustedMember();
      const created = await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(author.accessToken))
        .send({ title: 'A thread in a careful place', body: 'An opening post' })
        .expect(202);
      const threadId = created.body.thread.id as string;
      const postId = created.body.post.id as string;
      await resolve((await queueItem('thread', threadId))!.id, 'approve');

      const edited = await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(author.accessToken))
        .send({ body: 'A quiet rewrite, nothing watched' })
        .expect(200);
      expect(edited.body).toMatchObject({
        body: 'An opening post',
        pendingEdit: { body: 'A quiet rewrite, nothing watched' },
      });
      const item = await queueItem('post', postId);
      expect(item).toMatchObject({ held: true, gateReasons: [{ code: 'approval' }] });

      const byMod = await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(mod.accessToken))
        .send({ body: 'A moderator tidies it' })
        .expect(200);
      expect(byMod.body.body).toBe('A moderator tidies it');
    });
  });

  describe('an edit of a published comment', () => {
    it('is held for a watched word (old text stays for others) and applied on approve', async () => {
      const key = await newPage();
      const author = await trustedMember();
      const c = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(author.accessToken))
        .send({ body: 'A kind comment' })
        .expect(201);
      const id = c.body.id as string;

      const edited = await t.http
        .patch(`/api/comments/${id}`)
        .set(bearer(author.accessToken))
        .send({ body: `A kind ${holdWord} comment` })
        .expect(200);
      expect(edited.body).toMatchObject({
        body: 'A kind comment',
        pendingEdit: { body: `A kind ${holdWord} comment` },
      });
      const guestView = await t.http.get(`/api/pages/${key}/comments`).expect(200);
      expect(guestView.body.items[0]).toMatchObject({ id, body: 'A kind comment' });
      expect(JSON.stringify(guestView.body)).not.toContain(holdWord);

      const item = await queueItem('comment', id);
      expect(item).toMatchObject({
        held: true,
        content: { status: 'published', pendingEdit: { body: `A kind ${holdWord} comment` } },
      });
      await resolve(item!.id, 'approve');
      const after = await t.http.get(`/api/pages/${key}/comments`).expect(200);
      expect(after.body.items[0]).toMatchObject({ id, body: `A kind ${holdWord} comment` });
    });

    it('is dropped on reject', async () => {
      const key = await newPage();
      const author = await trustedMember();
      const c = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(author.accessToken))
        .send({ body: 'A comment to keep' })
        .expect(201);
      const id = c.body.id as string;
      await t.http
        .patch(`/api/comments/${id}`)
        .set(bearer(author.accessToken))
        .send({ body: `changed to ${holdWord}` })
        .expect(200);
      await resolve((await queueItem('comment', id))!.id, 'reject');
      const after = await t.http.get(`/api/pages/${key}/comments`).set(bearer(author.accessToken)).expect(200);
      expect(after.body.items[0]).toMatchObject({ id, body: 'A comment to keep', status: 'published' });
      expect(after.body.items[0].pendingEdit).toBeUndefined();
      expect(await moderationNotes(author)).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ action: 'reject' }) }),
      ]);
    });
  });

  describe('recording a held item', () => {
    it('is part of the content transaction: when the queue refuses the entry, the post is not stored either', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await trustedMember();
      const { threadId } = await createThread(t, author, slug);
      const marker = `refusedbyqueue${randomBytes(3).toString('hex')}`;
      const fn = `gate_test_refuse_${randomBytes(3).toString('hex')}`;
      await t.db.query(
        `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.target_type = 'post' AND EXISTS (SELECT 1 FROM posts WHERE id = NEW.target_id AND body LIKE '%${marker}%')
           THEN RAISE EXCEPTION 'queue refused'; END IF;
           RETURN NEW;
         END $$`,
      );
      await t.db.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON moderation_items FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
      try {
        const res = await reply(t, author, threadId, `${marker} with ${holdWord}`);
        expect(res.status).toBe(500);
      } finally {
        await t.db.query(`DROP TRIGGER ${fn} ON moderation_items`);
        await t.db.query(`DROP FUNCTION ${fn}()`);
      }
      const rows = (await t.db.query(`SELECT id FROM posts WHERE body LIKE $1`, [`%${marker}%`])) as unknown[];
      expect(rows).toEqual([]);
    });

    it('exists when the 202 answer arrives, with structured reasons', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await trustedMember();
      const { threadId } = await createThread(t, author, slug);
      const res = await reply(t, author, threadId, `a reply with ${holdWord}`).expect(202);
      const rows = (await t.db.query(
        `SELECT held, gate_reasons AS "gateReasons" FROM moderation_items WHERE target_type = 'post' AND target_id = $1`,
        [res.body.id],
      )) as Array<{ held: boolean; gateReasons: unknown }>;
      expect(rows).toEqual([{ held: true, gateReasons: [{ code: 'watched', action: 'hold', ruleIds: [holdRule] }] }]);
      expect(res.body).toMatchObject({ status: 'pending', heldReason: expect.stringContaining('hold') });
    });
  });

  describe('the queue', () => {
    it('reads a page of entries in the same number of queries whatever its size', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await trustedMember();
      const { threadId } = await createThread(t, author, slug);
      for (let i = 0; i < 6; i++) await reply(t, author, threadId, `held ${i} ${holdWord}`).expect(202);
      // The jobs these posts caused (fan-out, notifications) run in this app and query through the same DataSource:
      // let them finish first, so that the readings count the page's own queries. (Other test files' apps share the
      // database: only this app's queues count.)
      await eventually(async () => {
        const [{ n }] = (await t.db.query(
          `SELECT count(*)::int AS n FROM pgboss.job
            WHERE starts_with(name, $1) AND state IN ('created', 'retry', 'active') AND start_after <= now()`,
          [t.config.jobs.queuePrefix],
        )) as Array<{ n: number }>;
        expect(n).toBe(0);
      });
      const queries = async (limit: number) => {
        const spy = jest.spyOn(t.db, 'query');
        try {
          const res = await t.http
            .get(`/api/moderation/queue?type=post&limit=${limit}`)
            .set(bearer(mod.accessToken))
            .expect(200);
          expect(res.body.items).toHaveLength(limit);
          return spy.mock.calls.length;
        } finally {
          spy.mockRestore();
        }
      };
      // Background work that starts later (a timer's job) may still run during one reading and only ever adds calls:
      // the fewest of three readings is the page's own.
      const fewest = async (limit: number) =>
        Math.min(await queries(limit), await queries(limit), await queries(limit));
      expect(await fewest(6)).toBe(await fewest(1));
    });
  });

  describe('pages', () => {
    it('show the author her waiting edit, keep it from readers, and give moderators the edit with its reason in words', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await trustedMember();
      const reader = await createUser(t);
      const { threadId, postId } = await publishedReply(author, slug, 'Words on the page');
      await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(author.accessToken))
        .send({ body: `Page words with ${holdWord}` })
        .expect(200);
      const [authorB, readerB, modB] = await Promise.all([author, reader, mod].map((u) => signInBrowser(t, u)));
      const page = (cookie: string, path: string) => t.http.get(path).set('Cookie', cookie).expect(200);

      const own = await page(authorB.cookie, `/t/${threadId}`);
      expect(own.text).toContain('Your edit waits for a moderator');
      expect(own.text).toContain(`Page words with ${holdWord}`);
      const others = await page(readerB.cookie, `/t/${threadId}`);
      expect(others.text).toContain('Words on the page');
      expect(others.text).not.toContain(holdWord);

      const item = (await queueItem('post', postId))!;
      let path: string | undefined = '/mod?type=post';
      let card = '';
      while (path && !card) {
        const res = await page(modB.cookie, path);
        const at = res.text.indexOf(`id="item-${item.id}-heading"`);
        if (at >= 0) card = res.text.slice(at, res.text.indexOf('</article>', at));
        path = /<a href="([^"]+)">Next page<\/a>/.exec(res.text)?.[1]?.replace(/&amp;/g, '&');
      }
      expect(card).toContain('The edit waiting for approval');
      expect(card).toContain(`Page words with ${holdWord}`);
      expect(card).toContain(`Watched word:</strong> watched word (hold): rule #${holdRule}`);
      expect(card).toContain('Approve the edit');
    });
  });
});
