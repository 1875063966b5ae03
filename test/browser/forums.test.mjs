// The forums in a real browser: a visitor reads a thread with JavaScript off; a member starts a thread and replies
// (preview, quote) and reports a post that then reaches the moderators' queue; axe finds nothing on the home,
// category, thread, new-thread, report and search pages, logged out and in, at phone and desktop widths; and
// screenshots of the main pages for the docs.
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

const CATEGORY = 'living-with-mbc';

describe('forums', () => {
  let haven;
  let browser;
  let author;
  let reader;
  let moderator;
  let thread;
  let firstPostId;

  /** A member whose posts are published at once (as after their first approved post). */
  const trusted = async (options) => {
    const m = await createMember(haven, options);
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = $1', [m.id]);
    return m;
  };

  before(async () => {
    haven = await startHaven({ RATE_LIMITS: 'off' });
    browser = await launchBrowser();
    author = await trusted({ displayName: 'Maya Hart' });
    reader = await trusted({ displayName: 'Ruth Green' });
    moderator = await createMember(haven, { role: 'moderator', displayName: 'Mod Sam' });
    const other = await trusted({ displayName: 'Jo Rivers' });
    const created = await api(haven, author, 'POST', `/categories/${CATEGORY}/threads`, {
      title: 'Scan day: what helps you get through it?',
      body: 'My next scan is on **Thursday**. What do you do while you wait?\n\n- music\n- a friend on the phone\n- tea',
    });
    assert.equal(created.status, 201);
    thread = created.body.thread;
    firstPostId = created.body.post.id;
    const replies = [
      [other, { body: 'I knit in the waiting room. It keeps my hands busy and my mind *quiet*.' }],
      [author, { body: 'The results last time were hard to read about.', contentWarning: 'scan results' }],
      [other, { body: 'Sending you a hug for Thursday.', anonymous: true }],
    ];
    for (const [who, body] of replies) {
      const r = await api(haven, who, 'POST', `/threads/${thread.id}/posts`, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    assert.equal((await api(haven, other, 'PUT', `/posts/${firstPostId}/reactions/hug`)).status, 200);
    assert.equal((await api(haven, reader, 'PUT', `/posts/${firstPostId}/reactions/support`)).status, 200);
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  test('a visitor reads a thread with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    const res = await page.goto(`${haven.base}/`);
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('script').count(), 0);
    await page.locator('.category-list').getByRole('link', { name: 'Living with metastatic breast cancer' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Living with metastatic breast cancer');
    await page.getByRole('link', { name: thread.title }).click();
    assert.equal(new URL(page.url()).pathname, `/t/${thread.id}`);
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('h1').innerText(), thread.title);
    assert.match(await page.locator(`#post-${firstPostId} .post-body`).innerText(), /Thursday/);
    assert.match(await page.locator('main').innerText(), /I knit in the waiting room/);
    assert.match(await page.locator('main').innerText(), /Anonymous member/);
    // The content warning hides its text until opened, natively.
    const warning = page.locator('details.content-warning');
    assert.equal(await warning.locator('summary').innerText(), 'Content warning: scan results');
    assert.equal(await warning.locator('.post-body').isVisible(), false);
    await warning.locator('summary').click();
    assert.equal(await warning.locator('.post-body').isVisible(), true);
    assert.match(await page.locator(`#post-${firstPostId}`).innerText(), /Support 1 · Hug 1/);
    assert.equal(await page.getByRole('link', { name: 'Sign in to reply' }).count(), 1);
    await context.close();
  });

  test('a member starts a thread with a preview, then replies quoting a post (JavaScript off)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/c/${CATEGORY}`);
    await page.getByRole('link', { name: 'Sign in to start a thread' }).click();
    await signIn(page, haven, reader);
    assert.equal(new URL(page.url()).pathname, `/c/${CATEGORY}/new`);
    await page.getByLabel('Title').fill('Gentle exercise after treatment');
    await page.getByLabel('Your message').fill('What **gentle** exercise has helped you?');
    await page.getByRole('button', { name: 'Preview' }).click();
    assert.equal(await page.locator('.preview .post-body strong').innerText(), 'gentle');
    assert.equal(await page.getByLabel('Your message').inputValue(), 'What **gentle** exercise has helped you?');
    await page.getByRole('button', { name: 'Post thread' }).click();
    assert.match(new URL(page.url()).pathname, /^\/t\/\d+$/);
    assert.match(await page.getByRole('status').innerText(), /Your thread is posted/);
    assert.equal(await page.locator('h1').innerText(), 'Gentle exercise after treatment');

    await page.goto(`${haven.base}/t/${thread.id}`);
    await page.getByRole('link', { name: 'Quote this post by Maya Hart' }).first().click();
    const composer = page.getByLabel('Your reply');
    assert.match(
      await composer.inputValue(),
      new RegExp(`^\\[quote=${firstPostId}\\]\\nMy next scan is on \\*\\*Thursday\\*\\*`),
    );
    await composer.press('End');
    await composer.fill(`${await composer.inputValue()}Music helps me too.`);
    await page.getByRole('button', { name: 'Preview' }).click();
    assert.match(await page.locator('.preview blockquote').innerText(), /Thursday/);
    await page.getByRole('button', { name: 'Post reply' }).click();
    assert.match(await page.getByRole('status').innerText(), /Your reply is posted/);
    const mine = page.locator('article.post').filter({ hasText: 'Music helps me too.' });
    assert.equal(await mine.count(), 1);
    assert.match(await mine.locator('blockquote').innerText(), /Thursday/);
    await context.close();
  });

  test('a member reports a post, and it reaches the moderators’ queue', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin`);
    await signIn(page, haven, reader);
    await page.goto(`${haven.base}/t/${thread.id}`);
    await page.getByRole('link', { name: 'Report this post by Maya Hart' }).first().click();
    assert.equal(await page.locator('h1').innerText(), 'Report a post');
    await page.getByRole('button', { name: 'Send report' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Please choose what is wrong/);
    await page.getByLabel('What is wrong?').selectOption('misinformation');
    await page.getByLabel('Anything the moderators should know (optional)').fill('Please check the claim about scans.');
    await page.getByRole('button', { name: 'Send report' }).click();
    assert.match(await page.getByRole('status').innerText(), /A moderator will look at it/);
    const queue = await api(haven, moderator, 'GET', '/moderation/queue?limit=100');
    assert.equal(queue.status, 200);
    const item = queue.body.items.find((i) => i.targetType === 'post' && i.targetId === firstPostId);
    assert.ok(item, 'the reported post is in the queue');
    await context.close();
  });

  const pages = () => [
    ['home', '/'],
    ['category', `/c/${CATEGORY}`],
    ['thread', `/t/${thread.id}`],
    ['new-thread', `/c/${CATEGORY}/new`],
    ['report', `/report/post/${firstPostId}`],
    ['search', '/search?q=scan'],
  ];

  for (const [width, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`axe finds nothing on the forum pages, logged out and in (${width})`, async () => {
      for (const who of [undefined, reader, moderator]) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        if (who) {
          await page.goto(`${haven.base}/signin`);
          await signIn(page, haven, who);
        }
        for (const [name, path] of pages()) {
          const res = await page.goto(`${haven.base}${path}`);
          assert.equal(res.status(), 200, `${name} as ${who?.username ?? 'guest'}`);
          assert.deepEqual(await axeViolations(page), [], `${name} as ${who?.username ?? 'guest'} (${width})`);
        }
        if (who === reader) {
          // A refused form and a preview are pages too.
          await page.goto(`${haven.base}/c/${CATEGORY}/new`);
          await page.getByLabel('Title').fill('Hi');
          await page.getByRole('button', { name: 'Post thread' }).click();
          assert.deepEqual(await axeViolations(page), [], `refused new thread (${width})`);
          await page.goto(`${haven.base}/t/${thread.id}`);
          await page.getByLabel('Your reply').fill('A *preview*');
          await page.getByRole('button', { name: 'Preview' }).click();
          assert.deepEqual(await axeViolations(page), [], `reply preview (${width})`);
        }
        await context.close();
      }
    });
  }

  test('screenshots of the main pages at phone and desktop widths', async () => {
    for (const [width, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
      const guest = await browser.newContext({ viewport });
      const guestPage = await guest.newPage();
      await guestPage.goto(`${haven.base}/`);
      await guestPage.screenshot({ path: screenshotPath(`forums-home-${width}`), fullPage: true });
      await guestPage.goto(`${haven.base}/c/${CATEGORY}`);
      await guestPage.screenshot({ path: screenshotPath(`forums-category-${width}`), fullPage: true });
      await guest.close();
      const member = await browser.newContext({ viewport });
      const page = await member.newPage();
      await page.goto(`${haven.base}/signin`);
      await signIn(page, haven, reader);
      await page.goto(`${haven.base}/t/${thread.id}`);
      await page.locator('details.content-warning summary').click();
      await page.screenshot({ path: screenshotPath(`forums-thread-${width}`), fullPage: true });
      await member.close();
    }
  });
});
