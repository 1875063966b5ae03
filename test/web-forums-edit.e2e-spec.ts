import type { TestApp } from './app';
import { createCategory, createThread, reply } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, followRedirect } from './factories/web';
import { eventually } from './support/eventually';
import { forumPageHelpers, startForumPagesApp, textOf } from './support/forum-pages';

/** Forum pages: editing and deleting posts, their revisions, and moderators acting on the thread page. */
describe('Forum edit pages (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let modBrowser: BrowserSession;

  beforeAll(async () => {
    ({ t, admin, mod, modBrowser } = await startForumPagesApp());
  });
  afterAll(() => t.close());
  const { get, post, member } = forumPageHelpers(() => t);

  /** A thread by a trusted member with a browser, and one reply by her. */
  async function ownThread() {
    const { slug } = await createCategory(t, admin, 'none');
    const me = await member('Editing Emma');
    const { threadId, postId } = await createThread(t, me.user, slug, {
      title: 'First scan results',
      body: 'The scan was *clear*.',
    });
    const res = await reply(t, me.user, threadId, 'A reply of mine').expect(201);
    return { ...me, slug, threadId, firstPostId: postId, replyId: res.body.id as string };
  }

  const auditOf = (targetId: string) =>
    t.db.query(`SELECT action, note, actor_id AS "actorId" FROM audit_log WHERE target_id = $1 ORDER BY id`, [
      targetId,
    ]) as Promise<Array<{ action: string; note: string | null; actorId: string }>>;

  describe('a member and her own posts', () => {
    it('shows Edit and Delete on her posts only, and edits a reply with a preview; "edited" opens the revisions', async () => {
      const { browser, threadId, replyId, firstPostId } = await ownThread();
      const page = await get(`/t/${threadId}`, browser).expect(200);
      expect(page.text).toContain(`href="/p/${replyId}/edit"`);
      expect(page.text).toContain(`href="/p/${replyId}/delete"`);
      expect(page.text).not.toContain(`action="/p/${replyId}/hide"`);
      const other = await member();
      const asOther = await get(`/t/${threadId}`, other.browser).expect(200);
      expect(asOther.text).not.toContain(`/p/${replyId}/edit`);
      expect(asOther.text).not.toContain(`/p/${firstPostId}/delete`);

      const form = await get(`/p/${replyId}/edit`, browser).expect(200);
      expect(form.text).toContain('A reply of mine</textarea>');
      expect(form.text).not.toContain('id="edit-title"');
      expect(form.text).not.toContain('id="edit-reason"');

      const preview = await post(`/p/${replyId}/edit`, browser, {
        body: 'A **better** reply',
        intent: 'preview',
      }).expect(200);
      expect(preview.text).toContain('<strong>better</strong>');
      expect(preview.text).toContain('A **better** reply</textarea>');
      expect((await t.db.query(`SELECT body FROM posts WHERE id = $1`, [replyId]))[0].body).toBe('A reply of mine');

      const saved = await post(`/p/${replyId}/edit`, browser, { body: 'A **better** reply', intent: 'save' }).expect(
        303,
      );
      expect(saved.headers.location).toContain(`#post-${replyId}`);
      const after = await followRedirect(t, browser, saved).expect(200);
      expect(textOf(after.text)).toContain('Your changes are saved.');
      expect(after.text).toContain('<strong>better</strong>');
      expect(after.text).toContain(`href="/p/${replyId}/revisions"`);

      const revisions = await get(`/p/${replyId}/revisions`, browser).expect(200);
      expect(textOf(revisions.text)).toContain('Earlier versions');
      expect(textOf(revisions.text)).toContain('A reply of mine');
      expect(revisions.text).toContain('<strong>better</strong>');
      // Others: the thread shows "(edited)" without the link, and the revisions page is refused as the API does.
      const seenByOther = await get(`/t/${threadId}`, other.browser).expect(200);
      expect(textOf(seenByOther.text)).toContain('(edited)');
      expect(seenByOther.text).not.toContain(`/p/${replyId}/revisions`);
      await get(`/p/${replyId}/revisions`, other.browser).expect(403);
      await get(`/p/${replyId}/revisions`, modBrowser).expect(200);
      const guest = await get(`/p/${replyId}/revisions`);
      expect([302, 303]).toContain(guest.status);
    });

    it('changes the thread title with the opening post; a bad title is kept with the message (422)', async () => {
      const { browser, threadId, firstPostId } = await ownThread();
      const thread = await get(`/t/${threadId}`, browser).expect(200);
      expect(thread.text).toContain(`<a href="/p/${firstPostId}/edit">Edit the title and opening post</a>`);
      const other = await member();
      expect((await get(`/t/${threadId}`, other.browser).expect(200)).text).not.toContain('Edit the title');
      const form = await get(`/p/${firstPostId}/edit`, browser).expect(200);
      expect(form.text).toContain('value="First scan results"');
      const bad = await post(`/p/${firstPostId}/edit`, browser, { title: 'Hi', body: 'Still clear', intent: 'save' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('role="alert"');
      expect(bad.text).toContain('Still clear</textarea>');
      const ok = await post(`/p/${firstPostId}/edit`, browser, {
        title: 'Scan results: all clear',
        body: 'The scan was *clear* again.',
        intent: 'save',
      }).expect(303);
      const page = await followRedirect(t, browser, ok).expect(200);
      expect(page.text).toContain('<h1>Scan results: all clear</h1>');
      expect(page.text).toContain('again.');
    });

    it('refuses an edit after the edit window, with a clear message, and refuses other members (403)', async () => {
      const { browser, threadId, replyId } = await ownThread();
      const other = await member();
      await get(`/p/${replyId}/edit`, other.browser).expect(403);
      await post(`/p/${replyId}/edit`, other.browser, { body: 'not mine', intent: 'save' }).expect(403);
      await get(`/p/${replyId}/delete`, other.browser).expect(403);
      await post(`/p/${replyId}/delete`, other.browser, {}).expect(403);

      await t.db.query(`UPDATE posts SET created_at = now() - interval '2 days' WHERE id = $1`, [replyId]);
      const late = await get(`/p/${replyId}/edit`, browser).expect(403);
      expect(textOf(late.text)).toContain('Posts can be edited for 24 hours; ask a moderator to change it');
      const lateSave = await post(`/p/${replyId}/edit`, browser, { body: 'Too late', intent: 'save' }).expect(403);
      expect(textOf(lateSave.text)).toContain('Posts can be edited for 24 hours');
      const page = await get(`/t/${threadId}`, browser).expect(200);
      expect(page.text).not.toContain(`/p/${replyId}/edit`);
      expect(page.text).toContain(`/p/${replyId}/delete`);
      expect((await t.db.query(`SELECT body FROM posts WHERE id = $1`, [replyId]))[0].body).toBe('A reply of mine');
    });

    it('refuses a silenced member the edit page and the edit (403), and shows her no Edit link', async () => {
      const { user, browser, threadId, replyId } = await ownThread();
      await t.http
        .post(`/api/moderation/users/${user.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'a cooling-off day' })
        .expect(201);
      await get(`/p/${replyId}/edit`, browser).expect(403);
      await post(`/p/${replyId}/edit`, browser, { body: 'silenced', intent: 'save' }).expect(403);
      await post(`/p/${replyId}/delete`, browser, {}).expect(403);
      const page = await get(`/t/${threadId}`, browser).expect(200);
      expect(page.text).not.toContain(`/p/${replyId}/edit`);
      expect((await t.db.query(`SELECT body, status FROM posts WHERE id = $1`, [replyId]))[0]).toEqual({
        body: 'A reply of mine',
        status: 'published',
      });
    });

    it('refuses a suspended member the edit page and the edit (403)', async () => {
      const { user, browser, replyId } = await ownThread();
      await t.http
        .post(`/api/moderation/users/${user.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'suspend', reason: 'a week away', until: new Date(Date.now() + 7 * 86_400_000).toISOString() })
        .expect(201);
      await get(`/p/${replyId}/edit`, browser).expect(403);
      await post(`/p/${replyId}/edit`, browser, { body: 'suspended', intent: 'save' }).expect(403);
      expect((await t.db.query(`SELECT body FROM posts WHERE id = $1`, [replyId]))[0].body).toBe('A reply of mine');
    });

    it('lets her fix a post that waits for review: it stays pending, through the gate again', async () => {
      const { user, browser, threadId, slug } = await ownThread();
      await t.http
        .patch(`/api/categories/${slug}`)
        .set(bearer(admin.accessToken))
        .send({ approval: 'all' })
        .expect(200);
      const held = await reply(t, user, threadId, 'Waiting reply with a typo').expect(202);
      const id = held.body.id as string;
      const form = await get(`/p/${id}/edit`, browser).expect(200);
      expect(textOf(form.text)).toContain('This post is still waiting for a moderator');
      const saved = await post(`/p/${id}/edit`, browser, { body: 'Fixed a typo', intent: 'save' }).expect(303);
      const page = await followRedirect(t, browser, saved).expect(200);
      expect(textOf(page.text)).toContain('The post still waits for a moderator');
      const row = (await t.db.query(`SELECT body, status FROM posts WHERE id = $1`, [id]))[0];
      expect(row).toEqual({ body: 'Fixed a typo', status: 'pending' });
      const queued = await t.db.query(
        `SELECT 1 FROM moderation_items WHERE target_type = 'post' AND target_id = $1 AND status = 'open'`,
        [id],
      );
      expect(queued).toHaveLength(1);
    });

    it('deletes a reply after a confirmation (placeholder), and a thread with its opening post', async () => {
      const { browser, threadId, replyId, firstPostId, slug } = await ownThread();
      const confirm = await get(`/p/${replyId}/delete`, browser).expect(200);
      expect(textOf(confirm.text)).toContain('Delete this post?');
      expect(textOf(confirm.text)).toContain('A reply of mine');
      const done = await post(`/p/${replyId}/delete`, browser, {}).expect(303);
      const page = await followRedirect(t, browser, done).expect(200);
      expect(textOf(page.text)).toContain('This post was deleted.');
      expect(page.text).not.toContain('A reply of mine');
      await get(`/p/${replyId}/edit`, browser).expect(404);

      const confirmThread = await get(`/p/${firstPostId}/delete`, browser).expect(200);
      expect(textOf(confirmThread.text)).toContain('Delete this thread?');
      const gone = await post(`/p/${firstPostId}/delete`, browser, {}).expect(303);
      expect(gone.headers.location).toBe(`/c/${slug}`);
      await get(`/t/${threadId}`).expect(404);
    });

    it('refuses guests (sign in) and forms without the form token', async () => {
      const { browser, replyId } = await ownThread();
      const guest = await get(`/p/${replyId}/edit`);
      expect([302, 303]).toContain(guest.status);
      await post(`/p/${replyId}/edit`, browser, { body: 'no token', intent: 'save' }, false).expect(403);
      await get('/p/not-a-number/edit', browser).expect(404);
      await get('/p/999999999/edit', browser).expect(404);
    });
  });

  describe('a moderator on the thread page', () => {
    it('sees hide, edit and delete on every post; members get 403 for moderator actions', async () => {
      const { browser, threadId, replyId } = await ownThread();
      const page = await get(`/t/${threadId}`, modBrowser).expect(200);
      expect(page.text).toContain(`action="/p/${replyId}/hide"`);
      expect(page.text).toContain(`href="/p/${replyId}/edit"`);
      expect(page.text).toContain(`href="/p/${replyId}/delete"`);
      expect(page.text).toContain(`href="/t/${threadId}/split"`);
      await post(`/p/${replyId}/hide`, browser, { back: `/t/${threadId}` }).expect(403);
      await post(`/p/${replyId}/restore`, browser, {}).expect(403);
      await get(`/t/${threadId}/split`, browser).expect(403);
      await post(`/t/${threadId}/split`, browser, { posts: replyId, title: 'Not allowed', category: 'x' }).expect(403);
    });

    it('hides and restores a post in place, audited', async () => {
      const { browser, threadId, replyId } = await ownThread();
      const hidden = await post(`/p/${replyId}/hide`, modBrowser, { back: `/t/${threadId}` }).expect(303);
      expect(hidden.headers.location).toBe(`/t/${threadId}#post-${replyId}`);
      const asMod = await followRedirect(t, modBrowser, hidden).expect(200);
      expect(textOf(asMod.text)).toContain('The post is hidden from members.');
      expect(asMod.text).toContain(`action="/p/${replyId}/restore"`);
      const asMember = await get(`/t/${threadId}`).expect(200);
      expect(asMember.text).not.toContain('A reply of mine');
      await post(`/p/${replyId}/hide`, modBrowser, {}).expect(409);
      await post(`/p/${replyId}/restore`, modBrowser, { back: `/t/${threadId}` }).expect(303);
      expect((await get(`/t/${threadId}`, browser).expect(200)).text).toContain('A reply of mine');
      await eventually(async () =>
        expect((await auditOf(replyId)).map((a) => a.action)).toEqual(
          expect.arrayContaining(['post.hide', 'post.restore']),
        ),
      );
    });

    it("edits a member's post only with a reason, kept in the revisions and the audit log", async () => {
      const { browser, replyId } = await ownThread();
      const form = await get(`/p/${replyId}/edit`, modBrowser).expect(200);
      expect(form.text).toContain('id="edit-reason"');
      const noReason = await post(`/p/${replyId}/edit`, modBrowser, { body: 'Edited by mod', intent: 'save' });
      expect(noReason.status).toBe(422);
      expect(textOf(noReason.text)).toMatch(/reason is needed/i);
      await post(`/p/${replyId}/edit`, modBrowser, {
        body: 'Edited by mod',
        reason: 'removed a phone number',
        intent: 'save',
      }).expect(303);
      const revisions = await get(`/p/${replyId}/revisions`, browser).expect(200);
      expect(textOf(revisions.text)).toContain('Reason: removed a phone number');
      expect(textOf(revisions.text)).toContain(`by @${mod.username}`);
      await eventually(async () =>
        expect(await auditOf(replyId)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ action: 'post.edit', note: 'removed a phone number', actorId: mod.id }),
          ]),
        ),
      );
    });

    it('deletes a member post after the confirmation, audited', async () => {
      const { threadId, replyId } = await ownThread();
      await get(`/p/${replyId}/delete`, modBrowser).expect(200);
      await post(`/p/${replyId}/delete`, modBrowser, {}).expect(303);
      expect(textOf((await get(`/t/${threadId}`).expect(200)).text)).toContain('This post was deleted.');
      await eventually(async () => expect((await auditOf(replyId)).map((a) => a.action)).toContain('post.delete'));
    });

    it('splits replies into a new thread with its counts, audited; refuses the opening post and an empty choice', async () => {
      const { user, threadId, firstPostId, replyId, slug } = await ownThread();
      const second = await reply(t, user, threadId, 'Second reply to move').expect(201);
      await reply(t, user, threadId, 'A reply that stays').expect(201);
      const { slug: otherSlug } = await createCategory(t, admin, 'none');

      const form = await get(`/t/${threadId}/split`, modBrowser).expect(200);
      expect(form.text).toContain(`value="${replyId}"`);
      expect(form.text).not.toContain(`value="${firstPostId}"`);
      const none = await post(`/t/${threadId}/split`, modBrowser, { title: 'A new thread', category: slug });
      expect(none.status).toBe(422);
      const withFirst = await post(`/t/${threadId}/split`, modBrowser, {
        posts: firstPostId,
        title: 'A new thread',
        category: slug,
      });
      expect(withFirst.status).toBe(422);
      expect(textOf(withFirst.text)).toContain('opening post');

      const res = await t.http
        .post(`/t/${threadId}/split`)
        .set('Cookie', modBrowser.cookie)
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(modBrowser.csrf)}&posts=${replyId}&posts=${second.body.id}` +
            `&title=${encodeURIComponent('Moved: our replies')}&category=${otherSlug}`,
        )
        .expect(303);
      const newId = /\/t\/(\d+)/.exec(String(res.headers.location))![1];
      const moved = await followRedirect(t, modBrowser, res).expect(200);
      expect(moved.text).toContain('<h1>Moved: our replies</h1>');
      expect(moved.text).toContain('Second reply to move');
      // positions: the thread's count of its posts kept by the database (trigger), which numbered pages divide.
      const countsSql = `SELECT t.id, t.reply_count AS "replyCount", c.slug, c.thread_count AS "threads", c.post_count AS "posts",
             t.post_count AS "positions", (SELECT count(*)::int FROM posts p WHERE p.thread_id = t.id) AS "counted"
           FROM threads t JOIN categories c ON c.id = t.category_id WHERE t.id = ANY($1::bigint[]) ORDER BY t.id`;
      expect(await t.db.query(countsSql, [[threadId, newId]])).toEqual([
        { id: threadId, replyCount: 1, slug, threads: 1, posts: 2, positions: 2, counted: 2 },
        { id: newId, replyCount: 1, slug: otherSlug, threads: 1, posts: 2, positions: 2, counted: 2 },
      ]);
      // A post removed from the table (a thread's own deletion cascades so) leaves its thread's count with it.
      await t.db.query(`DELETE FROM posts WHERE id = $1`, [second.body.id]);
      const [after] = (await t.db.query(countsSql, [[newId]])) as Array<{ positions: number; counted: number }>;
      expect(after).toMatchObject({ positions: 1, counted: 1 });
      const old = await get(`/t/${threadId}`).expect(200);
      expect(old.text).not.toContain('Second reply to move');
      expect(old.text).toContain('A reply that stays');
      await eventually(async () => expect((await auditOf(threadId)).map((a) => a.action)).toContain('thread.split'));
    });
  });

  describe('the same actions in the API', () => {
    it('changes a title (author, moderator with a reason), hides, restores and splits (moderators only)', async () => {
      const { user, threadId, replyId, slug } = await ownThread();
      const other = await createUser(t);
      await t.http
        .patch(`/api/threads/${threadId}`)
        .set(bearer(other.accessToken))
        .send({ title: 'Not my thread' })
        .expect(403);
      const mine = await t.http
        .patch(`/api/threads/${threadId}`)
        .set(bearer(user.accessToken))
        .send({ title: 'Scan results, updated' })
        .expect(200);
      expect(mine.body.title).toBe('Scan results, updated');
      await t.http.patch(`/api/threads/${threadId}`).set(bearer(user.accessToken)).send({ title: 'Hi' }).expect(400);
      await t.http
        .patch(`/api/threads/${threadId}`)
        .set(bearer(mod.accessToken))
        .send({ title: 'Scan results (moderated)', reason: 'names a clinic' })
        .expect(200);
      await eventually(async () =>
        expect(await auditOf(threadId)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ action: 'thread.title', note: expect.stringContaining('names a clinic') }),
          ]),
        ),
      );
      await t.http.post(`/api/posts/${replyId}/hide`).set(bearer(user.accessToken)).expect(403);
      await t.http.post(`/api/posts/${replyId}/hide`).set(bearer(mod.accessToken)).expect(204);
      await t.http.post(`/api/posts/${replyId}/restore`).set(bearer(mod.accessToken)).expect(204);
      await t.http.post(`/api/posts/${replyId}/restore`).set(bearer(mod.accessToken)).expect(409);
      const split = { posts: [replyId], title: 'A thread of its own', category: slug };
      await t.http.post(`/api/threads/${threadId}/split`).set(bearer(user.accessToken)).send(split).expect(403);
      const created = await t.http
        .post(`/api/threads/${threadId}/split`)
        .set(bearer(mod.accessToken))
        .send(split)
        .expect(201);
      expect(created.body).toEqual(expect.objectContaining({ title: 'A thread of its own', replyCount: 0 }));
      await t.http.post(`/api/threads/${threadId}/split`).set(bearer(mod.accessToken)).send(split).expect(400);
    });
  });

  describe('anonymous posts', () => {
    it('show moderators who wrote them, marked apart from the name; members and guests never see it', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      await t.db.query(`UPDATE users SET display_name = 'Quiet Quinn', first_approved_at = now() WHERE id = $1`, [
        author.id,
      ]);
      const { threadId } = await createThread(t, author, slug, { title: 'Asked anonymously', anonymous: true });
      const res = await reply(t, author, threadId, 'Anonymous reply', { anonymous: true }).expect(201);
      const asMod = await get(`/t/${threadId}`, modBrowser).expect(200);
      expect(textOf(asMod.text)).toContain(
        `Quiet Quinn posted anonymously as @${author.username}; visible to moderators only`,
      );
      expect(asMod.text).toMatch(new RegExp(`id="post-${res.body.id}-author">Anonymous member</h2>`));
      const category = await get(`/c/${slug}`, modBrowser).expect(200);
      expect(textOf(category.text)).toContain('Quiet Quinn posted anonymously');

      const { browser } = await member();
      for (const page of [
        await get(`/t/${threadId}`),
        await get(`/t/${threadId}`, browser),
        await get(`/c/${slug}`, browser),
      ]) {
        expect(page.text).not.toContain('Quiet Quinn');
        expect(page.text).not.toContain(author.username);
      }
      // The split page names the author as "Anonymous member" too: the name is never there to be copied.
      const split = await get(`/t/${threadId}/split`, modBrowser).expect(200);
      expect(split.text).not.toContain('Quiet Quinn');
    });
  });
});
