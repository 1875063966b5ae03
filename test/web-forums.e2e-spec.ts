import { randomBytes } from 'node:crypto';
import type { TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, followRedirect, guestBrowser, signInBrowser } from './factories/web';
import { forumPageHelpers, scriptCount, startForumPagesApp, textOf } from './support/forum-pages';

/** Forum pages: home, a category, starting a thread, reporting a post and search. */
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

  describe('home', () => {
    it('shows guests the categories with counts, recent activity, a welcome with sign-up and guidelines links', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const title = `Recent thread ${randomBytes(3).toString('hex')}`;
      await createThread(t, author, slug, { title });
      const res = await get('/').expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(scriptCount(res.text)).toBe(0);
      const text = textOf(res.text);
      expect(res.text).toContain('<h2 id="welcome-heading">Welcome to Haven</h2>');
      expect(res.text).toContain('href="/signup"');
      expect(res.text).toContain('href="/guidelines"');
      expect(res.text).toContain('href="/c/newly-diagnosed"');
      expect(text).toMatch(new RegExp(`Category ${slug} 1 thread`));
      expect(text).toContain('Recent activity');
      expect(text).toContain(title);
    });

    it('greets members without the guest welcome', async () => {
      const { browser } = await member();
      const res = await get('/', browser).expect(200);
      expect(res.text).not.toContain('id="welcome-heading"');
      expect(textOf(res.text)).toContain('Categories');
    });
  });

  describe('category', () => {
    it('lists threads pinned first, hides anonymous authors from guests and members, and pages with real links', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      await trust(t, author);
      await t.db.query(`UPDATE users SET display_name = 'Secret Sam' WHERE id = $1`, [author.id]);
      const first = await createThread(t, author, slug, { title: 'The oldest thread here' });
      for (let i = 0; i < 20; i++) await createThread(t, author, slug, { title: `Thread number ${i}` });
      await createThread(t, author, slug, { title: 'An anonymous question', anonymous: true });
      await t.http.post(`/api/threads/${first.threadId}/pin`).set(bearer(mod.accessToken)).expect(200);

      const res = await get(`/c/${slug}`).expect(200);
      const text = textOf(res.text);
      expect(text.indexOf('The oldest thread here')).toBeLessThan(text.indexOf('An anonymous question'));
      expect(text).toContain('Pinned');
      expect(text).toMatch(/An anonymous question\s*by Anonymous member/);
      expect(res.text).toContain(`href="/signin?next=${encodeURIComponent(`/c/${slug}/new`)}"`);
      expect(text).toContain('Sign in to start a thread');
      expect(res.text).toMatch(/<time datetime="[^"]+Z">/);
      const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(res.text);
      expect(next).not.toBeNull();
      const page2 = await get(next![1].replace(/&amp;/g, '&')).expect(200);
      const text2 = textOf(page2.text);
      expect(text2).toContain('Thread number 0');
      expect(text2).not.toContain('The oldest thread here');
      expect(page2.text).toContain(`<a href="/c/${slug}">First page</a>`);

      const { browser } = await member();
      const asMember = await get(`/c/${slug}`, browser).expect(200);
      expect(asMember.text).toContain(`href="/c/${slug}/new"`);
      expect(textOf(asMember.text)).toContain('Start a thread');
      expect(textOf(asMember.text)).not.toMatch(/An anonymous question\s*by Secret Sam/);
      const asMod = await get(`/c/${slug}`, modBrowser).expect(200);
      expect(textOf(asMod.text)).toMatch(
        /An anonymous question\s*by Anonymous member \(Secret Sam posted anonymously as @\w+; visible to moderators only\)/,
      );
    });

    it('answers an unknown category with a 404 page and a bad cursor with a 400 page', async () => {
      const missing = await get('/c/no-such-category').expect(404);
      expect(textOf(missing.text)).toContain('Category not found');
      await get('/c/newly-diagnosed?cursor=nonsense').expect(400);
    });
  });

  describe('starting a thread', () => {
    it('sends guests to sign in, and refuses a form without its token', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const res = await get(`/c/${slug}/new`).expect(303);
      expect(res.headers.location).toBe(`/signin?next=${encodeURIComponent(`/c/${slug}/new`)}`);
      const guest = await guestBrowser(t);
      const refused = await post(`/c/${slug}/new`, guest, { title: 'A guest thread', body: 'Hello' }).expect(401);
      expect(textOf(refused.text)).toContain('Please sign in');
      const { browser } = await member();
      const noToken = await post(`/c/${slug}/new`, browser, { title: 'No token here', body: 'Hello' }, false);
      expect(noToken.status).toBe(403);
      expect(textOf(noToken.text)).toContain('reload it and send again');
      const threads = await t.http.get(`/api/categories/${slug}/threads`).expect(200);
      expect(threads.body.items).toEqual([]);
    });

    it('previews Markdown without posting, keeps the text after a refusal (422), then posts and redirects', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const { browser } = await member();
      const form = await get(`/c/${slug}/new`, browser).expect(200);
      for (const label of ['Title', 'Your message', 'Add a content warning (optional)', 'Post anonymously']) {
        expect(textOf(form.text)).toContain(label);
      }
      expect(scriptCount(form.text)).toBe(0);

      const preview = await post(`/c/${slug}/new`, browser, {
        title: 'Scan day tips',
        body: 'I **always** bring <tea>',
        intent: 'preview',
      }).expect(200);
      expect(preview.text).toContain('<strong>always</strong>');
      expect(preview.text).toContain('&lt;tea&gt;');
      expect(preview.text).not.toContain('<tea>');
      expect(preview.text).toContain('value="Scan day tips"');
      expect(preview.text).toContain('I **always** bring &lt;tea&gt;</textarea>');
      expect((await t.http.get(`/api/categories/${slug}/threads`)).body.items).toEqual([]);

      const refused = await post(`/c/${slug}/new`, browser, {
        title: 'Hi',
        body: 'My carefully typed message',
        contentWarning: 'scans',
        anonymous: 'on',
      }).expect(422);
      expect(refused.text).toMatch(/<a href="#thread-title">Title must be 5-150 characters/);
      expect(refused.text).toContain('My carefully typed message</textarea>');
      expect(refused.text).toContain('value="scans"');
      expect(refused.text).toMatch(/name="anonymous"[^>]* checked/);

      const created = await post(`/c/${slug}/new`, browser, {
        title: 'Scan day tips',
        body: 'Bring a **warm** jumper.',
        contentWarning: ' waiting for results ',
      }).expect(303);
      expect(created.headers.location).toMatch(/^\/t\/\d+$/);
      const page = await followRedirect(t, browser, created).expect(200);
      expect(textOf(page.text)).toContain('Your thread is posted.');
      expect(page.text).toMatch(
        /<details class="content-warning"><summary>Content warning: waiting for results<\/summary>\s*<div class="post-body"><p>Bring a <strong>warm<\/strong> jumper.<\/p>/,
      );
    });

    it('explains kindly when a new member’s thread waits for a moderator', async () => {
      const { slug } = await createCategory(t, admin, 'new_members');
      const newcomer = await createUser(t);
      const browser = await signInBrowser(t, newcomer);
      const created = await post(`/c/${slug}/new`, browser, {
        title: 'My first thread',
        body: 'Hello everyone',
      }).expect(303);
      const page = await followRedirect(t, browser, created).expect(200);
      const text = textOf(page.text);
      expect(text).toContain('waiting for a moderator');
      expect(text).toContain('only you can see it');
      await get(created.headers.location as string).expect(404);
    });
  });

  describe('reporting a post', () => {
    it('asks guests to sign in; a member reports with a reason and a note, which reaches the moderators’ queue', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      const { threadId, postId } = await createThread(t, author, slug, { body: 'Buy my miracle cure' });
      const guest = await get(`/report/post/${postId}`).expect(303);
      expect(guest.headers.location).toBe(`/signin?next=${encodeURIComponent(`/report/post/${postId}`)}`);

      const { browser } = await member();
      const form = await get(`/report/post/${postId}`, browser).expect(200);
      expect(textOf(form.text)).toContain('Buy my miracle cure');
      expect(form.text).toContain('<label for="report-reason">What is wrong?</label>');
      expect(scriptCount(form.text)).toBe(0);

      const noToken = await post(`/report/post/${postId}`, browser, { reason: 'spam' }, false).expect(403);
      expect(textOf(noToken.text)).toContain('reload it');
      const noReason = await post(`/report/post/${postId}`, browser, { note: 'Selling things' }).expect(422);
      expect(textOf(noReason.text)).toContain('Please choose what is wrong with this post.');
      expect(noReason.text).toContain('Selling things</textarea>');

      const sent = await post(`/report/post/${postId}`, browser, { reason: 'spam', note: 'Selling things' }).expect(
        303,
      );
      expect(sent.headers.location).toMatch(new RegExp(`^/t/${threadId}\\?cursor=.+#post-${postId}$`));
      const queue = await t.http.get('/api/moderation/queue?limit=100').set(bearer(mod.accessToken)).expect(200);
      const item = queue.body.items.find(
        (i: { targetType: string; targetId: string }) => i.targetType === 'post' && i.targetId === postId,
      );
      expect(item).toBeDefined();

      const again = await post(`/report/post/${postId}`, browser, { reason: 'abuse' }).expect(409);
      expect(textOf(again.text)).toContain('already reported');
      await get('/report/post/999999999', browser).expect(404);
    });

    it('does not let members report their own posts', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const { user, browser } = await member();
      const { postId } = await createThread(t, user, slug);
      const res = await post(`/report/post/${postId}`, browser, { reason: 'other' }).expect(422);
      expect(textOf(res.text)).toContain('This is your own post');
    });
  });

  describe('search', () => {
    it('shows a form, then ranked threads and posts with links; nothing found is said plainly', async () => {
      const word = `zebra${randomBytes(3).toString('hex')}`;
      const { slug } = await createCategory(t, admin, 'none');
      const author = await createUser(t);
      await trust(t, author);
      const { threadId } = await createThread(t, author, slug, { title: `All about ${word}`, body: 'Stripes' });
      const r = await reply(t, author, threadId, `A reply that mentions ${word} too`).expect(201);
      const empty = await get('/search').expect(200);
      expect(empty.text).toContain('<label for="search-q">Search threads and posts</label>');
      expect(scriptCount(empty.text)).toBe(0);
      const res = await get(`/search?q=${word}`).expect(200);
      const text = textOf(res.text);
      expect(text).toContain(`All about ${word}`);
      expect(text).toContain(`A reply that mentions ${word} too`);
      expect(res.text).toContain(`href="/t/${threadId}"`);
      expect(res.text).toMatch(new RegExp(`href="/t/${threadId}\\?cursor=[^"]+#post-${r.body.id}"`));
      const none = await get(`/search?q=${word}nothing`).expect(200);
      expect(textOf(none.text)).toContain('Nothing found');
      const long = await get(`/search?q=${'a'.repeat(201)}`).expect(422);
      expect(textOf(long.text)).toContain('q must be 1-200 characters');
    });
  });
});
