// The article page in a real browser: the seeded article's text, reviewer, disclaimer, "Rate This" and "There are
// no comments yet"; a guest commenting (captcha solved from the keyboard) and told it awaits a moderator, then
// seeing it once approved; a member rating it; no scripts at all for a member reading it; axe at 0 violations
// logged out and in; screenshots at phone and desktop widths.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api,
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

describe('article page', () => {
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

  test('shows the article, its reviewer and disclaimer, Rate This and that there are no comments yet', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${haven.base}${ARTICLE}`);
    assert.equal(await page.locator('h1').innerText(), 'Breast Cancer Stage Four');
    assert.match(await page.locator('.article-body').innerText(), /also called metastatic or advanced breast cancer/);
    assert.equal(await page.getByRole('heading', { name: 'How it is treated' }).count(), 1);
    assert.match(await page.locator('.article-reviewer').innerText(), /Reviewed by the Haven medical advisory group/);
    assert.match(
      await page.getByRole('complementary', { name: 'Disclaimer' }).innerText(),
      /general information, not medical advice/,
    );
    assert.equal(await page.getByRole('heading', { name: 'Rate This' }).count(), 1);
    assert.equal(await page.getByRole('link', { name: 'Sign in to rate this article' }).count(), 1);
    assert.equal(await page.getByText('There are no comments yet.').count(), 1);
    assert.equal(await page.getByRole('heading', { name: 'Add a comment' }).count(), 1);
    await context.close();
  });

  test('a guest comments, is told it awaits a moderator, and sees it once a moderator approves it', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}${ARTICLE}#add-comment`);
    await page.getByLabel('Your comment').fill('Thank you for explaining this so gently. It helped my sister and me.');
    await page.getByLabel('Your name').fill('Ines');
    await page.getByLabel('Your name').focus();
    // The honeypot is skipped by Tab: the next stops are the guidelines checkbox, then the captcha.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'acceptTerms');
    await page.keyboard.press('Space');
    for (let i = 0; i < 6 && !(await page.evaluate(() => !!document.activeElement?.closest('altcha-widget'))); i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('altcha-widget')?.getState?.() === 'verified', null, {
      timeout: 30_000,
    });
    await page.getByRole('button', { name: 'Post my comment' }).click();
    await page.waitForURL((url) => url.pathname === ARTICLE);
    assert.match(
      await page.getByRole('status').first().innerText(),
      /Thank you for your comment. It will appear here once a moderator has read it./,
    );
    assert.equal(await page.getByText('There are no comments yet.').count(), 1);
    assert.deepEqual(await axeViolations(page), []);

    const moderator = await createMember(haven, { role: 'moderator' });
    const { rows } = await haven.query(`SELECT id FROM comments WHERE author_name = 'Ines'`);
    const queue = await api(haven, moderator, 'GET', '/moderation/queue?type=comment');
    const item = queue.body.items.find((i) => i.targetId === rows[0].id);
    assert.ok(item, 'the comment is on the queue');
    assert.equal(
      (await api(haven, moderator, 'POST', `/moderation/queue/${item.id}/resolve`, { action: 'approve' })).status,
      200,
    );
    await page.goto(`${haven.base}${ARTICLE}`);
    const comment = page.locator(`#comment-${rows[0].id}`);
    assert.match(await comment.innerText(), /Ines[\s\S]*\(guest\)[\s\S]*It helped my sister and me/);
    assert.equal(await page.getByText('There are no comments yet.').count(), 0);
    await context.close();
  });

  test('a member rates the article and reads it without any script', async () => {
    const member = await createMember(haven, { displayName: 'Rating Reader' });
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin?next=${encodeURIComponent(ARTICLE)}`);
    await signIn(page, haven, member);
    assert.equal(new URL(page.url()).pathname, ARTICLE);
    assert.equal(await page.locator('script').count(), 0, 'no scripts for a member reading the article');
    await page.getByRole('radio', { name: '4 stars' }).check();
    await page.getByRole('button', { name: 'Send my rating' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /Thank you for rating this article/);
    assert.match(await page.locator('.rating-summary').innerText(), /Rated 4\.0 out of 5 by 1 member/);
    assert.equal(await page.getByRole('radio', { name: '4 stars' }).isChecked(), true);
    await context.close();
  });

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`axe finds nothing on the article page, logged out and in (${name})`, async () => {
      const member = await createMember(haven, { displayName: 'Axe Member' });
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${haven.base}${ARTICLE}`);
      await page.locator('altcha-widget input[type="checkbox"]').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'logged out');
      await page.screenshot({ path: screenshotPath(`articles-article-${name}`), fullPage: true });
      // A refused guest comment keeps its text and stays accessible.
      await page.getByLabel('Your comment').fill('Kept words');
      await page.getByLabel('Type the characters from a picture').check();
      await page.getByRole('button', { name: 'Post my comment' }).click();
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByLabel('Your comment').inputValue(), 'Kept words');
      assert.deepEqual(await axeViolations(page), [], 'refused comment');
      await page.goto(`${haven.base}/signin?next=${encodeURIComponent(ARTICLE)}`);
      await signIn(page, haven, member);
      assert.deepEqual(await axeViolations(page), [], 'logged in');
      await context.close();
    });
  }
});
