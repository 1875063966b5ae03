import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './app';
import { trust } from './factories/forums';
import { bearer, createUser, solvedCaptcha, type TestUser } from './factories/users';
import { type BrowserSession, powPayload, signInBrowser, visitorSession } from './factories/web';
import { advanceClock } from './support/clock';
import { eventually } from './support/eventually';
import { readable } from './support/html-text';

const flashOf = (res: Response) => {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
  const flash = cookies.find((c) => c.startsWith('haven_flash='));
  return flash ? decodeURIComponent(flash.split(';')[0].slice('haven_flash='.length)) : undefined;
};

/** Article comments edited and deleted in the pages, moderators' tools in place, and the guest timing signal. */
describe('Comment edit pages (web)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let author: TestUser;
  let other: TestUser;
  let modB: BrowserSession;
  let authorB: BrowserSession;
  let otherB: BrowserSession;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, mod, author, other] = await Promise.all([
      createUser(t, { role: 'admin' }),
      createUser(t, { role: 'moderator' }),
      createUser(t),
      createUser(t),
    ]);
    await Promise.all([trust(t, author), trust(t, other)]);
    [modB, authorB, otherB] = await Promise.all([mod, author, other].map((u) => signInBrowser(t, u)));
  });
  afterAll(() => t.close());

  const get = (who: BrowserSession | undefined, path: string) => {
    const req = t.http.get(path);
    return who ? req.set('Cookie', who.cookie) : req;
  };
  const post = (who: BrowserSession | undefined, path: string, form: Record<string, string> = {}) => {
    const req = t.http.post(path).type('form');
    if (who) void req.set('Cookie', who.cookie);
    return req.send({ ...form, ...(who ? { _csrf: who.csrf } : {}) });
  };

  async function ownPage(): Promise<string> {
    const key = `page-${randomBytes(5).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'Living with scans', url: `https://example.org/${key}` })
      .expect(201);
    return key;
  }

  async function memberComment(key: string, who: TestUser, body: string, parentId?: string): Promise<string> {
    const res = await t.http
      .post(`/api/pages/${key}/comments`)
      .set(bearer(who.accessToken))
      .send({ body, ...(parentId ? { parentId } : {}) })
      .expect(201);
    return res.body.id as string;
  }

  async function guestComment(key: string, body: string): Promise<string> {
    const captcha = await solvedCaptcha(t.http);
    advanceClock(t, 3);
    const res = await t.http
      .post(`/api/pages/${key}/comments`)
      .send({ body, authorName: 'Rosa', acceptTerms: true, captcha })
      .expect(202);
    return res.body.id as string;
  }

  async function queueReasons(commentId: string): Promise<string[]> {
    const q = await t.http.get('/api/moderation/queue?type=comment&limit=100').set(bearer(mod.accessToken)).expect(200);
    const item = (q.body.items as Array<{ targetId: string; reasons: string[] }>).find((i) => i.targetId === commentId);
    if (!item) throw new Error(`comment ${commentId} is not in the queue`);
    return item.reasons;
  }

  async function audit(targetId: string): Promise<Array<{ action: string; note: string | null }>> {
    const res = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(mod.accessToken)).expect(200);
    return (res.body.items as Array<{ action: string; targetType: string; targetId: string; note: string | null }>)
      .filter((e) => e.targetType === 'comment' && e.targetId === targetId)
      .map(({ action, note }) => ({ action, note }));
  }

  describe('a member and her own comment', () => {
    it('edits it within the window, with a preview; "edited" opens the earlier version', async () => {
      const key = await ownPage();
      const id = await memberComment(key, author, 'My first words');
      const base = `/articles/${key}/comments/${id}`;

      const page = await get(authorB, `/articles/${key}`).expect(200);
      expect(page.text).toContain(`href="${base}/edit"`);
      expect(page.text).toContain(`href="${base}/delete"`);
      expect(page.text).not.toContain(`${base}/hide`);

      const form = await get(authorB, `${base}/edit`).expect(200);
      expect(form.text).toContain('<h1>Edit your comment</h1>');
      expect(form.text).toContain('>My first words</textarea>');
      expect(form.text).not.toContain('name="reason"');

      const preview = await post(authorB, `${base}/edit`, { body: 'My **better** words', intent: 'preview' }).expect(
        200,
      );
      expect(preview.text).toContain('<h2 id="preview-heading">Preview</h2>');
      expect(preview.text).toContain('<strong>better</strong>');
      expect(preview.text).toContain('>My **better** words</textarea>');
      expect((await t.http.get(`/api/pages/${key}/comments`).expect(200)).body.items[0].body).toBe('My first words');

      const saved = await post(authorB, `${base}/edit`, { body: 'My **better** words' }).expect(303);
      expect(saved.headers.location).toBe(`/articles/${key}#comment-${id}`);
      expect(flashOf(saved)).toBe('The comment is changed.');

      const after = await get(authorB, `/articles/${key}`).expect(200);
      expect(after.text).toContain('<strong>better</strong>');
      expect(after.text).toContain(`<a href="${base}/revisions">edited`);
      const guestView = await get(undefined, `/articles/${key}`).expect(200);
      expect(readable(guestView.text)).toContain('· edited');
      expect(guestView.text).not.toContain(`${base}/revisions`);

      const revisions = await get(authorB, `${base}/revisions`).expect(200);
      expect(revisions.text).toContain('<h1>Earlier versions of a comment</h1>');
      expect(revisions.text).toContain('<p>My first words</p>');
      expect(revisions.text).toContain(`by @${author.username}`);
      expect((await get(modB, `${base}/revisions`).expect(200)).text).toContain('<p>My first words</p>');
      const api = await t.http.get(`/api/comments/${id}/revisions`).set(bearer(author.accessToken)).expect(200);
      expect(api.body).toEqual([expect.objectContaining({ body: 'My first words', reason: null })]);
    });

    it('fixes a comment that is still waiting for review; it keeps waiting, with the fixed text', async () => {
      const key = await ownPage();
      const newcomer = await createUser(t);
      const browser = await signInBrowser(t, newcomer);
      const res = await t.http
        .post(`/api/pages/${key}/comments`)
        .set(bearer(newcomer.accessToken))
        .send({ body: 'Frist words' })
        .expect(202);
      const id = res.body.id as string;
      const page = await get(browser, `/articles/${key}`).expect(200);
      expect(page.text).toContain('Waiting for a moderator');
      expect(page.text).toContain(`href="/articles/${key}/comments/${id}/edit"`);
      const saved = await post(browser, `/articles/${key}/comments/${id}/edit`, { body: 'First words' }).expect(303);
      expect(flashOf(saved)).toBe('The comment is changed. It will appear here once a moderator has read it.');
      const after = await get(browser, `/articles/${key}`).expect(200);
      expect(after.text).toContain('<p>First words</p>');
      expect(after.text).toContain('Waiting for a moderator');
      expect((await get(undefined, `/articles/${key}`).expect(200)).text).not.toContain('First words');
    });

    it('shows the form again with a refusal for an empty text, keeping nothing lost', async () => {
      const key = await ownPage();
      const id = await memberComment(key, author, 'Keep me');
      const res = await post(authorB, `/articles/${key}/comments/${id}/edit`, { body: '' }).expect(422);
      expect(res.text).toContain('id="form-problem"');
      expect(res.text).toContain('Your comment must be 1-5000 characters');
    });

    it('offers no edit after the window and refuses it; deleting stays possible', async () => {
      const key = await ownPage();
      const id = await memberComment(key, author, 'Old words');
      // Written 16 minutes ago (moving the app's clock would close the window for every later comment too).
      await t.db.query(`UPDATE comments SET created_at = created_at - interval '16 minutes' WHERE id = $1`, [id]);
      const page = await get(authorB, `/articles/${key}`).expect(200);
      expect(page.text).not.toContain(`/comments/${id}/edit"`);
      expect(page.text).toContain(`/comments/${id}/delete"`);
      const res = await get(authorB, `/articles/${key}/comments/${id}/edit`).expect(403);
      expect(res.text).toContain('Comments can be edited for 15 minutes');
      await post(authorB, `/articles/${key}/comments/${id}/edit`, { body: 'Late' }).expect(403);
    });

    it('deletes it after a confirmation: a placeholder keeps the replies in place', async () => {
      const key = await ownPage();
      const id = await memberComment(key, author, 'Soon gone');
      await memberComment(key, other, 'A reply that stays', id);
      const confirm = await get(authorB, `/articles/${key}/comments/${id}/delete`).expect(200);
      expect(confirm.text).toContain('<h1>Delete your comment?</h1>');
      expect(confirm.text).toContain('<p>Soon gone</p>');
      await post(authorB, `/articles/${key}/comments/${id}/edit`, { body: 'Soon gone, for good' }).expect(303);
      const done = await post(authorB, `/articles/${key}/comments/${id}/delete`).expect(303);
      expect(done.headers.location).toBe(`/articles/${key}#comment-${id}`);
      expect(flashOf(done)).toBe('The comment is deleted. Replies to it stay in place.');
      const page = await get(undefined, `/articles/${key}`).expect(200);
      expect(page.text).toContain('This comment was deleted.');
      expect(page.text).not.toContain('Soon gone');
      expect(page.text).toContain('A reply that stays');
      await get(authorB, `/articles/${key}/comments/${id}/edit`).expect(404);
      expect(page.text).not.toContain(`/comments/${id}/revisions`);
      await get(authorB, `/articles/${key}/comments/${id}/revisions`).expect(403);
      // Deleted text is served to nobody (the content policy): not its earlier versions either.
      await get(modB, `/articles/${key}/comments/${id}/revisions`).expect(403);
    });

    it('refuses other members, guests, a silenced author and a comment reached under another article', async () => {
      const key = await ownPage();
      const id = await memberComment(key, author, 'Mine alone');
      const base = `/articles/${key}/comments/${id}`;
      const page = await get(otherB, `/articles/${key}`).expect(200);
      expect(page.text).not.toContain(`${base}/edit`);
      expect(page.text).not.toContain(`${base}/delete`);

      expect((await get(otherB, `${base}/edit`).expect(403)).text).toContain(
        'Only the author or a moderator may edit this comment',
      );
      await post(otherB, `${base}/edit`, { body: 'Hijacked' }).expect(403);
      await get(otherB, `${base}/delete`).expect(403);
      await post(otherB, `${base}/delete`).expect(403);
      await get(otherB, `${base}/revisions`).expect(403);
      await t.http.get(`/api/comments/${id}/revisions`).set(bearer(other.accessToken)).expect(403);
      await t.http.get(`/api/comments/${id}/revisions`).expect(401);
      await post(otherB, `${base}/hide`).expect(403);
      await post(authorB, `${base}/hide`).expect(403);

      const guest = await visitorSession(t, `/articles/${key}`);
      const toSignIn = await get(guest, `${base}/edit`).expect(303);
      expect(toSignIn.headers.location).toBe(`/signin?next=${encodeURIComponent(`${base}/edit`)}`);
      await post(guest, `${base}/edit`, { body: 'Guest try' }).expect(401);
      await post(guest, `${base}/hide`).expect(401);
      await post(guest, `${base}/delete`).expect(401);
      await get(guest, `${base}/revisions`).expect(303);

      const elsewhere = await ownPage();
      await get(authorB, `/articles/${elsewhere}/comments/${id}/edit`).expect(404);
      await post(authorB, `/articles/${elsewhere}/comments/${id}/delete`).expect(404);
      await get(authorB, `/articles/${key}/comments/abc/edit`).expect(404);

      await t.http
        .post(`/api/moderation/users/${author.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'a short pause' })
        .expect(201);
      try {
        await post(authorB, `${base}/edit`, { body: 'While silenced' }).expect(403);
        await post(authorB, `${base}/delete`).expect(403);
      } finally {
        const list = await t.http
          .get(`/api/moderation/users/${author.username}/sanctions`)
          .set(bearer(mod.accessToken))
          .expect(200);
        for (const s of list.body as Array<{ id: string; liftedAt: string | null }>) {
          if (!s.liftedAt)
            await t.http
              .delete(`/api/moderation/users/${author.username}/sanctions/${s.id}`)
              .set(bearer(mod.accessToken))
              .expect(200);
        }
      }
      const body = (await t.http.get(`/api/pages/${key}/comments`).expect(200)).body.items[0].body;
      expect(body).toBe('Mine alone');
    });
  });

  describe('a moderator on the article page', () => {
    it("edits a guest's comment only with a reason, kept in the revisions and the audit log", async () => {
      const key = await ownPage();
      const id = await guestComment(key, 'Call me on 555 0100');
      await t.http
        .post(`/api/moderation/queue/${await queueItemId(id)}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'approve' })
        .expect(200);
      const base = `/articles/${key}/comments/${id}`;
      const page = await get(modB, `/articles/${key}`).expect(200);
      expect(page.text).toContain(`href="${base}/edit"`);
      expect(page.text).toContain(`action="${base}/hide"`);

      const form = await get(modB, `${base}/edit`).expect(200);
      expect(form.text).toContain('<h1>Edit a comment</h1>');
      expect(form.text).toContain('written by Rosa (guest)');
      expect(form.text).toContain('name="reason"');

      const missing = await post(modB, `${base}/edit`, { body: 'Call me (number removed)' }).expect(422);
      expect(missing.text).toContain('The reason is required');
      expect(missing.text).toContain('>Call me (number removed)</textarea>');

      await post(modB, `${base}/edit`, { body: 'Call me (number removed)', reason: 'removed a phone number' }).expect(
        303,
      );
      const revisions = await get(modB, `${base}/revisions`).expect(200);
      expect(revisions.text).toContain('<p>Call me on 555 0100</p>');
      expect(revisions.text).toContain(`by @${mod.username}. Reason: removed a phone number`);
      await eventually(async () =>
        expect(await audit(id)).toContainEqual({ action: 'comment.edit', note: 'removed a phone number' }),
      );
      expect((await get(undefined, `/articles/${key}`).expect(200)).text).toContain('Call me (number removed)');
    });

    it('hides and restores a comment: members see a placeholder, the moderator the text; both are audited', async () => {
      const key = await ownPage();
      const id = await memberComment(key, author, 'Something to look at');
      const base = `/articles/${key}/comments/${id}`;
      const hidden = await post(modB, `${base}/hide`).expect(303);
      expect(flashOf(hidden)).toBe('The comment is hidden. Members see a placeholder.');

      const forGuest = await get(undefined, `/articles/${key}`).expect(200);
      expect(forGuest.text).toContain('This comment is hidden while moderators look at it.');
      expect(forGuest.text).not.toContain('Something to look at');
      const forAuthor = await get(authorB, `/articles/${key}`).expect(200);
      expect(forAuthor.text).not.toContain('Something to look at');
      const forMod = await get(modB, `/articles/${key}`).expect(200);
      expect(forMod.text).toContain('Something to look at');
      expect(forMod.text).toContain('Hidden from members');
      expect(forMod.text).toContain(`action="${base}/restore"`);

      expect((await post(modB, `${base}/hide`).expect(409)).text).toContain('Only a published comment can be hidden');
      await post(otherB, `${base}/restore`).expect(403);
      await post(modB, `${base}/restore`).expect(303);
      expect((await get(undefined, `/articles/${key}`).expect(200)).text).toContain('Something to look at');
      await eventually(async () =>
        expect((await audit(id)).map((e) => e.action)).toEqual(
          expect.arrayContaining(['comment.hide', 'comment.restore']),
        ),
      );
    });

    it("deletes a member's comment with a reason for the audit log", async () => {
      const key = await ownPage();
      const id = await memberComment(key, author, 'Buy my miracle cure');
      const confirm = await get(modB, `/articles/${key}/comments/${id}/delete`).expect(200);
      expect(confirm.text).toContain('<h1>Delete this comment?</h1>');
      expect(confirm.text).toContain('name="reason"');
      await post(modB, `/articles/${key}/comments/${id}/delete`, { reason: 'selling a cure' }).expect(303);
      expect((await get(undefined, `/articles/${key}`).expect(200)).text).toContain('This comment was deleted.');
      await eventually(async () =>
        expect(await audit(id)).toContainEqual({ action: 'comment.delete', note: 'selling a cure' }),
      );
    });
  });

  describe('the guest timing signal', () => {
    const stampOf = (html: string) => /name="shownAt" value="([^"]+)"/.exec(html)?.[1] ?? '';

    async function guestPost(key: string, v: BrowserSession, shownAt: string, body: string): Promise<string> {
      const res = await post(v, `/articles/${key}/comments`, {
        body,
        authorName: 'Nadia',
        acceptTerms: 'on',
        captchaKind: 'pow',
        altcha: await powPayload(t),
        shownAt,
      }).expect(303);
      expect(res.headers.location).toBe(`/articles/${key}#comment-thanks`);
      const list = await t.http.get('/api/moderation/queue?type=comment&limit=100').set(bearer(mod.accessToken));
      const item = (list.body.items as Array<{ targetId: string; excerpt?: string; body?: string }>).find((i) =>
        JSON.stringify(i).includes(body),
      );
      if (!item) throw new Error('the guest comment is not in the queue');
      return item.targetId;
    }

    it('does not flag a person who ticks the captcha and posts at once, long after the form was shown', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const page = await get(v, `/articles/${key}`).expect(200);
      const stamp = stampOf(page.text);
      expect(stamp).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
      advanceClock(t, 20); // reading and writing; the captcha is ticked (its challenge fetched) just before Post
      const id = await guestPost(key, v, stamp, `Thoughtful words ${randomBytes(3).toString('hex')}`);
      expect((await queueReasons(id)).join(' ')).not.toMatch(/sent within/);
    });

    it('flags a bot that posts within a second of the page, and a forged stamp falls back to the captcha', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const stamp = stampOf((await get(v, `/articles/${key}`).expect(200)).text);
      const fast = await guestPost(key, v, stamp, `Fast words ${randomBytes(3).toString('hex')}`);
      expect((await queueReasons(fast)).join(' ')).toMatch(/sent within 3 s of its form being shown/);

      const [at] = stamp.split('.');
      const forged = `${Number(at) - 60_000}.${'A'.repeat(43)}`;
      const id = await guestPost(key, v, forged, `Forged words ${randomBytes(3).toString('hex')}`);
      expect((await queueReasons(id)).join(' ')).toMatch(/sent within/);
    });

    it('keeps the first stamp when the form is shown again after a refusal', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const stamp = stampOf((await get(v, `/articles/${key}`).expect(200)).text);
      advanceClock(t, 5);
      const refused = await post(v, `/articles/${key}/comments`, { body: 'No name given', shownAt: stamp }).expect(422);
      expect(stampOf(refused.text)).toBe(stamp);
      const id = await guestPost(key, v, stampOf(refused.text), `Second try ${randomBytes(3).toString('hex')}`);
      expect((await queueReasons(id)).join(' ')).not.toMatch(/sent within/);
    });
  });

  describe('sanctions from a profile', () => {
    it('lets a moderator silence a member from her profile: audited, in force, shown on the profile', async () => {
      const target = await createUser(t);
      const page = await get(modB, `/u/${target.username}`).expect(200);
      expect(page.text).toContain('<h2 id="sanctions-heading">Moderation</h2>');
      expect(page.text).toContain(`action="/u/${target.username}/sanctions"`);
      expect(page.text).toContain('has no sanction in force');

      const done = await post(modB, `/u/${target.username}/sanctions`, {
        kind: 'silence',
        duration: '1d',
        reason: 'Please take a day away from the threads',
      }).expect(303);
      expect(done.headers.location).toBe(`/u/${target.username}#sanctions`);
      expect(flashOf(done)).toMatch(new RegExp(`^Silenced @${target.username} until .* UTC\\.$`));
      const after = await get(modB, `/u/${target.username}`).expect(200);
      expect(after.text).toContain('In force now:');
      expect(after.text).toContain('Please take a day away from the threads');

      const log = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(mod.accessToken)).expect(200);
      expect(log.body.items).toContainEqual(
        expect.objectContaining({ action: 'sanction.silence', targetType: 'user', targetId: target.username }),
      );
      const me = await signInBrowser(t, target);
      const refused = await post(me, `/articles/breast-cancer-stage-four/comments`, { body: 'Hello' }).expect(403);
      expect(refused.text).toContain('You are silenced');
    });

    it('suspends and bans with the duration rules, and keeps what was typed when refused', async () => {
      const target = await createUser(t);
      const noEnd = await post(modB, `/u/${target.username}/sanctions`, {
        kind: 'suspend',
        duration: '',
        reason: 'Repeated abuse',
      }).expect(422);
      expect(noEnd.text).toContain('A suspension needs a duration');
      expect(noEnd.text).toContain('>Repeated abuse</textarea>');
      const short = await post(modB, `/u/${target.username}/sanctions`, {
        kind: 'ban',
        duration: '',
        reason: 'no',
      }).expect(422);
      expect(short.text).toMatch(/reason must be 3-500 characters/i);
      const suspended = await post(modB, `/u/${target.username}/sanctions`, {
        kind: 'suspend',
        duration: '7d',
        reason: 'Repeated abuse',
      }).expect(303);
      expect(flashOf(suspended)).toMatch(new RegExp(`^Suspended @${target.username} until`));
      const banned = await createUser(t);
      const ban = await post(modB, `/u/${banned.username}/sanctions`, {
        kind: 'ban',
        duration: '',
        reason: 'Spam account',
      }).expect(303);
      expect(flashOf(ban)).toBe(`Banned @${banned.username}.`);
    });

    it('shows members and guests no controls, and refuses them; a moderator cannot sanction an admin or himself', async () => {
      const target = await createUser(t);
      for (const who of [otherB, undefined]) {
        const page = await get(who, `/u/${target.username}`).expect(200);
        expect(page.text).not.toContain('sanctions-heading');
        expect(page.text).not.toContain('/sanctions"');
      }
      const form = { kind: 'ban', duration: '', reason: 'Not allowed' };
      expect((await post(otherB, `/u/${target.username}/sanctions`, form).expect(403)).text).toContain(
        'Only a moderator may see this page',
      );
      const guest = await visitorSession(t, `/articles/breast-cancer-stage-four`);
      await post(guest, `/u/${target.username}/sanctions`, form).expect(401);

      const own = await get(modB, `/u/${mod.username}`).expect(200);
      expect(own.text).not.toContain('sanctions-heading');
      const onAdmin = await get(modB, `/u/${admin.username}`).expect(200);
      expect(onAdmin.text).toContain('nobody can sanction an admin or themselves');
      expect(onAdmin.text).not.toContain(`action="/u/${admin.username}/sanctions"`);
      expect((await post(modB, `/u/${admin.username}/sanctions`, form).expect(403)).text).toContain(
        'A moderator cannot sanction a admin',
      );
      await post(modB, `/u/${mod.username}/sanctions`, form).expect(403);
      const list = await t.http
        .get(`/api/moderation/users/${target.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .expect(200);
      expect(list.body).toEqual([]);
      await post(modB, `/u/nobody_here_${randomBytes(3).toString('hex')}/sanctions`, form).expect(404);
    });
  });

  async function queueItemId(commentId: string): Promise<string> {
    const q = await t.http.get('/api/moderation/queue?type=comment&limit=100').set(bearer(mod.accessToken)).expect(200);
    const item = (q.body.items as Array<{ id: string; targetId: string }>).find((i) => i.targetId === commentId);
    if (!item) throw new Error(`comment ${commentId} is not in the queue`);
    return item.id;
  }
});
