// Private conversations in a real browser: two members message each other live in two browser contexts (one on a
// phone, one on a desktop), a member without JavaScript replies by the form and the other sees it live, refusals are
// explained beside the form, leaving asks first, and axe finds nothing on any of these pages at either width.
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

/** No step waits forever: a hung page fails its test instead of the whole run. */
const TEST_TIMEOUT = 120_000;

describe('private conversations', () => {
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

  /** A member whose first post was approved: new members may not start conversations before that. */
  async function trustedMember(displayName) {
    const member = await createMember(haven, { displayName });
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = $1', [member.id]);
    return member;
  }

  /** A signed-in page of a member's own browser context. */
  async function memberPage(member, viewport = DESKTOP, options = {}) {
    const context = await browser.newContext({ viewport, ...options });
    const page = await context.newPage();
    await signIn(page, haven, member);
    return { context, page };
  }

  const log = (page) => page.locator('[role="log"]');
  const live = (page) => page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

  async function noViolations(page, where) {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }

  /** The page at both widths, checked with axe at each. */
  async function bothWidths(page, where) {
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      await noViolations(page, `${where} at ${viewport.width} px`);
    }
  }

  test(
    'two members message each other live: from a profile, with a preview, read marks and the header count',
    { timeout: TEST_TIMEOUT },
    async () => {
      const ann = await trustedMember('Ann Rivers');
      const bea = await trustedMember('Bea Stone');
      const a = await memberPage(ann, DESKTOP);
      const b = await memberPage(bea, PHONE);

      // Ann starts from Bea's profile: "Send a message" opens the form with Bea's name filled in.
      await a.page.goto(`${haven.base}/u/${bea.username}`);
      await a.page.getByRole('link', { name: /Send a message/ }).click();
      await a.page.waitForURL(/\/messages\/new\?to=/);
      assert.equal(await a.page.getByLabel('To').inputValue(), bea.username);
      await bothWidths(a.page, 'the new conversation form');
      await a.page.getByLabel('Your message').fill('Hello Bea, how did the **scan** go?');
      await a.page.getByRole('button', { name: 'Preview' }).click();
      const preview = a.page.locator('.preview');
      assert.equal(await preview.locator('strong').innerText(), 'scan');
      assert.equal(await a.page.getByLabel('Your message').inputValue(), 'Hello Bea, how did the **scan** go?');
      await bothWidths(a.page, 'the new conversation form with a preview');
      await a.page.getByRole('button', { name: 'Send' }).click();
      await a.page.waitForURL(/\/messages\/\d+#m-\d+$/);
      const conversation = new URL(a.page.url()).pathname;
      assert.equal(await a.page.getByRole('heading', { level: 1 }).innerText(), 'Bea Stone');
      await live(a.page);
      await bothWidths(a.page, 'a conversation');
      await a.page.setViewportSize(DESKTOP);

      // Bea sees one conversation with unread messages in the header, and it is marked in her list.
      await b.page.goto(`${haven.base}/messages`);
      const badge = b.page.locator('[data-unread-conversations]');
      assert.match(await badge.innerText(), /^1/);
      const item = b.page.locator('.conversation.unread', { hasText: 'Ann Rivers' });
      await item.waitFor();
      await bothWidths(b.page, 'the list of conversations');
      await b.page.setViewportSize(PHONE);
      await item.getByRole('link', { name: 'Ann Rivers' }).click();
      await b.page.waitForURL(`${haven.base}${conversation}`);
      await live(b.page);
      // Reading it cleared the count.
      assert.equal(await b.page.locator('[data-unread-conversations]').count(), 0);
      assert.equal(await log(b.page).locator('.chat-msg strong').innerText(), 'scan');
      await b.page.evaluate(() => {
        window.loadedOnce = true;
      });
      await a.page.evaluate(() => {
        window.loadedOnce = true;
      });

      // Bea answers with the button; Ann sees it without a reload.
      await b.page.getByLabel('Your reply').fill('Stable, thank you for asking.');
      await b.page.getByRole('button', { name: 'Send' }).click();
      await log(a.page).locator('.chat-msg[data-id]', { hasText: 'Stable, thank you for asking.' }).waitFor();
      await log(b.page).locator('.chat-msg[data-id]', { hasText: 'Stable, thank you for asking.' }).waitFor();

      // Ann answers with Enter; Bea sees it live, after her own.
      const reply = a.page.getByLabel('Your reply');
      await reply.fill('That is such good news.');
      await reply.press('Enter');
      await log(b.page).locator('.chat-msg[data-id]', { hasText: 'That is such good news.' }).waitFor();
      const order = await log(b.page)
        .locator('.chat-msg .chat-body')
        .evaluateAll((els) => els.map((e) => e.textContent.trim()));
      assert.deepEqual(order, [
        'Hello Bea, how did the scan go?',
        'Stable, thank you for asking.',
        'That is such good news.',
      ]);
      assert.equal(await log(a.page).locator('.chat-pending, .chat-failed').count(), 0);
      for (const { page } of [a, b]) assert.equal(await page.evaluate(() => window.loadedOnce), true);

      // Bea had it on screen: after a reload, nothing is unread for her.
      await b.page.goto(`${haven.base}/messages`);
      assert.equal(await b.page.locator('.conversation.unread').count(), 0);
      assert.equal(await b.page.locator('[data-unread-conversations]').count(), 0);

      await noViolations(a.page, 'a live conversation');
      await a.page.screenshot({ path: screenshotPath('conversation-desktop'), fullPage: true });
      await b.page.goto(`${haven.base}${conversation}`);
      await b.page.screenshot({ path: screenshotPath('conversation-phone'), fullPage: true });
      await a.context.close();
      await b.context.close();
    },
  );

  test(
    'a member without JavaScript replies by the form, and the other sees it live',
    { timeout: TEST_TIMEOUT },
    async () => {
      const ann = await trustedMember('Ann Live');
      const cat = await trustedMember('Cat Plain');
      const a = await memberPage(ann, DESKTOP);
      await a.page.goto(`${haven.base}/messages/new?to=${cat.username}`);
      await a.page.getByLabel('Your message').fill('Hi Cat, thinking of you today.');
      await a.page.getByRole('button', { name: 'Send' }).click();
      await a.page.waitForURL(/\/messages\/\d+#m-\d+$/);
      const conversation = new URL(a.page.url()).pathname;
      await live(a.page);

      const c = await memberPage(cat, PHONE, { javaScriptEnabled: false });
      await c.page.goto(`${haven.base}/messages`);
      await c.page.getByRole('link', { name: 'Ann Live' }).click();
      await c.page.waitForURL(`${haven.base}${conversation}`);
      // An empty reply is refused beside the form, in words.
      await c.page.getByRole('button', { name: 'Send' }).click();
      const problem = c.page.locator('.error-summary');
      await problem.waitFor();
      assert.match(await problem.innerText(), /There is a problem/);
      assert.match(await problem.innerText(), /Your reply/);
      await c.page.getByLabel('Your reply').fill('Thank you, _that means a lot_.');
      await c.page.getByRole('button', { name: 'Send' }).click();
      await c.page.waitForURL(/\/messages\/\d+#m-\d+$/);
      const id = new URL(c.page.url()).hash.slice(3);
      assert.equal(await c.page.locator(`#m-${id} em`).innerText(), 'that means a lot');
      // Ann, with the page open, sees it arrive.
      await log(a.page).locator(`#m-${id}`, { hasText: 'Thank you, that means a lot.' }).waitFor();
      // axe needs JavaScript in the page: the same refused form is checked in a page with it (and no live connection).
      const refused = await browser.newContext({ viewport: PHONE });
      const r = await refused.newPage();
      await signIn(r, haven, cat);
      // No live connection for this page: its form posts as it does without JavaScript.
      await r.route('**/chat/socket-token', (route) => route.abort());
      await r.goto(`${haven.base}${conversation}`);
      await r.getByRole('button', { name: 'Send' }).click();
      await r.locator('.error-summary').waitFor();
      await bothWidths(r, 'a refused reply');
      await refused.close();
      await a.context.close();
      await c.context.close();
    },
  );

  test(
    'refusals are explained beside the form; leaving, reporting and the settings page',
    { timeout: TEST_TIMEOUT },
    async () => {
      const ann = await trustedMember('Ann Asks');
      const dee = await trustedMember('Dee Private');
      const newcomer = await createMember(haven, { displayName: 'Nell New' });

      // Dee chooses that nobody may start a conversation with her, on the settings page.
      const d = await memberPage(dee, PHONE);
      await d.page.goto(`${haven.base}/settings`);
      await d.page.getByRole('link', { name: 'Choose who can message you' }).click();
      await d.page.waitForURL(`${haven.base}/settings/messages`);
      await bothWidths(d.page, 'the message settings');
      await d.page.getByLabel(/Nobody/).check();
      await d.page.getByRole('button', { name: 'Save' }).click();
      await d.page.getByRole('status').filter({ hasText: 'nobody may start a conversation with you' }).waitFor();
      assert.equal(await d.page.getByLabel(/Nobody/).isChecked(), true);

      // Ann tries to write to her: refused, in words, with what she typed kept.
      const a = await memberPage(ann, DESKTOP);
      await a.page.goto(`${haven.base}/messages/new?to=${dee.username}`);
      await a.page.getByLabel('Your message').fill('Hello there.');
      await a.page.getByRole('button', { name: 'Send' }).click();
      const summary = a.page.locator('.error-summary');
      await summary.waitFor();
      assert.match(await summary.innerText(), /There is a problem/);
      assert.equal(await a.page.getByLabel('Your message').inputValue(), 'Hello there.');
      await bothWidths(a.page, 'a refused new conversation');
      await a.page.setViewportSize(DESKTOP);

      // A newcomer whose first post is not yet approved may not start one either, and is told why.
      const n = await memberPage(newcomer, PHONE);
      await n.page.goto(`${haven.base}/messages/new?to=${ann.username}`);
      await n.page.getByLabel('Your message').fill('Hi Ann!');
      await n.page.getByRole('button', { name: 'Send' }).click();
      await n.page.locator('.error-summary').waitFor();
      await noViolations(n.page, 'a newcomer refused');
      await n.context.close();

      // Dee writes to Ann (she may start conversations herself); Ann reports the message, then leaves.
      await d.page.goto(`${haven.base}/messages/new?to=${ann.username}`);
      await d.page.getByLabel('Your message').fill('Could you send me your bank details?');
      await d.page.getByRole('button', { name: 'Send' }).click();
      await d.page.waitForURL(/\/messages\/\d+#m-\d+$/);
      const conversation = new URL(d.page.url()).pathname;

      await a.page.goto(`${haven.base}${conversation}`);
      await a.page
        .getByRole('link', { name: /^Report/ })
        .first()
        .click();
      await a.page.waitForURL(/\/report\/message\/\d+$/);
      await bothWidths(a.page, 'the report form');
      await a.page.setViewportSize(DESKTOP);
      await a.page.getByLabel('What is wrong?').selectOption('spam');
      await a.page.getByRole('button', { name: 'Send report' }).click();
      await a.page.waitForURL(new RegExp(`${conversation}#m-\\d+$`));
      await a.page.getByRole('status').filter({ hasText: 'Thank you for telling us' }).waitFor();
      const reports = await haven.query(
        `SELECT count(*)::int AS n FROM reports WHERE target_type = 'conversation_message' AND reporter_id = $1`,
        [ann.id],
      );
      assert.equal(reports.rows[0].n, 1);

      await a.page.getByRole('link', { name: 'Leave conversation' }).click();
      await a.page.waitForURL(`${haven.base}${conversation}/leave`);
      await bothWidths(a.page, 'leaving a conversation');
      await a.page.setViewportSize(DESKTOP);
      await a.page.getByRole('button', { name: 'Leave conversation' }).click();
      await a.page.waitForURL(`${haven.base}/messages`);
      await a.page.getByRole('status').filter({ hasText: 'You left the conversation' }).waitFor();
      assert.equal(await a.page.getByRole('link', { name: 'Dee Private' }).count(), 0);
      // Dee sees that Ann left, and cannot write to nobody.
      await d.page.goto(`${haven.base}${conversation}`);
      await d.page.locator('.conversation-people', { hasText: '(left)' }).waitFor();
      await bothWidths(d.page, 'a conversation everyone else left');
      await a.context.close();
      await d.context.close();
    },
  );
});
