import type { TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { followRedirect, signInBrowser } from './factories/web';
import { eventually } from './support/eventually';
import { forumPageHelpers, scriptCount, startForumPagesApp, textOf } from './support/forum-pages';

/** Forum pages in context: replies land where they sit, numbered pages, first unread, quotes and mentions. */
describe('Forum pages in context (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    ({ t, admin } = await startForumPagesApp());
  });
  afterAll(() => t.close());
  const { get, post, member } = forumPageHelpers(() => t);

  /** A thread of `count` posts ("Post number 0" .. "Post number count-1"), by a trusted author. */
  async function longThread(count: number, approval: 'none' | 'new_members' = 'none') {
    const { slug } = await createCategory(t, admin, approval);
    const author = await createUser(t);
    await trust(t, author);
    await t.db.query(`UPDATE users SET display_name = 'Thread Theo' WHERE id = $1`, [author.id]);
    const { threadId, postId } = await createThread(t, author, slug, { body: 'Post number 0' });
    const ids = [postId];
    for (let i = 1; i < count; i++) {
      const res = await reply(t, author, threadId, `Post number ${i}`).expect(201);
      ids.push(res.body.id as string);
    }
    return { slug, author, threadId, ids };
  }

  const notifications = async (user: TestUser) =>
    (await t.http.get('/api/notifications').set(bearer(user.accessToken)).expect(200)).body.items as Array<{
      kind: string;
      data: Record<string, string>;
    }>;

  describe('replying', () => {
    it('lands the member on the page that holds her reply, with the posts before it and page numbers', async () => {
      const { threadId } = await longThread(25);
      const { browser } = await member('Replying Rosa');
      const sent = await post(`/t/${threadId}/reply`, browser, { body: 'My reply in context' }).expect(303);
      const location = sent.headers.location as string;
      const id = /#post-(\d+)$/.exec(location)![1];
      const page = await followRedirect(t, browser, sent).expect(200);
      const text = textOf(page.text);
      expect(text).toContain('Your reply is posted.');
      expect(text).toContain('My reply in context');
      expect(text).toContain('Post number 20');
      expect(text).toContain('Post number 24');
      expect(text).not.toContain('Post number 19 ');
      expect(page.text).toContain(`id="post-${id}"`);
      expect(text).toContain('page 2 of 2');
      expect(page.text).toContain(`<a href="/t/${threadId}?page=2" aria-current="page">`);
      expect(page.text).toContain(`<a href="/t/${threadId}" rel="prev">Previous page</a>`);
      expect(page.text).not.toContain('rel="next"');
    });

    it('lands a reply that waits for review where it would sit, with a note beside the reply form', async () => {
      const { threadId } = await longThread(3, 'new_members');
      const newcomer = await createUser(t); // not trusted yet: her first post waits for a moderator
      const browser = await signInBrowser(t, newcomer);
      const sent = await post(`/t/${threadId}/reply`, browser, { body: 'My first words here' }).expect(303);
      const page = await followRedirect(t, browser, sent).expect(200);
      const text = textOf(page.text);
      expect(text).toContain('Your reply is waiting for a moderator');
      expect(text).toContain('My first words here');
      expect(text).toContain('Post number 2');
      expect(page.text).toMatch(/id="reply-pending">Your reply above is waiting for review/);
      const guest = await get(`/t/${threadId}`).expect(200);
      expect(textOf(guest.text)).not.toContain('My first words here');
    });
  });

  describe('pages', () => {
    it('pages by number both ways; a number past the end shows the last page; a bad one is a 400', async () => {
      const { threadId } = await longThread(45);
      const second = await get(`/t/${threadId}?page=2`).expect(200);
      const text = textOf(second.text);
      expect(text).toContain('Post number 20');
      expect(text).toContain('Post number 39');
      expect(text).not.toContain('Post number 40');
      expect(second.text).toContain(`<a href="/t/${threadId}" rel="prev">Previous page</a>`);
      expect(second.text).toContain(`<a href="/t/${threadId}?page=3" rel="next">Next page</a>`);
      expect(second.text).toContain('aria-label="Pages of this thread"');
      const last = await get(`/t/${threadId}?page=99`).expect(200);
      expect(textOf(last.text)).toContain('Post number 44');
      expect(last.text).toContain(`<a href="/t/${threadId}?page=3" aria-current="page">`);
      expect(textOf((await get(`/t/${threadId}?page=last`).expect(200)).text)).toContain('Post number 44');
      for (const bad of ['0', 'two', '-1', '1e3']) {
        const res = await get(`/t/${threadId}?page=${bad}`).expect(400);
        expect(res.text).toContain('page');
      }
      await get(`/t/${threadId}?cursor=bogus`).expect(400);
    });

    it('keeps a post on the same page for every reader, even when some posts are hidden from them', async () => {
      const { threadId, ids } = await longThread(22);
      await t.db.query(`UPDATE posts SET status = 'hidden' WHERE id = $1`, [ids[5]]);
      const page = await get(`/t/${threadId}?page=2`).expect(200);
      expect(textOf(page.text)).toContain('Post number 20');
      expect(textOf(page.text)).toContain('Post number 21');
    });

    it('answers /p/:id with the page that holds the post, and 404 for a post the reader may not see', async () => {
      const { threadId, ids } = await longThread(23);
      const res = await get(`/p/${ids[21]}`).expect(303);
      expect(res.headers.location).toMatch(new RegExp(`^/t/${threadId}\\?cursor=[^#]+#post-${ids[21]}$`));
      const page = await get(res.headers.location as string).expect(200);
      expect(textOf(page.text)).toContain('Post number 20');
      await t.db.query(`UPDATE posts SET status = 'pending' WHERE id = $1`, [ids[22]]);
      await get(`/p/${ids[22]}`).expect(404);
      await get('/p/999999999').expect(404);
      await get('/p/nope').expect(404);
    });
  });

  describe('first unread', () => {
    it('remembers how far a member read, and takes her to the first unread post', async () => {
      const { slug, author, threadId } = await longThread(21);
      const { browser } = await member();
      await get(`/t/${threadId}`, browser).expect(200); // posts 0-19 read
      const listed = await get(`/c/${slug}`, browser).expect(200);
      expect(listed.text).toContain(`href="/t/${threadId}/unread"`);
      const unread = await get(`/t/${threadId}/unread`, browser).expect(303);
      const firstUnread = (await t.db.query(`SELECT id FROM posts WHERE thread_id = $1 ORDER BY id OFFSET 20`, [
        threadId,
      ])) as Array<{ id: string }>;
      expect(unread.headers.location).toMatch(new RegExp(`#post-${firstUnread[0].id}$`));
      const page = await followRedirect(t, browser, unread).expect(200);
      expect(textOf(page.text)).toContain('Post number 20');
      // All read now: no link, and "first unread" goes to the last page.
      expect((await get(`/c/${slug}`, browser).expect(200)).text).not.toContain(`/t/${threadId}/unread`);
      expect((await get(`/t/${threadId}/unread`, browser).expect(303)).headers.location).toBe(
        `/t/${threadId}?page=last`,
      );
      await reply(t, author, threadId, 'Post number 21').expect(201);
      expect((await get(`/c/${slug}`, browser).expect(200)).text).toContain(`/t/${threadId}/unread`);
      expect((await get('/', browser).expect(200)).text).toContain(`/t/${threadId}/unread`); // recent activity too
    });

    it('sends a guest to sign in, and hides threads she cannot see', async () => {
      const { threadId } = await longThread(1);
      const guest = await get(`/t/${threadId}/unread`).expect(303);
      expect(guest.headers.location).toMatch(/^\/signin/);
      const { browser } = await member();
      await t.db.query(`UPDATE threads SET status = 'hidden' WHERE id = $1`, [threadId]);
      await get(`/t/${threadId}/unread`, browser).expect(404);
      await get('/t/nope/unread', browser).expect(404);
    });
  });

  describe('quotes and mentions', () => {
    it('says who wrote a quote with a link to the post; anonymous stays anonymous; a hidden post is not named', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const named = await member('Quoted Quinn');
      const { threadId, postId } = await createThread(t, named.user, slug, { body: 'Named words' });
      const anon = await reply(t, named.user, threadId, 'Secret words', { anonymous: true }).expect(201);
      const gone = await reply(t, named.user, threadId, 'Words taken down').expect(201);
      await t.db.query(`UPDATE posts SET status = 'hidden' WHERE id = $1`, [gone.body.id]);
      const { browser } = await member();

      const quote = await get(`/t/${threadId}?quote=${postId}`, browser).expect(200);
      expect(quote.text).toContain(`[quote=${postId}]\nNamed words\n[/quote]`);
      const preview = await post(`/t/${threadId}/reply`, browser, {
        body: `[quote=${postId}]\nNamed words\n[/quote]\n\nAgreed`,
        intent: 'preview',
      }).expect(200);
      expect(preview.text).toContain(`<a href="/p/${postId}" rel="ugc nofollow noopener">Quoted Quinn wrote:</a>`);

      const body = [
        `[quote=${postId}]\nNamed words\n[/quote]`,
        `[quote=${anon.body.id}]\nSecret words\n[/quote]`,
        `[quote=${gone.body.id}]\nWords taken down\n[/quote]`,
        'All three, yes.',
      ].join('\n\n');
      const sent = await post(`/t/${threadId}/reply`, browser, { body }).expect(303);
      const page = await followRedirect(t, browser, sent).expect(200);
      expect(page.text).toContain(`<a href="/p/${postId}" rel="ugc nofollow noopener">Quoted Quinn wrote:</a>`);
      expect(page.text).toContain(
        `<a href="/p/${anon.body.id}" rel="ugc nofollow noopener">Anonymous member wrote:</a>`,
      );
      expect(page.text).toContain('<p>From a post that is no longer shown:</p>');
      expect(page.text.match(/wrote:<\/a>/g)).toHaveLength(2); // the named and the anonymous quote, never the hidden one
    });

    it('links @username to existing members only, and notifies for mentions in the new words alone', async () => {
      const { slug } = await createCategory(t, admin, 'none');
      const bob = await member();
      const carol = await member();
      const bobName = bob.user.username;
      const carolName = carol.user.username;
      const writer = await member('Mention Mia');
      const { threadId, postId } = await createThread(t, writer.user, slug, { body: `Hello @${carolName}` });
      await eventually(async () => expect((await notifications(carol.user)).length).toBe(1));

      const { browser } = await member('Quoting Quentin');
      const body = `[quote=${postId}]\nHello @${carolName}\n[/quote]\n\n> and @${carolName} again\n\nThanks @${bobName}, and @nobody_here_${Date.now() % 1000}. \`@${bobName}\``;
      const sent = await post(`/t/${threadId}/reply`, browser, { body }).expect(303);
      const page = await followRedirect(t, browser, sent).expect(200);
      expect(page.text).toContain(`<a href="/u/${bobName}" rel="ugc nofollow noopener">@${bobName}</a>`);
      expect(page.text).toContain('@nobody_here_');
      expect(page.text).not.toContain('href="/u/nobody_here_');
      expect(page.text).toContain(`<code>@${bobName}</code>`);

      const mention = await eventually(async () => {
        const items = await notifications(bob.user);
        expect(items).toHaveLength(1);
        return items[0];
      });
      expect(mention.kind).toBe('mention');
      expect(mention.data.excerpt).toContain('Thanks @');
      expect(mention.data.excerpt).not.toContain('Hello');
      // Carol's mention was quoted, not made: her one notification is still the first post's.
      expect(await notifications(carol.user)).toHaveLength(1);
      // The notification's page shows the new words.
      const list = await get('/notifications', bob.browser).expect(200);
      expect(textOf(list.text)).toContain(`Thanks @${bobName}`);
    });

    it('loads the quoting island only for a member who can reply; a guest reads with no JavaScript', async () => {
      const { threadId } = await longThread(2);
      expect(scriptCount((await get(`/t/${threadId}`).expect(200)).text)).toBe(0);
      const { browser } = await member();
      const page = await get(`/t/${threadId}`, browser).expect(200);
      // (e2e tests run without a build, so the script itself is checked by the browser test)
      expect(page.text).toContain('data-quote="');
    });
  });
});
