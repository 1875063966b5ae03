// Forms in a real browser (GOV.UK's error summary pattern): a refused form lists every problem at the top, each a
// link to its field, and the page lands on that summary; an accepted form's thanks sits beside the form and the
// page lands on it. Measured on a phone (390x844) on the long article page, where the message used to be 4,000 px
// away. The kind 404 page for unknown addresses. axe at 0 violations at phone and desktop widths.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  axeViolations,
  createMember,
  DESKTOP,
  launchBrowser,
  PHONE,
  screenshotPath,
  signIn,
  startHaven,
} from './harness.mjs';

const ARTICLE = '/articles/breast-cancer-stage-four';

/** Where an element sits in the viewport: true when all of its top line is on the screen. */
async function inView(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return { found: false };
    const box = el.getBoundingClientRect();
    return { found: true, top: box.top, bottom: box.bottom, visible: box.top >= 0 && box.top < window.innerHeight };
  }, selector);
}

describe('forms', () => {
  let haven;
  let browser;
  before(async () => {
    haven = await startHaven();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  test('on a phone, a refused and then an accepted comment on the long article each land their message in view', async () => {
    const member = await createMember(haven, { displayName: 'Phone Reader' });
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin?next=${encodeURIComponent(ARTICLE)}`);
    await signIn(page, haven, member);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height > 3 * PHONE.height, `the article page is long (${height} px)`);

    // Refused: nothing written. The page comes back on the summary, which links to the comment field.
    await page.locator('#add-comment').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Post my comment' }).click();
    await page.waitForURL((url) => url.hash === '#form-problem');
    await page.locator('#form-problem').waitFor();
    const refused = await inView(page, '#form-problem');
    assert.ok(refused.visible, `the error summary is in view (top ${refused.top})`);
    assert.equal(await page.locator('#form-problem h2').innerText(), 'There is a problem');
    assert.equal(await page.locator('#form-problem').getAttribute('role'), 'alert');
    const link = page.locator('#form-problem a[href="#comment-body"]');
    assert.match(await link.innerText(), /Your comment is empty/);
    assert.match(await page.locator('#comment-body-error').innerText(), /Your comment is empty/);
    assert.deepEqual(await axeViolations(page), [], 'refused comment');
    await page.screenshot({ path: screenshotPath('forms-comment-refused-phone') });
    // The summary's link takes her to the field.
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment-body');

    // Accepted: the thanks is beside the form and in view.
    await page.getByLabel('Your comment').fill('Thank you, this was gentle and clear.');
    await page.getByRole('button', { name: 'Post my comment' }).click();
    await page.waitForURL((url) => url.hash === '#comment-thanks');
    await page.locator('#comment-thanks').waitFor();
    const thanked = await inView(page, '#comment-thanks');
    assert.ok(thanked.visible, `the thanks is in view (top ${thanked.top})`);
    assert.match(await page.locator('#comment-thanks').innerText(), /Thank you|posted/);
    assert.equal(await page.locator('.flash').count(), 1, 'the thanks is shown once, beside the form');
    assert.deepEqual(await axeViolations(page), [], 'accepted comment');
    await page.screenshot({ path: screenshotPath('forms-comment-thanks-phone') });
    await context.close();
  });

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`a refused sign-up lists every problem, linked to its field, and asks for the password again (${name})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${haven.base}/signup`);
      await page.getByLabel('Username').fill('x!');
      await page.getByLabel('Email').fill('not-an-address');
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByLabel('Type the characters from a picture').check();
      await page.getByRole('button', { name: 'Create my account' }).click();
      await page.waitForURL((url) => url.hash === '#form-problem');
      const summary = page.locator('#form-problem');
      await summary.waitFor();
      assert.ok((await inView(page, '#form-problem')).visible, 'the summary is in view');
      const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, ['#username', '#email', '#password', '#acceptGuidelines', '#captcha']);
      assert.match(await page.locator('#password-error').innerText(), /Please type your password again/);
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
      assert.equal(await page.getByLabel('Username').getAttribute('aria-invalid'), 'true');
      await summary.locator('a[href="#email"]').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
      assert.deepEqual(await axeViolations(page), []);
      await page.screenshot({ path: screenshotPath(`forms-signup-refused-${name}`), fullPage: true });
      await context.close();
    });

    test(`an unknown address gets the kind 404 page in the site's layout (${name})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      for (const path of ['/no-such-page', '/t/999999999', '/u/nobody_by_that_name']) {
        const res = await page.goto(`${haven.base}${path}`);
        assert.equal(res.status(), 404);
        assert.equal(await page.locator('h1').innerText(), 'Page not found');
        assert.equal(await page.getByRole('link', { name: 'Go to the discussions' }).count(), 1);
        assert.equal(await page.getByRole('link', { name: 'Search Haven' }).count(), 1);
        assert.equal(await page.getByRole('link', { name: 'Find support lines' }).count(), 1);
        assert.doesNotMatch(await page.locator('body').innerText(), /Cannot GET/);
        assert.deepEqual(await axeViolations(page), [], path);
      }
      await page.screenshot({ path: screenshotPath(`forms-not-found-${name}`), fullPage: true });
      await context.close();
    });
  }
});
