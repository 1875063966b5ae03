// The live chat and notifications in a real browser: two members chatting in real time in two browser contexts
// (presence, typing, messages without a reload), sending from the form with JavaScript off, a notification arriving
// live on the notifications page, axe at 0 violations on every chat page logged out and in, the JavaScript budget
// of the chat pages, and their screenshots.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
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

const BUDGET = 20 * 1024;
/** No step waits forever: a hung page fails its test instead of the whole run. */
const TEST_TIMEOUT = 120_000;

describe('chat and notifications', () => {
  let haven;
  let browser;
  let mod;
  before(async () => {
    haven = await startHaven();
    browser = await launchBrowser();
    mod = await createMember(haven, { role: 'moderator', displayName: 'Morgan (moderator)' });
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  /** A room of the test's own, made by the moderator over the API. */
  async function newRoom(name = 'Evening tea') {
    const slug = `room-${randomBytes(4).toString('hex')}`;
    const res = await api(haven, mod, 'POST', '/chat/rooms', {
      slug,
      name,
      kind: 'open',
      description: 'A quiet room to share how the day went.',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return slug;
  }

  /** A signed-in page of a member's own browser context. */
  async function memberPage(member, viewport = DESKTOP, options = {}) {
    const context = await browser.newContext({ viewport, ...options });
    const page = await context.newPage();
    await signIn(page, haven, member);
    return { context, page };
  }

  /** Gzipped bytes of the JavaScript a page loads (its module scripts and the chunks they preload). */
  async function scriptBytes(page) {
    const urls = await page.evaluate(() => [
      ...[...document.querySelectorAll('script[src]')].map((s) => s.src),
      ...[...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.href),
    ]);
    let total = 0;
    for (const url of urls) total += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    return { total, count: urls.length };
  }

  const log = (page) => page.locator('[role="log"]');

  test(
    'two members chat in real time: presence, typing and messages without a reload',
    { timeout: TEST_TIMEOUT },
    async () => {
      const slug = await newRoom();
      const ann = await createMember(haven, { displayName: 'Ann Rivers' });
      const bea = await createMember(haven, { displayName: 'Bea Stone' });
      const a = await memberPage(ann);
      const b = await memberPage(bea);
      await a.page.goto(`${haven.base}/chat/${slug}`);
      await b.page.goto(`${haven.base}/chat/${slug}`);
      for (const { page } of [a, b]) {
        await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
        await page.evaluate(() => {
          window.loadedOnce = true;
        });
      }
      // Each sees both members here.
      for (const { page } of [a, b]) {
        const here = page.locator('[data-presence]');
        await here.getByText('Ann Rivers', { exact: true }).waitFor();
        await here.getByText('Bea Stone', { exact: true }).waitFor();
        assert.equal(await page.locator('[data-count]').innerText(), '2');
      }

      // Ann types: Bea is told, politely.
      const composer = a.page.getByLabel('Your message');
      await composer.pressSequentially('Hello Bea, how was ', { delay: 20 });
      const typing = b.page.locator('[data-typing]');
      await typing.getByText('Ann Rivers is typing…').waitFor();
      assert.equal(await typing.getAttribute('aria-live'), 'polite');

      // Ann sends with Enter: Bea sees it appear without reloading; the typing line clears.
      await composer.pressSequentially('your **scan**?', { delay: 10 });
      await composer.press('Enter');
      const arrived = log(b.page).locator('.chat-msg', { hasText: 'Hello Bea, how was your scan?' });
      await arrived.waitFor();
      assert.equal(await arrived.locator('strong').innerText(), 'scan');
      assert.equal(await arrived.locator('.chat-author').innerText(), 'Ann Rivers');
      await b.page.waitForFunction(() => document.querySelector('[data-typing]').textContent === '');
      // On Ann's side the message is confirmed (it has its id), not left "Sending…".
      const mine = log(a.page).locator('.chat-msg[data-id]', { hasText: 'Hello Bea' });
      await mine.waitFor();
      assert.equal(await log(a.page).locator('.chat-pending, .chat-failed').count(), 0);
      assert.equal(await composer.inputValue(), '');

      // Bea answers with the button; Ann sees it, after her own message.
      await b.page.getByLabel('Your message').fill('Long day, but the results were stable. Thank you for asking.');
      await b.page.getByRole('button', { name: 'Send' }).click();
      await log(a.page).getByText('the results were stable').waitFor();
      const order = await log(a.page)
        .locator('.chat-msg .chat-body')
        .evaluateAll((els) => els.map((e) => e.textContent.trim()));
      assert.deepEqual(order, [
        'Hello Bea, how was your scan?',
        'Long day, but the results were stable. Thank you for asking.',
      ]);
      for (const { page } of [a, b]) assert.equal(await page.evaluate(() => window.loadedOnce), true);

      // The room's log is the page's polite live region, and axe finds nothing with the room live.
      assert.equal(await log(b.page).getAttribute('aria-live'), 'polite');
      assert.deepEqual(await axeViolations(a.page), []);
      assert.deepEqual(await axeViolations(b.page), []);
      await a.page.screenshot({ path: screenshotPath('chat-room-desktop'), fullPage: true });

      // Bea leaves: Ann sees the presence list shrink.
      await b.context.close();
      await a.page.waitForFunction(() => document.querySelector('[data-count]')?.textContent === '1');
      await a.context.close();
    },
  );

  test(
    'a member who loses the connection catches up, and what they wrote meanwhile goes once they are back',
    { timeout: TEST_TIMEOUT },
    async () => {
      const slug = await newRoom('Catch-up room');
      const ann = await createMember(haven, { displayName: 'Ann Away' });
      const bea = await createMember(haven, { displayName: 'Bea Here' });
      const a = await memberPage(ann);
      const b = await memberPage(bea);
      await a.page.goto(`${haven.base}/chat/${slug}`);
      await b.page.goto(`${haven.base}/chat/${slug}`);
      await a.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await b.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

      // Offline as a phone goes offline: no network, and the page told so (headless chromium does not fire the event).
      await a.context.setOffline(true);
      await a.page.evaluate(() => window.dispatchEvent(new window.Event('offline')));
      await a.page.getByRole('status').filter({ hasText: 'You are offline' }).waitFor();
      await b.page.getByLabel('Your message').fill('Did you see the new guidelines?');
      await b.page.getByLabel('Your message').press('Enter');
      await log(b.page).locator('.chat-msg[data-id]', { hasText: 'new guidelines' }).waitFor();
      await a.page.getByLabel('Your message').fill('Sorry, my signal dropped.');
      await a.page.getByLabel('Your message').press('Enter');
      await log(a.page).getByText('Waiting for the connection').waitFor();
      // The island closed its socket before it said "You are offline": nothing can arrive now, no need to wait.
      assert.equal(await log(a.page).getByText('Did you see the new guidelines?').count(), 0);

      await a.context.setOffline(false);
      await a.page.evaluate(() => window.dispatchEvent(new window.Event('online')));
      await log(a.page).getByText('Did you see the new guidelines?').waitFor();
      await log(a.page).locator('.chat-msg[data-id]', { hasText: 'Sorry, my signal dropped.' }).waitFor();
      await log(b.page).getByText('Sorry, my signal dropped.').waitFor();
      const order = await log(a.page)
        .locator('.chat-msg .chat-body')
        .evaluateAll((els) => els.map((e) => e.textContent.trim()));
      assert.deepEqual(order, ['Did you see the new guidelines?', 'Sorry, my signal dropped.']);
      assert.equal(await log(a.page).locator('.chat-pending, .chat-failed').count(), 0);
      await a.context.close();
      await b.context.close();
    },
  );

  test(
    'a message the server refuses stays on the page, says why, and goes back to the composer to edit',
    { timeout: TEST_TIMEOUT },
    async () => {
      const admin = await createMember(haven, { role: 'admin' });
      const word = `shoutword${randomBytes(3).toString('hex')}`;
      assert.equal(
        (await api(haven, admin, 'POST', '/moderation/watched-words', { pattern: word, action: 'block' })).status,
        201,
      );
      const slug = await newRoom('Refusals room');
      const ann = await createMember(haven, { displayName: 'Ann Careful' });
      const a = await memberPage(ann, PHONE);
      await a.page.goto(`${haven.base}/chat/${slug}`);
      await a.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      const text = `Well, ${word} to that.`;
      await a.page.getByLabel('Your message').fill(text);
      await a.page.getByRole('button', { name: 'Send' }).click();
      const failed = log(a.page).locator('.chat-failed');
      await failed.getByText(/Not sent: .*please rephrase it/).waitFor();
      assert.equal(await failed.locator('.chat-body').innerText(), text);
      assert.deepEqual(await axeViolations(a.page), []);
      await failed.getByRole('button', { name: 'Edit' }).click();
      assert.equal(await a.page.getByLabel('Your message').inputValue(), text);
      assert.equal(await log(a.page).locator('.chat-failed').count(), 0);
      assert.equal(await a.page.evaluate(() => document.activeElement?.id), 'chat-body');
      await a.context.close();
    },
  );

  test(
    'sending works without JavaScript, and members with it see the message live',
    { timeout: TEST_TIMEOUT },
    async () => {
      const slug = await newRoom('No-script room');
      const ann = await createMember(haven, { displayName: 'Ann Plain' });
      const bea = await createMember(haven, { displayName: 'Bea Live' });
      const b = await memberPage(bea);
      await b.page.goto(`${haven.base}/chat/${slug}`);
      await b.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

      const a = await memberPage(ann, PHONE, { javaScriptEnabled: false });
      await a.page.goto(`${haven.base}/chat/${slug}`);
      await a.page.getByRole('button', { name: 'Send' }).click();
      assert.match(await a.page.getByRole('alert').innerText(), /Body must not be empty/);
      await a.page.getByLabel('Your message').fill('Sent from a plain form, _gently_.');
      await a.page.getByRole('button', { name: 'Send' }).click();
      await a.page.waitForURL(/\/chat\/[^/]+#m-\d+$/);
      const id = new URL(a.page.url()).hash.slice(3);
      const sent = a.page.locator(`#m-${id}`);
      assert.equal(await sent.locator('.chat-body').innerText(), 'Sent from a plain form, gently.');
      assert.equal(await sent.locator('em').innerText(), 'gently');
      await log(b.page).locator(`#m-${id}`).waitFor();
      // (axe needs JavaScript in the page: the room page is checked with it below.)
      await a.context.close();
      await b.context.close();
    },
  );

  test(
    'a mention arrives live on the notifications page: the list and the badge, without a reload',
    { timeout: TEST_TIMEOUT },
    async () => {
      const admin = await createMember(haven, { role: 'admin' });
      const ann = await createMember(haven, { displayName: 'Ann Writer' });
      const bea = await createMember(haven, { displayName: 'Bea Reader' });
      const category = `cat-${randomBytes(4).toString('hex')}`;
      assert.equal(
        (await api(haven, admin, 'POST', '/categories', { slug: category, name: 'Everyday life', approval: 'none' }))
          .status,
        201,
      );
      const thread = await api(haven, bea, 'POST', `/categories/${category}/threads`, {
        title: 'Small things that helped this week',
        body: 'For me it was a walk by the river.',
      });
      assert.equal(thread.status, 201, JSON.stringify(thread.body));

      const b = await memberPage(bea);
      await b.page.goto(`${haven.base}/notifications`);
      assert.match(await b.page.locator('[data-summary]').innerText(), /all caught up/);
      assert.equal(await b.page.locator('[data-unread]').count(), 0);
      await b.page.evaluate(() => {
        window.loadedOnce = true;
      });
      // The island is connected (it marks the list) before the mention is made.
      await b.page.locator('[data-notifications][data-connected]').waitFor({ state: 'attached' });

      const replied = await api(haven, ann, 'POST', `/threads/${thread.body.thread.id}/posts`, {
        body: `@${bea.username} a walk sounds lovely. For me, tea with my sister.`,
      });
      assert.equal(replied.status, 201, JSON.stringify(replied.body));

      const item = b.page.locator('[data-notifications] > li').first();
      await item.getByText('Ann Writer mentioned you in “Small things that helped this week”').waitFor();
      // The link opens the thread at the page that starts with the reply.
      assert.match(
        await item.getByRole('link').getAttribute('href'),
        new RegExp(`^/t/${thread.body.thread.id}\\?cursor=[\\w-]+#post-${replied.body.id}$`),
      );
      assert.equal(await item.locator('.new-mark').innerText(), 'New');
      const badge = b.page.locator('.site-nav a[href="/notifications"] [data-unread]');
      await badge.waitFor();
      assert.equal(await badge.textContent(), '1 unread');
      assert.match(await b.page.locator('[data-live]').innerText(), /New: Ann Writer mentioned you/);
      assert.match(await b.page.locator('[data-summary]').innerText(), /1 unread notification/);
      assert.equal(await b.page.evaluate(() => window.loadedOnce), true);
      assert.deepEqual(await axeViolations(b.page), []);
      await b.page.screenshot({ path: screenshotPath('notifications-desktop'), fullPage: true });
      await b.page.setViewportSize(PHONE);
      await b.page.screenshot({ path: screenshotPath('notifications-phone'), fullPage: true });

      // "Mark all as read" is a plain form.
      await b.page.getByRole('button', { name: 'Mark all as read' }).click();
      assert.match(await b.page.locator('.flash').innerText(), /marked as read/);
      assert.equal(await b.page.locator('[data-unread]').count(), 0);
      assert.equal(await b.page.locator('.new-mark').count(), 0);
      await b.context.close();
    },
  );

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(
      `axe finds nothing on the chat pages, logged out and in; screenshots (${name})`,
      { timeout: TEST_TIMEOUT },
      async () => {
        const slug = await newRoom('Morning coffee');
        const guest = await browser.newContext({ viewport });
        const page = await guest.newPage();
        await page.goto(`${haven.base}/chat`);
        assert.equal(await page.locator('h1').innerText(), 'Chat rooms');
        assert.deepEqual(await axeViolations(page), []);
        await page.goto(`${haven.base}/chat/${slug}`);
        assert.match(await page.getByRole('link', { name: 'Sign in to join the conversation' }).innerText(), /Sign in/);
        assert.deepEqual(await axeViolations(page), []);
        await page.goto(`${haven.base}/notifications`);
        assert.equal(new URL(page.url()).pathname, '/signin');
        assert.deepEqual(await axeViolations(page), []);
        await guest.close();

        const ann = await createMember(haven, { displayName: 'Ann Morning' });
        const bea = await createMember(haven, { displayName: 'Bea Evening' });
        const other = await memberPage(bea, viewport);
        await other.page.goto(`${haven.base}/chat/${slug}`);
        await other.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
        for (const text of ['Good morning, everyone.', 'Morning! Coffee is on. How did everyone sleep?']) {
          await other.page.getByLabel('Your message').fill(text);
          await other.page.getByLabel('Your message').press('Enter');
          await log(other.page).locator('.chat-msg[data-id]', { hasText: text }).waitFor();
        }
        const { context, page: member } = await memberPage(ann, viewport);
        await member.goto(`${haven.base}/chat`);
        assert.deepEqual(await axeViolations(member), []);
        assert.equal((await scriptBytes(member)).count, 0, 'the rooms list is a reading page: no JavaScript');
        await member.screenshot({ path: screenshotPath(`chat-rooms-${name}`), fullPage: true });

        await member.goto(`${haven.base}/chat/${slug}`);
        await member.getByRole('status').filter({ hasText: 'Live' }).waitFor();
        await member.locator('[data-presence]').getByText('Bea Evening').waitFor();
        assert.deepEqual(await axeViolations(member), []);
        const chatJs = await scriptBytes(member);
        assert.ok(chatJs.total <= BUDGET, `the room page loads ${chatJs.total} B of gzipped JavaScript`);
        if (name === 'phone') await member.screenshot({ path: screenshotPath('chat-room-phone'), fullPage: true });

        await member.goto(`${haven.base}/notifications`);
        assert.deepEqual(await axeViolations(member), []);
        const notesJs = await scriptBytes(member);
        assert.ok(notesJs.total <= BUDGET, `the notifications page loads ${notesJs.total} B of gzipped JavaScript`);
        console.log(`gzipped JavaScript: room page ${chatJs.total} B, notifications page ${notesJs.total} B`);
        await context.close();
        await other.context.close();
      },
    );
  }
});
