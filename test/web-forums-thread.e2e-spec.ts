import { randomBytes } from 'node:crypto';
import type { TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, followRedirect, guestBrowser } from './factories/web';
import { forumPageHelpers, scriptCount, startForumPagesApp, textOf } from './support/forum-pages';

/** Forum pages: reading and replying to a thread. */
describe('Forum pages (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let modBrowser: BrowserSession;

  beforeAll(async () => {
    ({ t, admin, mod, modBrowser } = await startForumPagesApp());
  });
  afterAll(() => t.close());
  const { get, post, member } = forumPageHelpers(() => t);

  describe('a thread', () => {
    it('reads for guests without JavaScript: posts, counts of reactions, no forms but sign-in links', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId, postId } = await createThread(t, author, slug, {
        title: 'Living with bone mets',
        body: 'Some *days* are easier.',
      });
      const fan = await createUser(t);
      await t.http.put(`/api/posts/${postId}/reactions/hug`).set(bearer(fan.accessToken)).expect(200);
      await t.http
        .patch(`/api/posts/${postId}`)
        .set(bearer(author.accessToken))
        .send({ body: 'Some *days* are easier.\n\nEdited to add: thank you.' })
        .expect(200);
      const res = await get(`/t/${threadId}`).expect(200);
      expect(scriptCount(res.text)).toBe(0);
      // Reading makes no visitor cookie (the form token is made only for a page with a form).
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(textOf(res.text)).toContain('(edited)');
      expect(res.text).toContain('<h1>Living with bone mets</h1>');
      expect(res.text).toContain('<em>days</em>');
      expect(textOf(res.text)).toContain('Hug 1');
      expect(res.text).not.toContain('action="/p/');
      expect(res.text).not.toContain('id="reply-body"');
      expect(textOf(res.text)).toContain('Sign in to reply');
      expect(res.text).toContain(`href="/report/post/${postId}"`);
      const withSlug = await get(`/t/${threadId}/living-with-bone-mets`).expect(200);
      expect(withSlug.text).toContain('<h1>Living with bone mets</h1>');
      await get('/t/999999999').expect(404);
      await get('/t/not-a-number').expect(404);
    });

    it('hides an anonymous author from members and guests; moderators see who it is, with a note', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      await t.db.query(`UPDATE users SET display_name = 'Hidden Hannah' WHERE id = $1`, [author.id]);
      const { threadId } = await createThread(t, author, slug, { title: 'Asking anonymously', anonymous: true });
      await reply(t, author, threadId, 'An anonymous reply', { anonymous: true }).expect(201);
      const { browser } = await member();
      for (const res of [await get(`/t/${threadId}`), await get(`/t/${threadId}`, browser)]) {
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('Hidden Hannah');
        expect(res.text).not.toContain(author.username);
        expect(textOf(res.text)).toContain('Anonymous member');
      }
      const asMod = await get(`/t/${threadId}`, modBrowser).expect(200);
      expect(textOf(asMod.text)).toMatch(/Hidden Hannah posted anonymously/);
      expect(textOf(asMod.text)).toContain('Moderator tools');
    });

    it('lets a member reply with a preview and a quote; bad input is kept (422); the reply lands with a flash', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId, postId } = await createThread(t, author, slug, { body: 'Line one\n\nLine two' });
      const { browser } = await member('Replying Rita');

      const quote = await get(`/t/${threadId}?quote=${postId}`, browser).expect(200);
      expect(quote.text).toContain(`[quote=${postId}]\nLine one\n\nLine two\n[/quote]\n\n</textarea>`);
      expect(quote.text).toContain(`name="replyToId" value="${postId}"`);

      const preview = await post(`/t/${threadId}/reply`, browser, {
        body: '> Line one\n\nSo **true**',
        replyToId: postId,
        intent: 'preview',
      }).expect(200);
      expect(preview.text).toMatch(
        /<h3 id="reply-preview-heading">Preview<\/h3>\s*<div class="post-body"><blockquote>/,
      );
      expect(preview.text).toContain('<strong>true</strong>');
      expect(preview.text).toContain('So **true**</textarea>');

      const refused = await post(`/t/${threadId}/reply`, browser, {
        body: 'Typed with care',
        contentWarning: 'x'.repeat(101),
      }).expect(422);
      expect(refused.text).toMatch(/<a href="#reply-cw">Content warning must be 1-100 characters/);
      expect(refused.text).toContain('Typed with care</textarea>');

      const sent = await post(`/t/${threadId}/reply`, browser, {
        body: '> Line one\n\nSo **true**',
        replyToId: postId,
        contentWarning: 'feelings',
      }).expect(303);
      const location = sent.headers.location as string;
      expect(location).toMatch(new RegExp(`^/t/${threadId}\\?cursor=[^#]+#post-\\d+$`));
      const page = await followRedirect(t, browser, sent).expect(200);
      expect(textOf(page.text)).toContain('Your reply is posted.');
      expect(textOf(page.text)).toContain('Replying Rita');
      expect(page.text).toContain('<summary>Content warning: feelings</summary>');
      const posts = await t.http.get(`/api/threads/${threadId}/posts`).expect(200);
      expect(posts.body.items[1]).toMatchObject({ replyToId: postId, contentWarning: 'feelings' });
    });

    it('refuses a reply without its token (403) and a guest’s reply (sign in)', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      const { browser } = await member();
      await post(`/t/${threadId}/reply`, browser, { body: 'No token' }, false).expect(403);
      await post(`/t/${threadId}/reply`, browser, { body: 'Wrong token', _csrf: 'x'.repeat(43) }, false).expect(403);
      const guest = await guestBrowser(t);
      const asGuest = await post(`/t/${threadId}/reply`, guest, { body: 'Guest words' });
      expect(asGuest.status).toBe(401);
      expect((await t.http.get(`/api/threads/${threadId}`)).body.replyCount).toBe(0);
    });

    it('a locked thread says so and refuses replies, keeping the text; moderators lock, pin and move', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const other = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug, { title: 'To be locked' });
      const { browser } = await member();
      await post(`/t/${threadId}/moderate`, browser, { action: 'lock' }).expect(403);
      const locked = await post(`/t/${threadId}/moderate`, modBrowser, { action: 'lock' }).expect(303);
      expect(locked.headers.location).toBe(`/t/${threadId}`);
      const page = await get(`/t/${threadId}`, browser).expect(200);
      expect(textOf(page.text)).toContain('This thread is locked, so it takes no new replies.');
      expect(page.text).not.toContain('id="reply-body"');
      const refused = await post(`/t/${threadId}/reply`, browser, { body: 'My words to keep' }).expect(403);
      expect(textOf(refused.text)).toContain('This thread is locked: no new replies');
      expect(refused.text).toContain('My words to keep</textarea>');

      await post(`/t/${threadId}/moderate`, modBrowser, { action: 'pin' }).expect(303);
      await post(`/t/${threadId}/move`, modBrowser, { category: other.slug }).expect(303);
      const thread = await t.http.get(`/api/threads/${threadId}`).expect(200);
      expect(thread.body).toMatchObject({ locked: true, pinned: true, category: { slug: other.slug } });
      await post(`/t/${threadId}/move`, browser, { category: slug }).expect(403);
      const moved = await post(`/t/${threadId}/move`, modBrowser, { category: slug }).expect(303);
      const asMod = await followRedirect(t, modBrowser, moved).expect(200);
      expect(textOf(asMod.text)).toContain(`The thread is moved to Category ${slug}.`);
      expect(asMod.text).toContain('id="reply-body"');
      await post(`/t/${threadId}/moderate`, modBrowser, { action: 'explode' }).expect(400);
    });

    it('reactions toggle with a form per post (aria-pressed for the member’s own); watching is a button', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId, postId } = await createThread(t, author, slug);
      const { user, browser } = await member();
      const before = await get(`/t/${threadId}`, browser).expect(200);
      expect(before.text).toContain(`action="/p/${postId}/react"`);
      expect(before.text).toMatch(/value="hug:on" aria-pressed="false"/);

      const on = await post(`/p/${postId}/react`, browser, { reaction: 'hug:on', back: `/t/${threadId}` }).expect(303);
      expect(on.headers.location).toBe(`/t/${threadId}#post-${postId}`);
      const after = await get(`/t/${threadId}`, browser).expect(200);
      expect(after.text).toMatch(
        /value="hug:off" aria-pressed="true" class="reaction">Hug <span class="reaction-count">1<\/span>/,
      );
      await post(`/p/${postId}/react`, browser, { reaction: 'hug:off', back: `/t/${threadId}` }).expect(303);
      const reactions = await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(user.accessToken));
      expect(reactions.body.items[0].reactions).toMatchObject({ hug: 0, mine: [] });
      await post(`/p/${postId}/react`, browser, { reaction: 'kiss:on', back: `/t/${threadId}` }).expect(400);
      const offsite = await post(`/p/${postId}/react`, browser, { reaction: 'same:on', back: '//evil.example/x' });
      expect(offsite.headers.location).toBe(`/#post-${postId}`);

      const watched = await post(`/t/${threadId}/watch`, browser, { watch: 'on', back: `/t/${threadId}` }).expect(303);
      expect(watched.headers.location).toBe(`/t/${threadId}`);
      expect((await t.http.get(`/api/threads/${threadId}`).set(bearer(user.accessToken))).body.subscribed).toBe(true);
      const page = await get(`/t/${threadId}`, browser).expect(200);
      expect(textOf(page.text)).toContain('Stop watching');
      await post(`/t/${threadId}/watch`, browser, { watch: 'off', back: `/t/${threadId}` }).expect(303);
      expect((await t.http.get(`/api/threads/${threadId}`).set(bearer(user.accessToken))).body.subscribed).toBe(false);
    });

    it('shows a silenced member the thread to read, without buttons that would be refused', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      const { user, browser } = await member();
      await t.http
        .post(`/api/moderation/users/${user.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'cooling off' })
        .expect(201);
      const page = await get(`/t/${threadId}`, browser).expect(200);
      expect(textOf(page.text)).toContain('You are silenced');
      expect(textOf(page.text)).toContain('How do you cope with scan days?');
      expect(page.text).not.toContain('id="reply-body"');
      expect(page.text).not.toContain('action="/p/');
      expect(page.text).not.toContain('/watch"');
      expect(page.text).not.toContain('href="/report/post/');
      const category = await get(`/c/${slug}`, browser).expect(200);
      expect(category.text).not.toContain(`href="/c/${slug}/new"`);
      await post(`/t/${threadId}/reply`, browser, { body: 'Still trying' }).expect(403);
    });

    it('pages a long thread oldest first with "Next page", "Previous page" and page numbers', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      await trust(t, author);
      const { threadId } = await createThread(t, author, slug, { body: 'Post number 0' });
      for (let i = 1; i <= 24; i++) await reply(t, author, threadId, `Post number ${i}`).expect(201);
      const first = await get(`/t/${threadId}`).expect(200);
      expect(textOf(first.text)).toContain('Post number 19');
      expect(textOf(first.text)).not.toContain('Post number 20');
      const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first.text);
      const second = await get(next![1].replace(/&amp;/g, '&')).expect(200);
      expect(textOf(second.text)).toContain('Post number 20');
      expect(textOf(second.text)).toContain('Post number 24');
      expect(textOf(second.text)).not.toContain('Post number 19 ');
      expect(second.text).toContain(`<a href="/t/${threadId}" rel="prev">Previous page</a>`);
      expect(second.text).toContain(`<a href="/t/${threadId}?page=2" aria-current="page">`);
    });

    it('shows the author the crisis support lines kindly after crisis words', async () => {
      const word = `crisisword${randomBytes(3).toString('hex')}`;
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: word, action: 'crisis' })
        .expect(201);
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId } = await createThread(t, author, slug);
      const { browser } = await member();
      const sent = await post(`/t/${threadId}/reply`, browser, { body: `I feel ${word} tonight` }).expect(303);
      expect(sent.headers.location).toMatch(/support=1#post-\d+$/);
      const page = await followRedirect(t, browser, sent).expect(200);
      const text = textOf(page.text);
      expect(text).toContain('You are not alone');
      expect(text).toContain(t.config.moderation.crisisSupportText);
      expect(text).toContain('we have put some support for you below');

      // Crisis words beside held ones: the reply waits for a moderator, and its author still sees the support lines.
      const held = `heldword${randomBytes(3).toString('hex')}`;
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: held, action: 'hold' })
        .expect(201);
      const waiting = await post(`/t/${threadId}/reply`, browser, { body: `${word} and ${held}` }).expect(303);
      const heldPage = await followRedirect(t, browser, waiting).expect(200);
      const postId = /#post-(\d+)$/.exec(waiting.headers.location as string)![1];
      const article = new RegExp(`<article[^>]*id="post-${postId}"[\\s\\S]*?</article>`).exec(heldPage.text)![0];
      expect(textOf(article)).toContain('Waiting for a moderator');
      expect(textOf(heldPage.text)).toContain(t.config.moderation.crisisSupportText);
      expect(textOf(heldPage.text)).toContain('is with a moderator');
      // Coming back later (no ?support=1), the held reply itself still carries the support lines for its author.
      const later = await get(`/t/${threadId}`, browser).expect(200);
      const laterArticle = new RegExp(`<article[^>]*id="post-${postId}"[\\s\\S]*?</article>`).exec(later.text)![0];
      expect(textOf(laterArticle)).toContain(t.config.moderation.crisisSupportText);
      expect(later.text).not.toContain('id="support-heading"');
    });
  });
});
