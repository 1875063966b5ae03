import { randomBytes } from 'node:crypto';
import { CommentsService } from '../src/comments/comments/comments.service';
import { startTestApp, type TestApp } from './app';
import { trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { powPayload, setCookies, signInBrowser, visitorSession } from './factories/web';
import { readable } from './support/html-text';

const STARTER = 'breast-cancer-stage-four';

const flashOf = (res: { headers: Record<string, unknown> }) => decodeURIComponent(setCookies(res).haven_flash ?? '');

describe('Article pages (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  /** A page of the test's own, so counts and comments are the test's alone. */
  async function ownPage(title = 'Living well with scans'): Promise<string> {
    const key = `page-${randomBytes(5).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title, url: `https://example.org/articles/${key}`, reviewer: 'Dr. Ada Moss', disclaimer: 'Not advice.' })
      .expect(201);
    return key;
  }

  /** A member whose comments publish at once (not a new member any more). */
  async function trustedMember(): Promise<TestUser> {
    const m = await createUser(t);
    await trust(t, m);
    return m;
  }

  /** The id of the comment with this body on the page (the redirect lands on the thanks, not on the comment). */
  async function commentIdOf(key: string, body: string): Promise<string> {
    const rows = (await t.db.query(
      `SELECT c.id FROM comments c JOIN pages p ON p.id = c.page_id WHERE p.key = $1 AND c.body = $2`,
      [key, body],
    )) as Array<{ id: string }>;
    return rows[0].id;
  }

  function postComment(key: string, browser: { cookie: string; csrf: string }, fields: Record<string, string>) {
    return t.http
      .post(`/articles/${key}/comments`)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, ...fields });
  }

  describe('GET /articles/:key', () => {
    it('shows the seeded article: its text, reviewer, disclaimer, Rate This and the guest comment form', async () => {
      const res = await t.http.get(`/articles/${STARTER}`).expect(200);
      expect(res.text).toContain('<h1 id="article-title">Breast Cancer Stage Four</h1>');
      expect(res.text).toContain('also called metastatic or advanced breast cancer');
      expect(res.text).toContain('<h2>How it is treated</h2>');
      expect(res.text).toContain('Reviewed by the Haven medical advisory group');
      expect(res.text).toContain('This article is general information, not medical advice.');
      expect(res.text).toContain('<h2 id="rate-heading">Rate This</h2>');
      expect(res.text).toContain('Sign in to rate this article');
      expect(res.text).toContain('<h2 id="add-comment-heading">Add a comment</h2>');
      expect(res.text).toMatch(/<label for="authorName">Your name<\/label>/);
      expect(res.text).toMatch(/I accept the <a href="\/guidelines">community guidelines<\/a>/);
      expect(res.text).toContain('<div class="honeypot" aria-hidden="true">');
      expect(res.text).toMatch(/id="website" name="website" value="" tabindex="-1" autocomplete="off"/);
      expect(res.text).toMatch(/<img class="captcha-picture" src="data:image\/png;base64,/);
      expect(res.text).toContain('value="new-picture"');
      expect(res.text).not.toContain('<meta name="robots"');
    });

    it('says there are no comments yet on a page without any, and links to an article kept elsewhere', async () => {
      const key = await ownPage('An article elsewhere');
      const res = await t.http.get(`/articles/${key}`).expect(200);
      expect(res.text).toContain('There are no comments yet.');
      expect(res.text).toContain(`href="https://example.org/articles/${key}"`);
      expect(res.text).toContain('Reviewed by Dr. Ada Moss');
      expect(res.text).toContain('Nobody has rated this article yet.');
      expect(res.text).not.toContain('More comments');
    });

    it('answers 404 for an unknown or impossible key, and 400 for a made-up cursor', async () => {
      await t.http.get('/articles/no-such-article').expect(404);
      await t.http.get('/articles/NOT%20a%20key!').expect(404);
      const key = await ownPage();
      const res = await t.http.get(`/articles/${key}?cursor=bogus`).expect(400);
      expect(res.text).toContain('cursor');
    });

    it('shows members the form without name, guidelines or captcha', async () => {
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      const res = await t.http.get(`/articles/${STARTER}`).set('Cookie', browser.cookie).expect(200);
      expect(res.text).toContain('id="comment-body"');
      expect(res.text).not.toContain('id="authorName"');
      expect(res.text).not.toContain('data-captcha');
      expect(res.text).not.toContain('name="website"');
      expect(res.text).toContain('<legend>How helpful was this article to you?');
    });

    it('asks members for the captcha too when the configuration says so', async () => {
      const strict = await startTestApp({ CAPTCHA_FOR_MEMBERS: 'true' });
      try {
        const member = await createUser(strict);
        const browser = await signInBrowser(strict, member);
        const res = await strict.http.get(`/articles/${STARTER}`).set('Cookie', browser.cookie).expect(200);
        expect(res.text).toContain('data-captcha');
        expect(res.text).not.toContain('id="authorName"');
      } finally {
        await strict.close();
      }
    });
  });

  describe('POST /articles/:key/comments as a guest', () => {
    it('holds the comment for a moderator and says so kindly; once approved it shows with its guest name', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const res = await postComment(key, v, {
        body: 'Thank you for writing this so **gently**.',
        authorName: 'Marta',
        acceptTerms: 'on',
        captchaKind: 'pow',
        altcha: await powPayload(t),
      }).expect(303);
      expect(res.headers.location).toBe(`/articles/${key}#comment-thanks`);
      expect(flashOf(res)).toBe('Thank you for your comment. It will appear here once a moderator has read it.');
      const rows = (await t.db.query(
        `SELECT c.id, c.status, c.author_name AS "authorName" FROM comments c JOIN pages p ON p.id = c.page_id WHERE p.key = $1`,
        [key],
      )) as Array<{ id: string; status: string; authorName: string }>;
      expect(rows).toEqual([{ id: expect.any(String), status: 'pending', authorName: 'Marta' }]);
      const before = await t.http.get(`/articles/${key}`).expect(200);
      expect(before.text).toContain('There are no comments yet.');
      await t.app.get(CommentsService).setStatus(rows[0].id, 'published');
      const after = await t.http.get(`/articles/${key}`).expect(200);
      expect(after.text).toContain(`id="comment-${rows[0].id}"`);
      expect(after.text).toContain('<span class="comment-author">Marta</span> <span class="muted">(guest)</span>');
      expect(after.text).toContain('<strong>gently</strong>');
      expect(after.text).toContain(`?replyTo=${rows[0].id}#add-comment`);
      expect(after.text).toContain('Comments <span class="muted">(1)</span>');
    });

    it('refuses what is missing with 422, keeping the text typed', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const body = 'My words <b>kept</b> & safe';
      const noName = await postComment(key, v, { body, acceptTerms: 'on' }).expect(422);
      expect(noName.text).toContain('Your name is required');
      expect(noName.text).toContain('My words &lt;b&gt;kept&lt;/b&gt; &amp; safe</textarea>');
      expect(noName.text).toMatch(/id="authorName"[^>]*aria-invalid="true"/);
      const noTerms = await postComment(key, v, { body, authorName: 'Ann' }).expect(422);
      expect(noTerms.text).toContain('The community guidelines must be accepted');
      expect(noTerms.text).toContain('value="Ann"');
      const noCaptcha = await postComment(key, v, { body, authorName: 'Ann', acceptTerms: 'on' }).expect(422);
      expect(noCaptcha.text).toContain('Please type the characters from the picture');
      expect(noCaptcha.text).toMatch(/id="acceptTerms"[^>]* checked/);
      const empty = await postComment(key, v, { body: '   ', authorName: 'Ann', acceptTerms: 'on' }).expect(422);
      expect(empty.text).toContain('Your comment is empty');
      const count = (await t.db.query(
        `SELECT count(*)::int AS n FROM comments c JOIN pages p ON p.id = c.page_id WHERE p.key = $1`,
        [key],
      )) as Array<{ n: number }>;
      expect(count[0].n).toBe(0);
    });

    it('refuses a wrong picture answer with 422 and a new picture; refuses a missing token with 403', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const page = await t.http.get(`/articles/${key}`).set('Cookie', v.cookie);
      const id = /name="captchaId" value="([0-9a-f-]{36})"/.exec(page.text)![1];
      const res = await postComment(key, v, {
        body: 'Hello',
        authorName: 'Ann',
        acceptTerms: 'on',
        captchaId: id,
        captchaAnswer: 'wrong',
      }).expect(422);
      expect(res.text).toContain('The characters did not match the picture');
      expect(res.text).not.toContain(`value="${id}"`);
      expect(res.text).toContain('Hello</textarea>');
      await t.http
        .post(`/articles/${key}/comments`)
        .set('Cookie', v.cookie)
        .type('form')
        .send({ body: 'Hello' })
        .expect(403);
    });

    it('shows a different picture on request without sending the comment', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const res = await postComment(key, v, { body: 'Still here', authorName: 'Ann', intent: 'new-picture' }).expect(
        200,
      );
      expect(res.text).toContain('Still here</textarea>');
      expect(res.text).not.toContain('class="error-summary"');
    });

    it('holds a comment whose hidden field was filled in, with the reason for moderators', async () => {
      const key = await ownPage();
      const member = await trustedMember();
      const browser = await signInBrowser(t, member);
      const res = await postComment(key, browser, { body: 'Buy things', website: 'https://spam.example' }).expect(303);
      expect(flashOf(res)).toContain('once a moderator has read it');
      const rows = (await t.db.query(
        `SELECT c.status, c.held_reason AS reason FROM comments c JOIN pages p ON p.id = c.page_id WHERE p.key = $1`,
        [key],
      )) as Array<{ status: string; reason: string }>;
      expect(rows[0].status).toBe('pending');
      expect(rows[0].reason).toContain('hidden form field');
    });
  });

  describe('POST /articles/:key/comments as a member', () => {
    it('publishes a trusted member’s comment and reply, nested, with reply links', async () => {
      const key = await ownPage();
      const member = await trustedMember();
      const browser = await signInBrowser(t, member);
      const first = await postComment(key, browser, { body: 'First thoughts' }).expect(303);
      expect(first.headers.location).toBe(`/articles/${key}#comment-thanks`);
      expect(flashOf(first)).toBe('Your comment is posted. Thank you.');
      const parentId = await commentIdOf(key, 'First thoughts');
      const form = await t.http.get(`/articles/${key}?replyTo=${parentId}`).set('Cookie', browser.cookie).expect(200);
      expect(form.text).toContain(`<input type="hidden" name="parentId" value="${parentId}">`);
      expect(readable(form.text)).toMatch(/Replying to <a href="#comment-\d+">[^<]+’s comment<\/a>/);
      expect(form.text).toContain('Post my reply');
      await postComment(key, browser, { body: 'A reply <script>alert(1)</script>', parentId }).expect(303);
      const page = await t.http.get(`/articles/${key}`).expect(200);
      expect(page.text).toMatch(
        new RegExp(`id="comment-${parentId}"[\\s\\S]*<ol class="comment-replies">[\\s\\S]*A reply &lt;script&gt;`),
      );
      expect(page.text).not.toContain('<script>alert(1)</script>');
      expect(page.text).toContain(`href="/u/${member.username}"`);
    });

    it('holds a new member’s comment, shows it to them as waiting, and refuses a reply to a stranger comment', async () => {
      const key = await ownPage();
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      const res = await postComment(key, browser, { body: 'My first comment' }).expect(303);
      expect(flashOf(res)).toContain('once a moderator has read it');
      const own = await t.http.get(`/articles/${key}`).set('Cookie', browser.cookie).expect(200);
      expect(own.text).toContain('Waiting for a moderator');
      const guest = await t.http.get(`/articles/${key}`).expect(200);
      expect(guest.text).toContain('There are no comments yet.');
      const bad = await postComment(key, browser, { body: 'Reply', parentId: '999999999' }).expect(422);
      expect(bad.text).toContain('The comment you replied to is no longer shown');
      expect(bad.text).not.toContain('name="parentId"');
      expect(bad.text).toContain('Reply</textarea>');
    });

    it('hides a blocked member’s comment from the one who blocked them', async () => {
      const key = await ownPage();
      const author = await trustedMember();
      const reader = await createUser(t);
      await postComment(key, await signInBrowser(t, author), { body: 'Visible to most' }).expect(303);
      await t.http.post(`/api/users/${author.username}/block`).set(bearer(reader.accessToken)).expect(204);
      const res = await t.http.get(`/articles/${key}`).set('Cookie', (await signInBrowser(t, reader)).cookie);
      expect(res.text).toContain('You block this member');
      expect(res.text).not.toContain('Visible to most');
    });

    it('pages comments with a keyset “More comments” link', async () => {
      const key = await ownPage();
      const member = await trustedMember();
      for (let i = 1; i <= 21; i++) {
        await t.http
          .post(`/api/pages/${key}/comments`)
          .set(bearer(member.accessToken))
          .send({ body: `Comment number ${i}.` })
          .expect(201);
      }
      const first = await t.http.get(`/articles/${key}`).expect(200);
      expect(first.text).toContain('Comment number 20.');
      expect(first.text).not.toContain('Comment number 21.');
      const next = /href="(\/articles\/[^"?]+\?cursor=[^"#]+)#comments">More comments<\/a>/.exec(first.text)![1];
      const second = await t.http.get(next).expect(200);
      expect(second.text).toContain('Comment number 21.');
      expect(second.text).not.toContain('Comment number 20.');
      expect(second.text).toContain('First comments');
      expect(second.text).not.toContain('There are no comments yet.');
    });
  });

  describe('safety', () => {
    it('shows the support lines in full after crisis words, with the comment still sent', async () => {
      const word = `crisisword${randomBytes(3).toString('hex')}`;
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: word, action: 'crisis' })
        .expect(201);
      const key = await ownPage();
      const member = await trustedMember();
      const browser = await signInBrowser(t, member);
      const res = await postComment(key, browser, { body: `Today I feel ${word}.` }).expect(303);
      expect(res.headers.location).toBe(`/articles/${key}?support=1#comment-thanks`);
      const page = await t.http
        .get(res.headers.location as string)
        .set('Cookie', browser.cookie)
        .expect(200);
      expect(page.text).toContain(
        '<div class="notice" role="status"><p>It sounds like things are very hard right now.',
      );
    });

    it('lets a silenced member read but not comment or rate', async () => {
      const moderator = await createUser(t, { role: 'moderator' });
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(moderator.accessToken))
        .send({ kind: 'silence', reason: 'a pause' })
        .expect(201);
      const key = await ownPage();
      const page = await t.http.get(`/articles/${key}`).set('Cookie', browser.cookie).expect(200);
      expect(page.text).toContain('you cannot write while your account is limited');
      expect(page.text).not.toContain('id="comment-body"');
      expect(page.text).not.toContain('Send my rating');
      const res = await postComment(key, browser, { body: 'Hello' }).expect(403);
      expect(res.text).toContain('You are silenced');
    });
  });

  describe('POST /articles/:key/rating', () => {
    it('lets a member rate 1-5 and change it; the page shows the average and count and their choice', async () => {
      const key = await ownPage();
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      const rate = (stars?: string) =>
        t.http
          .post(`/articles/${key}/rating`)
          .set('Cookie', browser.cookie)
          .type('form')
          .send({ _csrf: browser.csrf, ...(stars ? { stars } : {}) });
      const res = await rate('4').expect(303);
      expect(res.headers.location).toBe(`/articles/${key}#rate-thanks`);
      expect(flashOf(res)).toBe('Thank you for rating this article.');
      await rate('5').expect(303);
      const page = await t.http.get(`/articles/${key}`).set('Cookie', browser.cookie).expect(200);
      expect(page.text).toContain('Rated <strong>5.0 out of 5</strong> by 1 member.');
      expect(page.text).toMatch(/id="stars-5" name="stars" value="5" checked/);
      expect(page.text).toContain('You gave it 5 stars');
      const none = await rate().expect(422);
      expect(none.text).toContain('Please choose from 1 to 5 stars');
      await rate('9').expect(422);
    });

    it('refuses a guest (401) and a form without its token (403)', async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      await t.http
        .post(`/articles/${key}/rating`)
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, stars: '3' })
        .expect(401);
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      await t.http
        .post(`/articles/${key}/rating`)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ stars: '3' })
        .expect(403);
      const unknown = await t.http
        .post('/articles/no-such-article/rating')
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, stars: '3' });
      expect(unknown.status).toBe(404);
    });
  });
});
