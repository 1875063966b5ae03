import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { followRedirect, signInBrowser, visitorSession } from './factories/web';

/** The error summary of a page (GOV.UK's pattern): its links (`#field` → text) and its lines without a link. */
function summaryOf(html: string, id = 'form-problem') {
  const box = new RegExp(
    `<div class="error-summary" id="${id}" role="alert" tabindex="-1"[^>]*>([\\s\\S]*?)</div>`,
  ).exec(html);
  if (!box) return undefined;
  const links = [...box[1].matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map(([, href, text]) => ({ href, text }));
  const lines = [...box[1].matchAll(/<li>([^<]+)<\/li>/g)].map(([, text]) => text);
  return { heading: /<h2[^>]*>([^<]+)<\/h2>/.exec(box[1])?.[1], links, lines };
}

/** An input's own attributes, by id. */
function inputOf(html: string, id: string): string {
  const tag = new RegExp(`<(?:input|textarea|select)[^>]* id="${id}"[^>]*>`).exec(html);
  if (!tag) throw new Error(`no field #${id}`);
  return tag[0];
}

describe('Forms: every problem at once, where the eyes are (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  async function ownPage(): Promise<string> {
    const key = `page-${randomBytes(5).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'Forms page', url: `https://example.org/articles/${key}` })
      .expect(201);
    return key;
  }

  describe('the error summary', () => {
    it('lists every problem of a sign-up by its label, each a link to its field, which shows its own message', async () => {
      const v = await visitorSession(t, '/signup');
      const res = await t.http
        .post('/signup')
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, username: 'x!', email: 'not-an-address', password: 'short', displayName: 'Mira' })
        .expect(422);
      const summary = summaryOf(res.text);
      expect(summary?.heading).toBe('There is a problem');
      expect(summary?.links.map((l) => l.href)).toEqual([
        'username',
        'email',
        'password',
        'acceptGuidelines',
        'captcha',
      ]);
      expect(summary?.links[0].text).toMatch(/^Username must be 3-32 characters/);
      expect(summary?.links[1].text).toMatch(/^Email must be an email address/);
      expect(summary?.links[3].text).toBe('Please read and accept the community guidelines to join.');
      for (const id of ['username', 'email', 'password', 'acceptGuidelines']) {
        expect(res.text).toMatch(
          new RegExp(`<p class="field-error" id="${id}-error"><span class="visually-hidden">Error: </span>`),
        );
        expect(inputOf(res.text, id)).toMatch(
          new RegExp(`aria-describedby="[^"]*\\b${id}-error\\b[^"]*" aria-invalid="true"`),
        );
      }
      // What was typed stays, but the password is never sent back: the page asks for it again, by its field.
      expect(inputOf(res.text, 'displayName')).toContain('value="Mira"');
      expect(inputOf(res.text, 'displayName')).not.toContain('aria-invalid');
      expect(inputOf(res.text, 'password')).not.toContain('value=');
      expect(summary?.links[2].text).toContain('Please type your password again');
      // The form lands on the summary when it comes back.
      expect(res.text).toContain('action="/signup#form-problem"');
    });

    it('asks for the password again even when only another field was refused', async () => {
      const v = await visitorSession(t, '/signup');
      const res = await t.http
        .post('/signup')
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, username: 'ok_name_here', email: 'nope', password: 'calm-river-long-enough' })
        .expect(422);
      const links = summaryOf(res.text)?.links ?? [];
      expect(links.find((l) => l.href === 'password')?.text).toBe(
        'Please type your password again: for your safety it is not kept when the form comes back.',
      );
      expect(res.text).toMatch(/id="password-error">[\s\S]*?Please type your password again/);
    });

    it('shows a refusal that names no field as the one line of the summary, without a link', async () => {
      const user = await createUser(t);
      const v = await visitorSession(t, '/signin');
      const res = await t.http
        .post('/signin')
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, login: user.username, password: 'not-the-password-at-all' })
        .expect(422);
      const summary = summaryOf(res.text);
      expect(summary?.links).toEqual([]);
      expect(summary?.lines).toHaveLength(1);
      expect(res.text).toContain('action="/signin#form-problem"');
    });

    it("lists a guest comment's every problem, linked to the comment form's own fields", async () => {
      const key = await ownPage();
      const v = await visitorSession(t, `/articles/${key}`);
      const res = await t.http
        .post(`/articles/${key}/comments`)
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, body: '   ' })
        .expect(422);
      const summary = summaryOf(res.text);
      expect(summary?.links.map((l) => l.href)).toEqual(['comment-body', 'authorName', 'acceptTerms', 'captcha']);
      expect(summary?.links[0].text).toBe('Your comment is empty: please write something before sending');
      expect(inputOf(res.text, 'comment-body')).toMatch(/aria-describedby="comment-body-hint comment-body-error"/);
      expect(res.text).toMatch(/action="\/articles\/[^"]+\/comments#form-problem"/);
    });

    it("lists the profile form's problems in the settings, by their labels", async () => {
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      const res = await t.http
        .post('/settings/profile')
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, displayName: '', bio: 'b'.repeat(2001), intent: 'save' })
        .expect(422);
      const summary = summaryOf(res.text);
      expect(summary?.links.map((l) => l.href)).toEqual(['displayName', 'bio']);
      expect(summary?.links[0].text).toMatch(/^Display name /);
      expect(summary?.links[1].text).toMatch(/^Your bio /);
    });
  });

  describe('thanks beside the form', () => {
    it("lands an accepted comment on its thanks, shown beside the comment form and not at the page's top", async () => {
      const key = await ownPage();
      const member = await createUser(t);
      await trust(t, member);
      const browser = await signInBrowser(t, member);
      const posted = await t.http
        .post(`/articles/${key}/comments`)
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf, body: 'Thank you for this.' })
        .expect(303);
      expect(posted.headers.location).toBe(`/articles/${key}#comment-thanks`);
      const page = await followRedirect(t, browser, posted).expect(200);
      const flash = page.text.indexOf('<p class="flash" role="status" id="comment-thanks" tabindex="-1">');
      expect(flash).toBeGreaterThan(page.text.indexOf('id="add-comment"'));
      expect(flash).toBeLessThan(page.text.indexOf('<form method="post" action="/articles/' + key + '/comments'));
      expect(page.text.match(/class="flash"/g)).toHaveLength(1);
    });

    it('shows a flash at the top, as before, when the page has no place for it', async () => {
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      const saved = await t.http
        .post('/settings/sign-out-everywhere')
        .set('Cookie', browser.cookie)
        .type('form')
        .send({ _csrf: browser.csrf })
        .expect(303);
      const page = await followRedirect(t, browser, saved).expect(200);
      expect(page.text).toMatch(/<main id="main" tabindex="-1">\s*<p class="flash" role="status">You are signed out/);
    });
  });

  describe('unknown addresses', () => {
    it.each(['/no-such-page', '/c/x/y/z', '/assets/nothing-here.js', '/t/999999999', '/u/nobody_by_that_name'])(
      'answers %s with the kind 404 page in the site layout, never "Cannot GET"',
      async (path) => {
        for (const accept of ['text/html', '*/*']) {
          const res = await t.http.get(path).set('Accept', accept).expect(404);
          expect(res.headers['content-type']).toMatch(/text\/html/);
          expect(res.text).toContain('<h1>Page not found</h1>');
          expect(res.text).toContain('Skip to main content');
          expect(res.text).toContain('<a href="/">Go to the discussions</a>');
          expect(res.text).toContain('<a href="/search">Search Haven</a>');
          expect(res.text).toContain('<a href="/guidelines#crisis">Find support lines</a>');
          expect(res.text).not.toContain('Cannot GET');
        }
      },
    );

    it('answers HEAD and a POST to an unknown address with a 404 page too', async () => {
      const head = await t.http.head('/no-such-page').expect(404);
      expect(head.headers['content-type']).toMatch(/text\/html/);
      const post = await t.http.post('/no-such-page').set('Accept', 'text/html').expect(404);
      expect(post.text).not.toMatch(/Cannot POST/);
    });

    it('names what it could not find for an unknown thread or member', async () => {
      const res = await t.http.get('/u/nobody_by_that_name').set('Accept', 'text/html').expect(404);
      expect(res.text).toContain('We could not find this user.');
    });

    it('keeps the JSON 404 of the API', async () => {
      for (const accept of ['text/html', 'application/json', '*/*']) {
        const res = await t.http.get('/api/no-such-route').set('Accept', accept).expect(404);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
      }
    });
  });
});
