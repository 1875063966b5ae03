// The library in a real browser: the crisis banner is one line on a phone and "More support lines" opens the rest
// without JavaScript; the articles list, an article, the site pages and the support lines read with 0 axe
// violations at phone and desktop widths; an admin writes an article with a preview (no JavaScript) and publishes it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeViolations, createMember, DESKTOP, launchBrowser, PHONE, signIn, startHaven } from './harness.mjs';

describe('library', () => {
  let haven;
  let browser;
  let admin;
  before(async () => {
    haven = await startHaven();
    browser = await launchBrowser();
    admin = await createMember(haven, { role: 'admin', displayName: 'Ada Admin' });
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  test('the crisis banner is one line on a phone, and "More support lines" opens the rest (the page loads no script)', async () => {
    // JavaScript stays on for axe; the pages load none (checked below), so <details> opens by itself.
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${haven.base}/articles`);
    const first = page.locator('.crisis-first');
    const summary = page.locator('.crisis-banner summary');
    assert.match(await first.innerText(), /Need help now\? Call 116 123/);
    const line = await first.boundingBox();
    const toggle = await summary.boundingBox();
    const lineHeight = await first.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    assert.ok(line.height < lineHeight * 1.5, `the first line wraps: ${line.height}px for a ${lineHeight}px line`);
    assert.ok(Math.abs(line.y - toggle.y) < lineHeight / 2, 'the "More support lines" toggle sits on the same line');
    const banner = await page.locator('.crisis-banner').boundingBox();
    assert.ok(banner.height < lineHeight * 2.5, `the closed banner is ${banner.height}px tall`);
    assert.equal(await page.getByText('Breast Cancer Now nurse helpline').isVisible(), false);
    assert.deepEqual(await axeViolations(page), []);

    await summary.click();
    assert.equal(await page.getByText('Breast Cancer Now nurse helpline').isVisible(), true);
    assert.equal(await page.getByRole('link', { name: 'Support lines in every country' }).isVisible(), true);
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await page.locator('script').count(), 0);
    await context.close();
  });

  test('without a country the banner keeps the generic words', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'en' });
    const page = await context.newPage();
    await page.goto(`${haven.base}/support`);
    assert.match(await page.locator('.crisis-first').innerText(), /Call your local emergency number/);
    await page.locator('.crisis-banner summary').click();
    assert.match(await page.locator('.crisis-more-body').innerText(), /116 123/);
    await context.close();
  });

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`axe finds nothing on the library's pages (${name})`, async () => {
      const context = await browser.newContext({ viewport, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${haven.base}/articles`);
      assert.equal(await page.locator('h1').innerText(), 'Articles');
      assert.deepEqual(await axeViolations(page), []);
      await page.getByRole('link', { name: 'Breast Cancer Stage Four' }).click();
      assert.equal(await page.getByRole('heading', { name: 'Sources' }).isVisible(), true);
      assert.deepEqual(await axeViolations(page), []);
      for (const path of ['/about', '/privacy', '/terms', '/contact', '/support']) {
        await page.goto(`${haven.base}${path}`);
        assert.deepEqual(await axeViolations(page), [], path);
      }
      assert.match(await page.locator('.crisis-first').innerText(), /988/);
      await context.close();
    });
  }

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`an admin previews and publishes an article, and edits the site pages and support lines (${name})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, haven, admin);
      await page.goto(`${haven.base}/admin/articles/new`);
      // Admins load one island on every page (the moderators' live crisis alerts); the editor itself needs none.
      assert.equal(
        await page.locator('script:not([src*="/notifications-"])').count(),
        0,
        'the editor and its preview need no JavaScript',
      );
      assert.deepEqual(await axeViolations(page), []);
      const key = `scan-days-${name}`;
      await page.getByLabel('Title').fill(`Scan days (${name})`);
      await page.getByLabel('Address (key)').fill(key);
      await page.getByLabel('Summary').fill('Getting through the days around a scan.');
      await page.getByLabel('Text', { exact: true }).fill('## Before the scan\n\nBring a friend if you can.');
      await page.getByLabel('Reviewers').fill('Dr A. Smith, consultant medical oncologist');
      await page.getByLabel('Date reviewed').fill('2026-12-01');
      await page.getByLabel('Next review date').fill('2027-12-01');
      await page
        .getByLabel('Sources')
        .fill('NHS: Breast cancer | https://www.nhs.uk/conditions/breast-cancer-in-women/');
      await page.getByRole('button', { name: 'Preview' }).click();
      assert.equal(await page.getByRole('heading', { name: 'Before the scan' }).isVisible(), true);
      assert.equal(await page.getByLabel('Title').inputValue(), `Scan days (${name})`);
      assert.deepEqual(await axeViolations(page), []);
      await page.getByRole('button', { name: 'Publish the article' }).click();
      assert.equal(new URL(page.url()).pathname, `/articles/${key}`);
      assert.match(await page.getByRole('status').first().innerText(), /is published/);
      assert.match(
        await page.locator('.article-review').innerText(),
        /reviewed by Dr A\. Smith, consultant medical oncologist on 1 December 2026\.\s+Next review due 1 December 2027\./,
      );
      assert.deepEqual(await axeViolations(page), []);

      await page.goto(`${haven.base}/admin/articles/${key}/edit`);
      assert.deepEqual(await axeViolations(page), []);
      await page.goto(`${haven.base}/admin/site-pages/about`);
      await page.getByRole('button', { name: 'Preview' }).click();
      assert.equal(await page.getByRole('heading', { name: 'Preview (not saved yet)' }).isVisible(), true);
      assert.deepEqual(await axeViolations(page), []);
      await page.goto(`${haven.base}/admin/support-lines`);
      assert.deepEqual(await axeViolations(page), []);
      await page.getByLabel('Country code').fill('NZ');
      await page.getByLabel('Name').fill(`Lifeline Aotearoa ${name}`);
      await page.getByLabel('Phone number').fill('0800 543 354');
      await page.getByRole('button', { name: 'Add the line' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Added Lifeline Aotearoa/);
      await page.getByRole('button', { name: 'Add the line' }).click();
      assert.match(await page.getByRole('alert').first().innerText(), /Country code must be a two-letter country code/);
      assert.deepEqual(await axeViolations(page), []);
      await context.close();
    });
  }
});
