import type { TestApp } from './app';
import { ChatClients, createRoom, send } from './factories/chat';
import { createCategory } from './factories/forums';
import { bearer, createUser, solvedCaptcha, type TestUser } from './factories/users';
import { type BrowserSession, csrfFor } from './factories/web';
import { links } from '../src/web/core/links';
import { moderationPageHelpers, startModerationPagesApp } from './support/moderation-pages';
import { readable } from './support/html-text';

/** Moderation pages: who may see and do what, and the queue. */
describe('Moderation pages (web)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let adminB: BrowserSession;
  let modB: BrowserSession;
  let memberB: BrowserSession;
  let slug: string;
  const clients = new ChatClients();

  beforeAll(async () => {
    ({ t, admin, mod, adminB, modB, memberB, slug } = await startModerationPagesApp());
  });
  afterAll(async () => {
    clients.closeAll();
    await t.close();
  });
  const { get, post, flashOf, itemFor, cardOn, reportPost, postOf } = moderationPageHelpers(() => ({ t, mod, slug }));

  describe('who may see and do what', () => {
    const pages = ['/mod', '/mod/sanctions', '/mod/watched-words', '/mod/audit', '/mod/rooms', '/mod/rooms/lobby'];
    const actions = [
      ['/mod/queue/1/resolve', { action: 'dismiss' }],
      ['/mod/sanctions', { username: 'someone', kind: 'silence', reason: 'because', duration: '' }],
      ['/mod/sanctions/someone/1/lift', {}],
      ['/mod/watched-words', { pattern: 'never', action: 'flag' }],
      ['/mod/watched-words/1/remove', {}],
      ['/mod/rooms', { slug: 'never-made', name: 'Never made', kind: 'open' }],
      ['/mod/rooms/lobby', { name: 'Renamed lobby' }],
    ] as const;

    it.each(pages)('sends a guest from %s to sign in, and back afterwards', async (path) => {
      const res = await get(undefined, path).expect(303);
      expect(res.headers.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    });

    it.each(pages)('shows a member a 403 page at %s, kept out of search engines', async (path) => {
      const res = await get(memberB, path).expect(403);
      expect(res.text).toContain('<h1>Not allowed</h1>');
      expect(res.text).toContain('<meta name="robots" content="noindex">');
      expect(res.text).not.toContain('mod-subnav');
    });

    it('lets moderators in (noindex, with the sub-navigation) but keeps watched words to admins, as on the API', async () => {
      for (const path of pages.filter((p) => p !== '/mod/watched-words')) {
        const res = await get(modB, path).expect(200);
        expect(res.text).toContain('<meta name="robots" content="noindex">');
        expect(res.text).toContain('<nav class="mod-subnav" aria-label="Moderation">');
        expect(res.text).not.toContain('href="/mod/watched-words"');
      }
      expect((await get(modB, '/mod/watched-words').expect(403)).text).toContain('Only an admin may see this page');
      const asAdmin = await get(adminB, '/mod/watched-words').expect(200);
      expect(asAdmin.text).toContain('<a href="/mod/watched-words" aria-current="page">Watched words</a>');
      await post(modB, '/mod/watched-words', { pattern: 'sneaky', action: 'flag' }).expect(403);
      await post(modB, '/mod/watched-words/1/remove').expect(403);
    });

    it('marks the current page in the sub-navigation', async () => {
      const cases = [
        ['/mod', 'Queue'],
        ['/mod/sanctions', 'Sanctions'],
        ['/mod/audit', 'Audit log'],
        ['/mod/rooms', 'Chat rooms'],
      ];
      for (const [path, label] of cases) {
        const res = await get(modB, path).expect(200);
        expect(res.text).toContain(`<a href="${path}" aria-current="page">${label}</a>`);
        expect(res.text.match(/mod-subnav[\s\S]*?<\/nav>/)![0].match(/aria-current/g)).toHaveLength(1);
      }
    });

    it.each(actions)('refuses %s to members (403) and to anyone without the form token (403)', async (path, form) => {
      await post(memberB, path, form).expect(403);
      const noToken = await post(modB, path, form, false).expect(403);
      expect(noToken.text).toContain('please go back, reload it and send again');
      await post(undefined, path, form).expect(403);
      // A guest with a token of their own is asked to sign in, not let through.
      const visitor = await get(undefined, '/signin').expect(200);
      const cookie = ([] as string[]).concat(visitor.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      await post({ cookie, csrf: await csrfFor(t, cookie, '/signin') }, path, form).expect(401);
    });
  });

  describe('the queue', () => {
    it('shows a reported anonymous reply: what, where, its real author marked anonymous, why, and what can be done', async () => {
      const author = await createUser(t);
      const [r1, r2] = await Promise.all([createUser(t), createUser(t)]);
      const { threadId, postId } = await postOf(author, 'Stop chemo, this **tea** cures everything', true);
      await reportPost(r1, postId, 'misinformation', 'Claims a cure <script>alert(1)</script>');
      await reportPost(r2, postId, 'spam');
      const item = await itemFor('post', postId);
      const card = await cardOn(modB, item.id, '/mod?type=post');
      expect(card).toContain('Forum reply');
      expect(card).toContain(`href="${links.post(threadId, postId)}"`);
      expect(readable(card)).toContain('Reply in “Scan day nerves”');
      expect(card).toContain(`(@${author.username})`);
      expect(card).toContain('Posted anonymously');
      expect(card).toContain('Reported 2 times');
      expect(card).toContain('Misinformation, by @');
      expect(card).toContain('Claims a cure &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(card).not.toContain('<script>');
      expect(card).toContain('<strong>tea</strong>'); // the sanitised HTML the backend stored
      expect(card).toMatch(/<button type="submit" name="action" value="dismiss">Keep \(dismiss reports\)<\/button>/);
      expect(card).toContain('value="hide"');
      expect(card).toContain('value="delete"');
      expect(card).not.toContain('value="approve"');
      expect(card).toContain(`href="/mod/sanctions?user=${author.username}"`);

      const page = await get(modB, '/mod').expect(200);
      expect(page.text).toMatch(/<strong>\d+ waiting<\/strong>/);
      expect(page.text).toMatch(/reported by members: .*misinformation \d+/);
    });

    it('approves a held post in one click, redirecting back with a flash; the post is published', async () => {
      const newcomer = await createUser(t);
      const held = await createCategory(t, admin, 'new_members');
      const res = await t.http
        .post(`/api/categories/${held.slug}/threads`)
        .set(bearer(newcomer.accessToken))
        .send({ title: 'Hello from a newcomer', body: 'My first post here' })
        .expect(202);
      const threadId = res.body.thread.id as string;
      const item = await itemFor('thread', threadId);
      const card = await cardOn(modB, item.id, '/mod?type=thread');
      expect(card).toContain('<span class="mod-tag">Held</span>');
      expect(card).toContain('Held for approval:</strong> new member: first posts wait for a moderator');
      expect(card).toContain('new member, nothing approved yet');
      for (const action of ['approve', 'reject', 'delete']) expect(card).toContain(`value="${action}"`);
      expect(card).not.toContain('value="dismiss"');

      // without the form token nothing happens
      await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'approve' }, false).expect(403);
      await t.http.get(`/api/threads/${threadId}`).expect(404);

      const done = await post(modB, `/mod/queue/${item.id}/resolve`, {
        action: 'approve',
        note: 'welcome',
        back: '/mod?type=thread',
      }).expect(303);
      expect(done.headers.location).toBe('/mod?type=thread');
      expect(flashOf(done)).toBe('Approved: it is published now.');
      await t.http.get(`/api/threads/${threadId}`).expect(200);
      expect((await itemFor('thread', threadId, 'resolved')).id).toBe(item.id);
      const resolved = await cardOn(modB, item.id, '/mod?status=resolved&type=thread');
      expect(resolved).toContain('<strong>Approved</strong>');
      expect(resolved).toContain(': welcome');
      expect(resolved).not.toContain('<form');
    });

    it('keeps the typed note when the note is refused (422), and says so when someone else resolved it first (409)', async () => {
      const author = await createUser(t);
      const reporter = await createUser(t);
      const { postId } = await postOf(author, 'A reply someone dislikes');
      await reportPost(reporter, postId, 'abuse');
      const item = await itemFor('post', postId);
      const long = `Too long ${'x'.repeat(1000)}`;
      const refused = await post(modB, `/mod/queue/${item.id}/resolve`, {
        action: 'hide',
        note: long,
        back: '/mod?type=post',
      }).expect(422);
      expect(refused.text).toContain(`id="item-${item.id}-error"`);
      expect(refused.text).toContain('Note must be 0-1000 characters');
      expect(refused.text).toContain(`value="${long}"`);
      expect((await itemFor('post', postId)).id).toBe(item.id);

      const bad = await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'obliterate' }).expect(422);
      expect(bad.text).toContain('Action must be one of approve, reject, hide, restore, delete, dismiss');

      await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'hide' }).expect(303);
      const again = await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'delete' }).expect(409);
      expect(again.text).toContain('This item was already resolved');
    });

    it('shows a refused card with its typed note even when newer items pushed it off the first page', async () => {
      const author = await createUser(t);
      const reporter = await createUser(t);
      const { postId } = await postOf(author, 'A reply reported first');
      await reportPost(reporter, postId, 'spam');
      const item = await itemFor('post', postId);
      // Items reported by more members come first (two reports each, under the auto-hide threshold): 21 of them push this one past the first page of 20.
      const others = await Promise.all(Array.from({ length: 1 }, () => createUser(t)));
      for (let i = 0; i < 21; i++) {
        const { postId: other } = await postOf(author, `Another reported reply ${i}`);
        for (const r of [reporter, ...others]) await reportPost(r, other, 'spam');
      }
      const long = `Too long ${'y'.repeat(1000)}`;
      const refused = await post(modB, `/mod/queue/${item.id}/resolve`, {
        action: 'hide',
        note: long,
        back: '/mod?type=post',
      }).expect(422);
      expect(refused.text).toContain(`id="item-${item.id}-error"`);
      expect(refused.text).toContain(`value="${long}"`);
    });

    it('shows watched-word rules: numbers for moderators, links to the rule for admins', async () => {
      const word = `tisane${Date.now().toString(36)}`;
      const added = await post(adminB, '/mod/watched-words', { pattern: word, action: 'flag' }).expect(303);
      expect(flashOf(added)).toBe(`Added “${word}” (flag).`);
      const author = await createUser(t);
      const { postId } = await postOf(author, `Try my ${word} blend`);
      const item = await itemFor('post', postId);
      const asMod = await cardOn(modB, item.id, '/mod?type=post');
      expect(asMod).toMatch(/Watched word:<\/strong> watched word \(flag\): rule #\d+/);
      expect(asMod).not.toContain('href="/mod/watched-words#word-');
      expect(asMod).toContain('Keep (looks fine)');
      const asAdmin = await cardOn(adminB, item.id, '/mod?type=post');
      expect(asAdmin).toMatch(/href="\/mod\/watched-words#word-\d+">see rule #\d+<\/a>/);
    });

    it('takes chat messages too, linking to their room', async () => {
      const room = await createRoom(t, mod);
      const author = await createUser(t);
      const reporter = await createUser(t);
      const { socket } = await clients.joined(t, author, room.slug);
      const { message: sent } = await send(socket, room.slug, 'a chat message to report');
      await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'chat_message', targetId: sent.id, reason: 'self_harm', note: 'please check on them' })
        .expect(201);
      const item = await itemFor('chat_message', sent.id);
      const card = await cardOn(modB, item.id, '/mod?type=chat_message');
      expect(card).toContain('Chat message');
      expect(card).toContain('<span class="mod-tag mod-tag-crisis">Crisis</span>');
      expect(card).toContain(`href="/chat/${room.slug}"`);
      expect(card).toContain('Self-harm or crisis, by @');
      expect(card).toContain('a chat message to report');
    });

    it("shows a guest's held comment with its spam signals and the name the guest gave", async () => {
      const res = await t.http
        .post('/api/pages/breast-cancer-stage-four/comments')
        .send({
          body: 'Great article! Visit https://a.example https://b.example https://c.example https://d.example',
          authorName: 'Helpful Harry',
          acceptTerms: true,
          website: 'https://spam.example',
          captcha: await solvedCaptcha(t.http),
        })
        .expect(202);
      const commentId = (res.body.id ?? res.body.comment?.id) as string;
      const item = await itemFor('comment', commentId);
      const card = await cardOn(modB, item.id, '/mod?type=comment');
      expect(card).toContain('Article comment');
      expect(card).toContain(`href="/articles/breast-cancer-stage-four#comment-${commentId}"`);
      expect(readable(card)).toContain('Comment on “Breast Cancer Stage Four”');
      expect(readable(card)).toContain('By a guest who gave the name “Helpful Harry”');
      expect(card).toContain('Held for approval:</strong> guest comment');
      expect(card).toContain('Spam signal:</strong> the hidden form field was filled in');
      expect(card).toMatch(/Spam signal:<\/strong> \d+ links/);
      expect(card).toContain('value="approve"');
      expect(card).not.toContain('/mod/sanctions?user=');
    });

    it('shows a reported member with their profile, only a Keep, and a link to sanction them', async () => {
      const reported = await createUser(t);
      const reporter = await createUser(t);
      await t.http
        .patch('/api/me')
        .set(bearer(reported.accessToken))
        .send({ bio: 'DM me for *cheap* meds' })
        .expect(200);
      await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'user', targetId: reported.username, reason: 'spam', note: 'selling pills' })
        .expect(201);
      const item = await itemFor('user', reported.id);
      const card = await cardOn(modB, item.id, '/mod?type=user');
      expect(card).toContain('Member profile');
      expect(card).toContain(`Profile of @${reported.username}`);
      expect(card).toContain('DM me for *cheap* meds');
      expect(card.match(/name="action"/g)).toHaveLength(1);
      expect(card).toContain('value="dismiss">Keep (dismiss reports)');
      expect(card).toContain(`href="/mod/sanctions?user=${reported.username}"`);
    });

    it('refuses a cursor it did not give out', async () => {
      await get(modB, '/mod?cursor=not-a-cursor').expect(400);
      await get(modB, '/mod?type=poem').expect(400);
    });
  });
});
