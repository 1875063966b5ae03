// The first hour in a real browser, at phone and desktop widths with axe at 0 on every state: the one-time setup
// link's form (empty, refused, used) making the first admin, and a moderator's live crisis alert on any page and in
// the chat room, which takes no focus and links to the item in the queue.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
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
  uniqueName,
} from './harness.mjs';

describe('first hour', () => {
  let haven;
  let browser;
  before(async () => {
    haven = await startHaven({ RATE_LIMITS: 'off' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  /**
   * A setup link as a start with no admin makes one (the server prints it; the test cannot read its output): the
   * admins of earlier tests stepped down, and a fresh token stored by its hash.
   */
  async function setupLink() {
    await haven.query(`UPDATE users SET role = 'member' WHERE role = 'admin' AND password_hash <> '!'`);
    const token = randomBytes(32).toString('base64url');
    await haven.query(`DELETE FROM setup_tokens WHERE used_at IS NULL`);
    await haven.query(`INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + interval '1 day')`, [
      createHash('sha256').update(token).digest('hex'),
    ]);
    return `${haven.base}/setup/${token}`;
  }

  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`the setup link makes the first admin once, then says it was used (${label})`, async () => {
      const link = await setupLink();
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      assert.equal((await page.goto(link)).status(), 200);
      assert.equal(await page.locator('h1').innerText(), 'Set up Haven');
      assert.equal(await page.locator('meta[name="robots"]').getAttribute('content'), 'noindex');
      assert.deepEqual(await axeViolations(page), [], 'axe on the setup form');

      const username = uniqueName('admin');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Email').fill(`${username}@example.org`);
      await page.getByLabel('Password').fill('password');
      await page.getByRole('button', { name: 'Create the admin account' }).click();
      await page.locator('#form-problem').waitFor();
      assert.match(await page.locator('#form-problem').innerText(), /Password must be 10-128 characters/);
      assert.equal(await page.getByLabel('Username').inputValue(), username, 'what was typed is kept');
      assert.deepEqual(await axeViolations(page), [], 'axe on the refused form');

      const password = `quiet-harbour-${randomBytes(4).toString('hex')}`;
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create the admin account' }).click();
      await page.waitForURL((url) => url.pathname === '/signin');
      assert.match(await page.locator('.flash').innerText(), new RegExp(`Your admin account ${username} is ready`));
      await signIn(page, haven, { username, password });
      assert.equal(await page.getByRole('link', { name: 'Moderation' }).count(), 1, 'an admin');

      const used = await page.goto(link);
      assert.equal(used.status(), 410);
      assert.equal(await page.locator('h1').innerText(), 'This setup link was already used');
      assert.equal(await page.locator('input[type="password"]').count(), 0);
      assert.deepEqual(await axeViolations(page), [], 'axe on the used link');
      await page.screenshot({ path: screenshotPath(`first-hour-setup-used-${label}`), fullPage: true });
      await context.close();
    });
  }

  test('a moderator sees a live crisis alert on any page and in the chat room, without losing focus', async () => {
    const moderator = await createMember(haven, { role: 'moderator', displayName: 'Morgan (moderator)' });
    const threads = await api(haven, undefined, 'GET', '/categories/newly-diagnosed/threads');
    const intro = threads.body.items.find((t) => t.title === 'Introduce yourself');
    assert.equal(intro?.locked, false, 'the introductions thread is open');

    for (const [label, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, haven, moderator);

      // On a reading page: a member's forum post with a starter crisis phrase.
      await page.goto(`${haven.base}/guidelines`);
      const region = page.locator('[data-mod-alerts]');
      assert.equal(await region.getAttribute('aria-live'), 'assertive');
      await waitForSocket(page);
      const author = await createMember(haven, { displayName: 'Robin' });
      const body = `Thank you all. Some nights I just want to end it all. ${randomBytes(3).toString('hex')}`;
      assert.equal((await api(haven, author, 'POST', `/threads/${intro.id}/posts`, { body })).status, 202);
      const alert = region.locator('.mod-alert', { hasText: body.slice(-6) });
      await alert.waitFor();
      assert.match(await alert.innerText(), /Possible crisis in a forum post/);
      assert.equal(await page.evaluate(() => document.activeElement === document.body), true, 'no focus taken');
      assert.deepEqual(await axeViolations(page), [], `axe with an alert (${label})`);
      await page.screenshot({ path: screenshotPath(`first-hour-alert-${label}`) });

      // In a chat room, while the moderator is typing: the alert comes, the composer keeps the focus.
      await page.goto(`${haven.base}/chat/lobby`);
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await waitForSocket(page);
      const composer = page.getByLabel('Your message');
      await composer.focus();
      const member = await createMember(haven, { displayName: 'Jo' });
      const memberContext = await browser.newContext({ viewport: PHONE });
      const memberPage = await memberContext.newPage();
      await signIn(memberPage, haven, member);
      await memberPage.goto(`${haven.base}/chat/lobby`);
      await memberPage.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      const said = `some nights I just want to end it all ${randomBytes(3).toString('hex')}`;
      await memberPage.getByLabel('Your message').fill(said);
      await memberPage.getByRole('button', { name: 'Send' }).click();
      const inRoom = page.locator('[data-mod-alerts] .mod-alert', { hasText: said });
      await inRoom.waitFor();
      assert.match(await inRoom.innerText(), /Possible crisis in a chat message/);
      // The message itself is marked in the room's log.
      await page
        .locator('[role="log"] .chat-msg', { hasText: said })
        .getByText('Possible crisis: moderators alerted')
        .waitFor();
      assert.equal(await composer.evaluate((el) => el === document.activeElement), true, 'the composer keeps focus');
      assert.deepEqual(await axeViolations(page), [], `axe on the room with an alert (${label})`);
      await memberContext.close();

      // The link opens the item in the queue; "Dismiss" puts the alert away.
      const href = await inRoom.getByRole('link', { name: 'Open it in the moderation queue' }).getAttribute('href');
      await inRoom.getByRole('button', { name: 'Dismiss this alert' }).click();
      assert.equal(await inRoom.count(), 0);
      await page.goto(`${haven.base}${href}`);
      const heading = page.locator(new URL(href, haven.base).hash);
      assert.match(await heading.innerText(), /Chat message/);
      await context.close();
    }
  });
});

/** The island's socket is connected (the region is marked so), so no alert can be missed. */
async function waitForSocket(page) {
  await page.locator('[data-mod-alerts][data-connected]').waitFor({ state: 'attached' });
}
