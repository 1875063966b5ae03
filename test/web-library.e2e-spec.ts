import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { createUser } from './factories/users';
import { type BrowserSession, setCookies, signInBrowser } from './factories/web';
import { eventually } from './support/eventually';

const STARTER = 'breast-cancer-stage-four';

const flashOf = (res: { headers: Record<string, unknown> }) => decodeURIComponent(setCookies(res).haven_flash ?? '');

/** The crisis banner of a page, as sent. */
const bannerOf = (html: string) => /<aside class="crisis-banner"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? '';

describe('The library in the pages: articles, site pages and support lines (web)', () => {
  let t: TestApp;
  let admin: BrowserSession;
  let member: BrowserSession;
  let moderator: BrowserSession;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await signInBrowser(t, await createUser(t, { role: 'admin' }));
    member = await signInBrowser(t, await createUser(t));
    moderator = await signInBrowser(t, await createUser(t, { role: 'moderator' }));
  });
  afterAll(() => t.close());

  function post(browser: BrowserSession, path: string, fields: Record<string, string>) {
    return t.http
      .post(path)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, ...fields });
  }

  const newKey = () => `article-${randomBytes(4).toString('hex')}`;

  function articleFields(key: string, over: Record<string, string> = {}) {
    return {
      key,
      title: `Scan days ${key}`,
      summary: 'How people get through the days around a scan.',
      body: '## Before the scan\n\nMany people feel **anxious**. See the [support chat](/chat).\n\n- Bring a friend\n- Ask for results timing',
      reviewers: 'Dr A. Smith, consultant medical oncologist\nB. Jones, clinical nurse specialist',
      reviewedOn: '2026-12-01',
      nextReviewOn: '2027-12-01',
      sources:
        'NHS: Breast cancer | https://www.nhs.uk/conditions/breast-cancer-in-women/\nMacmillan https://www.macmillan.org.uk/',
      ...over,
    };
  }

  describe('/articles', () => {
    it('lists the articles with their summary, for guests and members', async () => {
      for (const cookie of ['', member.cookie]) {
        const res = await t.http.get('/articles').set('Cookie', cookie).expect(200);
        expect(res.text).toContain('<h1>Articles</h1>');
        expect(res.text).toContain(`<a href="/articles/${STARTER}">Breast Cancer Stage Four</a>`);
        expect(res.text).toContain('Stage four (metastatic) breast cancer in plain words');
        expect(res.text).not.toContain('href="/admin/articles"');
      }
      const mine = await t.http.get('/articles').set('Cookie', admin.cookie).expect(200);
      expect(mine.text).toContain('href="/admin/articles"');
    });

    it('shows the seeded article from the database: its Markdown as HTML, reviewer, sources, comments', async () => {
      const res = await t.http.get(`/articles/${STARTER}`).expect(200);
      expect(res.text).toContain('<h2>How it is treated</h2>');
      expect(res.text).toContain('<a href="/chat">support chat</a>');
      expect(res.text).toContain('Reviewed by the Haven medical advisory group');
      expect(res.text).toContain('<h2 id="sources-heading">Sources</h2>');
      expect(res.text).toContain('href="https://www.nhs.uk/conditions/breast-cancer-in-women/"');
      expect(res.text).toContain('<h2 id="add-comment-heading">Add a comment</h2>');
    });
  });

  describe('the article editor (/admin/articles)', () => {
    it('previews without saving, then publishes an article with reviewers, dates and sources', async () => {
      const key = newKey();
      const form = await t.http.get('/admin/articles/new').set('Cookie', admin.cookie).expect(200);
      expect(form.text).toContain('<label for="article-reviewers">Reviewers</label>');
      const preview = await post(admin, '/admin/articles/new', { ...articleFields(key), intent: 'preview' }).expect(
        200,
      );
      expect(preview.text).toContain('Preview (not saved yet)');
      expect(preview.text).toContain('<h2>Before the scan</h2>');
      expect(preview.text).toContain('<strong>anxious</strong>');
      expect(preview.text).toContain(
        'Reviewed by Dr A. Smith, consultant medical oncologist and B. Jones, clinical nurse specialist on 1 December 2026',
      );
      expect(preview.text).toContain('- Bring a friend\n- Ask for results timing</textarea>');
      await t.http.get(`/articles/${key}`).expect(404);

      const saved = await post(admin, '/admin/articles/new', { ...articleFields(key), intent: 'save' }).expect(303);
      expect(saved.headers.location).toBe(`/articles/${key}`);
      expect(flashOf(saved)).toContain('is published');
      const page = await t.http.get(`/articles/${key}`).expect(200);
      expect(page.text).toContain(`<h1 id="article-title">Scan days ${key}</h1>`);
      expect(page.text).toContain('How people get through the days around a scan.');
      expect(page.text).toContain(
        'This information was reviewed by Dr A. Smith, consultant medical oncologist and B. Jones, clinical nurse specialist on <time datetime="2026-12-01">1 December 2026</time>.',
      );
      expect(page.text).toContain('Next review due <time datetime="2027-12-01">1 December 2027</time>.');
      expect(page.text).toContain('<a href="https://www.macmillan.org.uk/" rel="noopener">Macmillan</a>');
      expect(page.text).toContain('<h2 id="add-comment-heading">Add a comment</h2>');
      // Its comments and ratings hang on the comments feature's page of the same key.
      const api = await t.http.get(`/api/pages/${key}`).expect(200);
      expect(api.body).toMatchObject({ key, title: `Scan days ${key}`, commentCount: 0 });
      const list = await t.http.get('/articles').expect(200);
      expect(list.text).toContain(`<a href="/articles/${key}">Scan days ${key}</a>`);
      expect(list.text).toContain('Reviewed <time datetime="2026-12-01">1 December 2026</time>');
    });

    it('edits an article in place: its key stays, its title follows everywhere', async () => {
      const key = newKey();
      await post(admin, '/admin/articles/new', { ...articleFields(key), intent: 'save' }).expect(303);
      const form = await t.http.get(`/admin/articles/${key}/edit`).set('Cookie', admin.cookie).expect(200);
      expect(form.text).toContain('Dr A. Smith, consultant medical oncologist\nB. Jones, clinical nurse specialist');
      expect(form.text).toContain('NHS: Breast cancer | https://www.nhs.uk/conditions/breast-cancer-in-women/');
      const res = await post(admin, `/admin/articles/${key}/edit`, {
        ...articleFields(key, { key: 'another-key', title: 'Scan days, revised', sources: '' }),
        intent: 'save',
      }).expect(303);
      expect(res.headers.location).toBe(`/articles/${key}`);
      const page = await t.http.get(`/articles/${key}`).expect(200);
      expect(page.text).toContain('<h1 id="article-title">Scan days, revised</h1>');
      expect(page.text).not.toContain('sources-heading');
      await t.http.get('/articles/another-key').expect(404);
      await t.http.get('/admin/articles/no-such-article/edit').set('Cookie', admin.cookie).expect(404);
    });

    it('names every problem by its label and keeps what was typed', async () => {
      const key = newKey();
      const noComma = await post(admin, '/admin/articles/new', {
        ...articleFields(key, { reviewers: 'Dr Nobody' }),
        intent: 'save',
      }).expect(422);
      expect(noComma.text).toContain('Reviewers line “Dr Nobody” needs a name, a comma, then credentials');
      expect(noComma.text).toContain('Dr Nobody</textarea>');
      const dates = await post(admin, '/admin/articles/new', {
        ...articleFields(key, { nextReviewOn: '2026-01-01' }),
        intent: 'save',
      }).expect(422);
      expect(dates.text).toContain('Next review date must be after the date reviewed');
      const badKey = await post(admin, '/admin/articles/new', {
        ...articleFields('Not A Key!'),
        intent: 'save',
      }).expect(422);
      expect(badKey.text).toContain('Address (key) must be 2-100 characters');
      const noTitle = await post(admin, '/admin/articles/new', {
        ...articleFields(key, { title: '  ' }),
        intent: 'save',
      }).expect(422);
      expect(noTitle.text).toContain('Title must be 1-200 characters');
      const taken = await post(admin, '/admin/articles/new', {
        ...articleFields(STARTER),
        intent: 'save',
      }).expect(409);
      expect(taken.text).toContain(`An article with the key “${STARTER}” exists: edit it instead`);
      await t.http.get(`/articles/${key}`).expect(404);
    });

    it('is for admins only: guests sign in, members and moderators are refused', async () => {
      const key = newKey();
      for (const path of ['/admin/articles', '/admin/articles/new', `/admin/articles/${STARTER}/edit`]) {
        const guest = await t.http.get(path);
        expect(guest.status).toBe(303);
        expect(guest.headers.location).toMatch(/^\/signin\?next=/);
        await t.http.get(path).set('Cookie', member.cookie).expect(403);
        await t.http.get(path).set('Cookie', moderator.cookie).expect(403);
      }
      await post(member, '/admin/articles/new', { ...articleFields(key), intent: 'save' }).expect(403);
      await post(moderator, '/admin/articles/new', { ...articleFields(key), intent: 'save' }).expect(403);
      await post(moderator, `/admin/articles/${STARTER}/edit`, {
        ...articleFields(STARTER, { title: 'Taken over' }),
        intent: 'save',
      }).expect(403);
      await t.http.get(`/articles/${key}`).expect(404);
      const starter = await t.http.get(`/articles/${STARTER}`).expect(200);
      expect(starter.text).not.toContain('Taken over');
    });
  });

  describe('the site pages (/about, /privacy, /terms, /contact)', () => {
    it('are linked from every page’s footer and read with their starter text', async () => {
      const home = await t.http.get('/guidelines').expect(200);
      for (const path of ['/about', '/privacy', '/terms', '/contact', '/support']) {
        expect(home.text).toContain(`<a href="${path}">`);
      }
      expect((await t.http.get('/about').expect(200)).text).toContain('<h1 id="site-page-title">About Haven</h1>');
      const privacy = await t.http.get('/privacy').expect(200);
      expect(privacy.text).toContain('<h2>What we keep</h2>');
      expect(privacy.text).toContain('Your email address is never shown to other members');
      expect((await t.http.get('/terms').expect(200)).text).toContain('Terms of use');
      expect((await t.http.get('/contact').expect(200)).text).toContain('Contact us');
    });

    it('are edited by admins, with a preview, and by nobody else', async () => {
      const body = `We are here.\n\n## Write to us\n\nAt [the guidelines](/guidelines). ${randomBytes(3).toString('hex')}`;
      const preview = await post(admin, '/admin/site-pages/contact', {
        title: 'Contact us',
        body,
        intent: 'preview',
      }).expect(200);
      expect(preview.text).toContain('<h2>Write to us</h2>');
      expect((await t.http.get('/contact').expect(200)).text).not.toContain('Write to us');
      const empty = await post(admin, '/admin/site-pages/contact', { title: 'Contact us', body: ' ', intent: 'save' });
      expect(empty.status).toBe(422);
      expect(empty.text).toContain('Text must be 1-100000 characters');
      const saved = await post(admin, '/admin/site-pages/contact', { title: 'Contact us', body, intent: 'save' });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe('/contact');
      const page = await t.http.get('/contact').expect(200);
      expect(page.text).toContain('<h2>Write to us</h2>');
      expect(page.text).toContain('<a href="/guidelines">the guidelines</a>');
      await eventually(async () => {
        const rows = (await t.db.query(
          `SELECT action FROM audit_log WHERE target_type = 'site_page' AND target_id = 'contact'`,
        )) as Array<{ action: string }>;
        expect(rows.map((r) => r.action)).toContain('site_page.update');
      });

      const list = await t.http.get('/admin/site-pages').set('Cookie', admin.cookie).expect(200);
      expect(list.text).toContain('href="/admin/site-pages/privacy"');
      await t.http.get('/admin/site-pages/nowhere').set('Cookie', admin.cookie).expect(404);
      await post(admin, '/admin/site-pages/nowhere', { title: 'x', body: 'y', intent: 'save' }).expect(404);
      for (const who of [member, moderator]) {
        await t.http.get('/admin/site-pages/about').set('Cookie', who.cookie).expect(403);
        await post(who, '/admin/site-pages/about', { title: 'Mine', body: 'Mine now', intent: 'save' }).expect(403);
      }
      expect((await t.http.get('/admin/site-pages').expect(303)).headers.location).toMatch(/^\/signin/);
      expect((await t.http.get('/about').expect(200)).text).not.toContain('Mine now');
    });
  });

  describe('support lines and the crisis banner', () => {
    it('lists the seeded lines by country, marked for an admin’s review', async () => {
      const page = await t.http.get('/support').expect(200);
      expect(page.text).toContain('<h2 id="support-GB">United Kingdom</h2>');
      expect(page.text).toContain('<a href="tel:116123">116 123</a>');
      expect(page.text).toContain('<a href="tel:08088006000">0808 800 6000</a>');
      expect(page.text).toContain('<h2 id="support-US">United States</h2>');
      expect(page.text).toContain('<a href="tel:988">988</a>');
      const admins = await t.http.get('/admin/support-lines').set('Cookie', admin.cookie).expect(200);
      expect(admins.text).toContain('Needs review');
    });

    it('shows the reader’s country first from her browser’s language, else the generic words', async () => {
      const uk = bannerOf((await t.http.get('/guidelines').set('Accept-Language', 'en-GB,en;q=0.9').expect(200)).text);
      expect(uk).toContain('Call <a href="tel:116123">116 123</a> <span class="crisis-name">(Samaritans)</span>');
      expect(uk).toContain('<summary>More support lines</summary>');
      expect(uk).toContain('Breast Cancer Now nurse helpline: <a href="tel:08088006000">0808 800 6000</a>');
      const us = bannerOf((await t.http.get('/guidelines').set('Accept-Language', 'en-US').expect(200)).text);
      expect(us).toContain('Call <a href="tel:988">988</a>');
      const later = bannerOf(
        (await t.http.get('/guidelines').set('Accept-Language', 'de-DE, en-IE;q=0.5').expect(200)).text,
      );
      expect(later).toContain('(Samaritans Ireland)');
      const none = bannerOf((await t.http.get('/guidelines').set('Accept-Language', 'en').expect(200)).text);
      expect(none).toContain('Call your local emergency number');
      expect(none).toContain('<a href="tel:116123">116 123</a>');
      expect(none).toContain('<a href="/support">Support lines in every country</a>');
    });

    it('lets admins add, edit and remove lines, and the banner follows at once', async () => {
      const nz = { 'Accept-Language': 'en-NZ' };
      expect(bannerOf((await t.http.get('/guidelines').set(nz)).text)).toContain('Call your local emergency number');
      const added = await post(admin, '/admin/support-lines', {
        country: 'nz',
        kind: 'crisis',
        name: 'Lifeline Aotearoa',
        phone: '0800 543 354',
        hours: 'Any time',
        url: 'https://www.lifeline.org.nz/',
      }).expect(303);
      expect(flashOf(added)).toContain('Added Lifeline Aotearoa (NZ)');
      const banner = bannerOf((await t.http.get('/guidelines').set(nz)).text);
      expect(banner).toContain('Call <a href="tel:0800543354">0800 543 354</a>');

      const list = await t.http.get('/admin/support-lines').set('Cookie', admin.cookie).expect(200);
      const id = /href="\/admin\/support-lines\/(\d+)">Edit<span class="visually-hidden"> Lifeline Aotearoa/.exec(
        list.text,
      )?.[1];
      expect(id).toBeDefined();
      const form = await t.http.get(`/admin/support-lines/${id}`).set('Cookie', admin.cookie).expect(200);
      expect(form.text).toContain('value="Lifeline Aotearoa"');
      await post(admin, `/admin/support-lines/${id}`, {
        country: 'NZ',
        kind: 'crisis',
        name: 'Lifeline NZ',
        phone: '0800 543 354',
        hours: '',
        url: '',
      }).expect(303);
      expect(bannerOf((await t.http.get('/guidelines').set(nz)).text)).toContain('(Lifeline NZ)');

      const bad = await post(admin, `/admin/support-lines/${id}`, {
        country: 'New Zealand',
        kind: 'emergency',
        name: 'Lifeline NZ',
        phone: 'call us',
        hours: '',
        url: 'ftp://x',
      }).expect(422);
      expect(bad.text).toMatch(/Country code must be a two-letter country code|Kind of line must be crisis or nurse/);
      expect(bad.text).toContain('value="call us"');

      await post(admin, `/admin/support-lines/${id}/remove`, {}).expect(303);
      await eventually(async () => {
        const rows = (await t.db.query(
          `SELECT action, note FROM audit_log WHERE target_type = 'support_line' AND target_id = $1 ORDER BY id`,
          [id],
        )) as Array<{ action: string; note: string | null }>;
        expect(rows.map((r) => r.action)).toEqual([
          'support_line.create',
          'support_line.update',
          'support_line.delete',
        ]);
        expect(rows[1].note).toBe('NZ crisis: Lifeline NZ 0800 543 354');
      });
      expect(bannerOf((await t.http.get('/guidelines').set(nz)).text)).toContain('Call your local emergency number');
      await t.http.get(`/admin/support-lines/${id}`).set('Cookie', admin.cookie).expect(404);
      await post(admin, `/admin/support-lines/${id}/remove`, {}).expect(404);
      await t.http.get('/admin/support-lines/not-a-number').set('Cookie', admin.cookie).expect(404);
    });

    it('refuses guests, members and moderators', async () => {
      const line = { country: 'ZA', kind: 'crisis', name: 'Taken over', phone: '0800 000 000', hours: '', url: '' };
      expect((await t.http.get('/admin/support-lines').expect(303)).headers.location).toMatch(/^\/signin/);
      for (const who of [member, moderator]) {
        await t.http.get('/admin/support-lines').set('Cookie', who.cookie).expect(403);
        await post(who, '/admin/support-lines', line).expect(403);
      }
      const [{ id }] = (await t.db.query(`SELECT id FROM support_lines WHERE country = 'GB' LIMIT 1`)) as Array<{
        id: string;
      }>;
      await post(moderator, `/admin/support-lines/${id}`, line).expect(403);
      await post(moderator, `/admin/support-lines/${id}/remove`, {}).expect(403);
      expect((await t.http.get('/support').expect(200)).text).not.toContain('Taken over');
    });

    it('reaches another process’s banner too (its copy is checked against the table)', async () => {
      const other = await startTestApp();
      try {
        const jp = { 'Accept-Language': 'ja-JP' };
        expect(bannerOf((await other.http.get('/guidelines').set(jp)).text)).toContain('local emergency number');
        await post(admin, '/admin/support-lines', {
          country: 'JP',
          kind: 'crisis',
          name: 'TELL Lifeline',
          phone: '03 5774 0992',
          hours: '',
          url: '',
        }).expect(303);
        await eventually(async () => {
          expect(bannerOf((await other.http.get('/guidelines').set(jp)).text)).toContain('(TELL Lifeline)');
        });
      } finally {
        await other.close();
      }
    });
  });
});
