import { startTestApp, type TestApp } from './app';
import { createUser } from './factories/users';
import { type BrowserSession, signInBrowser } from './factories/web';

/** The site's foot, as sent. */
const footerOf = (html: string) => /<footer class="site-footer">[\s\S]*?<\/footer>/.exec(html)?.[0] ?? '';

/** The addresses inside Haven that a page links to, without their #fragment, each once. */
const internalLinksOf = (html: string) => [
  ...new Set(
    [...html.matchAll(/href="(\/[^"#]*)(#[^"]*)?"/g)].map((m) => m[1]).filter((href) => !href.startsWith('/assets/')),
  ),
];

describe("The members' help page (/help)", () => {
  let t: TestApp;
  let member: BrowserSession;
  beforeAll(async () => {
    t = await startTestApp();
    member = await signInBrowser(t, await createUser(t));
  });
  afterAll(() => t.close());

  it('reads without an account and without scripts, with a section for each task and help now first', async () => {
    const res = await t.http.get('/help').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<h1>Help</h1>');
    expect(res.text).not.toContain('<script');
    const headings = [...res.text.matchAll(/<h2 id="([a-z-]+)">/g)].map((m) => m[1]);
    expect(headings).toEqual([
      'help-contents-heading',
      'help-now',
      'posting',
      'comments',
      'chat',
      'messages',
      'journal',
      'account',
      'more',
    ]);
    for (const id of headings.slice(1)) expect(res.text).toContain(`<a href="#${id}">`);
    expect(res.text).toContain('<a href="tel:988">988</a>');
    expect(res.text).toContain('<a href="/support">support lines page</a>');
    expect(res.text).toContain('Nobody else on Haven can read it');
    expect(res.text).toContain('<a href="/settings/account">Your data and your account</a>');
  });

  it('is linked from the foot of every page, for guests and members, the missing-page page too', async () => {
    for (const path of ['/', '/guidelines', '/articles', '/chat', '/help']) {
      const asGuest = await t.http.get(path).expect(200);
      expect(footerOf(asGuest.text)).toContain('<a href="/help">Help</a>');
      const asMember = await t.http.get(path).set('Cookie', member.cookie).expect(200);
      expect(footerOf(asMember.text)).toContain('<a href="/help">Help</a>');
    }
    const missing = await t.http.get('/no-such-page').expect(404);
    expect(footerOf(missing.text)).toContain('<a href="/help">Help</a>');
  });

  it('links only to pages that exist: each opens for a guest, or (settings) for a member', async () => {
    const res = await t.http.get('/help').set('Cookie', member.cookie).expect(200);
    const links = internalLinksOf(res.text);
    expect(links).toEqual(
      expect.arrayContaining(['/settings', '/settings/account', '/chat', '/guidelines', '/signup']),
    );
    for (const href of links) {
      const asGuest = await t.http.get(href);
      const status = asGuest.status === 200 ? 200 : (await t.http.get(href).set('Cookie', member.cookie)).status;
      expect({ href, status }).toEqual({ href, status: 200 });
    }
  });
});
