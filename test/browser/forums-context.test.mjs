// Replies in context in a real browser, at phone and desktop widths: a member selects words in a post and presses
// "Quote selection", mentions a member, and lands on the thread page that holds her reply (page 2 of a long thread,
// with the posts before it and page numbers), her post in view, the quote saying who wrote it and the mention a
// link; a guest reads the same page with no JavaScript. axe finds nothing on each page and state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, axeViolations, createMember, DESKTOP, launchBrowser, PHONE, signIn, startHaven } from './harness.mjs';

const CATEGORY = 'living-with-mbc';

describe('forums in context', () => {
  let haven;
  let browser;
  let author;
  let friend;
  let thread;
  let firstPostId;

  const trusted = async (options) => {
    const m = await createMember(haven, options);
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = $1', [m.id]);
    return m;
  };

  before(async () => {
    haven = await startHaven({ RATE_LIMITS: 'off' });
    browser = await launchBrowser();
    author = await trusted({ displayName: 'Maya Hart' });
    friend = await trusted({ displayName: 'Bo Lind' });
    const created = await api(haven, author, 'POST', `/categories/${CATEGORY}/threads`, {
      title: 'Long evenings after chemo',
      body: 'The evenings are the hardest part for me. What helps you wind down?',
    });
    assert.equal(created.status, 201);
    thread = created.body.thread;
    firstPostId = created.body.post.id;
    for (let i = 1; i <= 24; i++) {
      const r = await api(haven, author, 'POST', `/threads/${thread.id}/posts`, { body: `Evening note number ${i}` });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`a member quotes a selection, mentions a friend and lands on her reply in context (${name})`, async () => {
      const member = await trusted({ displayName: `Reader ${name}` });
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${haven.base}/signin`);
      await signIn(page, haven, member);
      await page.goto(`${haven.base}/t/${thread.id}`);
      const pages = page.getByRole('navigation', { name: 'Pages of this thread' });
      assert.equal(await pages.getByRole('link', { name: 'Page 1' }).getAttribute('aria-current'), 'page');
      assert.equal(await pages.getByRole('link', { name: 'Next page' }).count(), 1);
      assert.deepEqual(await axeViolations(page), []);

      // Select "the hardest part" in the first post, then quote just that.
      await page.locator(`#post-${firstPostId} .post-body p`).evaluate((p) => {
        const text = p.firstChild;
        const start = text.textContent.indexOf('the hardest part');
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, start + 'the hardest part'.length);
        document.getSelection().removeAllRanges();
        document.getSelection().addRange(range);
      });
      await page
        .locator(`#post-${firstPostId}`)
        .getByRole('button', { name: /Quote selection/ })
        .click();
      const composer = page.getByLabel('Your reply');
      assert.equal(await composer.inputValue(), `[quote=${firstPostId}]\nthe hardest part\n[/quote]\n\n`);
      assert.equal(await composer.evaluate((el) => el === document.activeElement), true);
      await composer.press('End');
      await composer.pressSequentially(`Same for me, @${friend.username}. I read until late.`);
      await page.getByRole('button', { name: 'Post reply' }).click();

      await page.waitForURL((url) => url.hash.startsWith('#post-'));
      const postId = new URL(page.url()).hash.slice('#post-'.length);
      assert.match(await page.getByRole('status').innerText(), /Your reply is posted/);
      const mine = page.locator(`#post-${postId}`);
      assert.match(await mine.innerText(), /I read until late/);
      // In view, with the posts before it on the same page (page 2 of 2).
      const box = await mine.boundingBox();
      assert.ok(
        box && box.y < viewport.height && box.y + box.height > 0,
        `her post is in view: ${JSON.stringify(box)}`,
      );
      assert.match(await page.locator('main').innerText(), /Evening note number 20/);
      assert.equal(
        await page
          .getByRole('navigation', { name: 'Pages of this thread' })
          .getByRole('link', { name: 'Page 2' })
          .getAttribute('aria-current'),
        'page',
      );
      const quote = mine.locator('blockquote');
      assert.equal(
        await quote.getByRole('link', { name: 'Maya Hart wrote:' }).getAttribute('href'),
        `/p/${firstPostId}`,
      );
      assert.match(await quote.innerText(), /the hardest part/);
      assert.equal(
        await mine.getByRole('link', { name: `@${friend.username}` }).getAttribute('href'),
        `/u/${friend.username}`,
      );
      assert.deepEqual(await axeViolations(page), []);

      // The quote's link leads back to the quoted post.
      await quote.getByRole('link', { name: 'Maya Hart wrote:' }).click();
      await page.waitForURL((url) => url.hash === `#post-${firstPostId}`);
      assert.match(await page.locator(`#post-${firstPostId}`).innerText(), /The evenings are the hardest part/);
      await context.close();
    });
  }

  test('a guest reads the numbered pages with no JavaScript', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/t/${thread.id}?page=2`);
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.getByRole('button', { name: /Quote selection/ }).count(), 0);
    const pages = page.getByRole('navigation', { name: 'Pages of this thread' });
    await pages.getByRole('link', { name: 'Previous page' }).click();
    assert.equal(new URL(page.url()).pathname, `/t/${thread.id}`);
    assert.match(await page.locator('main').innerText(), /Evening note number 19/);
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });
});
