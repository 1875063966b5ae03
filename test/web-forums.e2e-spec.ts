import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, followRedirect, guestBrowser, signInBrowser } from './factories/web';

/** The text of an HTML page without tags, spaces collapsed (for "does the reader see this"). */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const scriptCount = (html: string) => (html.match(/<script\b/g) ?? []).length;

describe('Forum pages (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let modBrowser: BrowserSession;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
    mod = await createUser(t, { role: 'moderator' });
    modBrowser = await signInBrowser(t, mod);
  });
  afterAll(() => t.close());

  const get = (path: string, browser?: BrowserSession) => {
    const req = t.http.get(path);
    return browser ? req.set('Cookie', browser.cookie) : req;
  };
  const post = (path: string, browser: BrowserSession, form: Record<string, string>, csrf = true) =>
    t.http
      .post(path)
      .set('Cookie', browser.cookie)
      .type('form')
      .send(csrf ? { _csrf: browser.csrf, ...form } : form);

  /** A trusted member (past pre-moderation) with a browser session. */
  const member = async (displayName?: string) => {
    const user = await createUser(t);
    await trust(t, user);
    if (displayName) await t.db.query(`UPDATE users SET display_name = $2 WHERE id = $1`, [user.id, displayName]);
    return { user, browser: await signInBrowser(t, user) };
  };

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
      expect(textOf(asMod.text)).toMatch(/An anonymous question\s*by Secret Sam \(posted anonymously\)/);
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
      expect(refused.text).toMatch(/role="alert"[^>]*>title must be 5-150 characters/);
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
      expect(quote.text).toContain('&gt; Line one\n&gt;\n&gt; Line two\n\n</textarea>');
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
      expect(refused.text).toMatch(/role="alert"[^>]*>contentWarning must be 1-100 characters/);
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

    it('pages a long thread oldest first with "Next page" and "First page" links', async () => {
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
      expect(second.text).toContain(`<a href="/t/${threadId}">First page</a>`);
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
