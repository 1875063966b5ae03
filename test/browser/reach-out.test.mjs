// Reaching out from the queue in a real browser: an admin sets the starter text (with a preview); a moderator sees
// a self-harm item, presses "Reach out" once and lands on the care conversation, which the member finds in her list
// with the admin's words; a reported private message shows only itself until "Show the conversation around it",
// which the audit log records. Axe at 0 on each page, at phone and desktop widths.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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

describe('reaching out from the queue', () => {
  let haven;
  let browser;
  let moderator;
  let admin;
  before(async () => {
    haven = await startHaven({ RATE_LIMITS: 'off' });
    browser = await launchBrowser();
    [moderator, admin] = await Promise.all([
      createMember(haven, { role: 'moderator', displayName: 'Morgan (moderator)' }),
      createMember(haven, { role: 'admin', displayName: 'Ada (admin)' }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  async function pageFor(member, viewport = DESKTOP) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin`);
    await signIn(page, haven, member);
    return { context, page };
  }

  test('an admin sets the starter text, with a preview, and can start again from the default', async () => {
    const { context, page } = await pageFor(admin, PHONE);
    const res = await page.goto(`${haven.base}/admin/reach-out`);
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('h1').innerText(), 'Reaching out: the starter text');
    assert.match(await page.getByLabel('The starter text').inputValue(), /support lines/);
    assert.deepEqual(await axeViolations(page), [], 'axe on /admin/reach-out');

    await page.getByLabel('The starter text').fill('   ');
    await page.getByRole('button', { name: 'Save the starter text' }).click();
    assert.match(await page.locator('.error-summary').innerText(), /The starter text must be 1-4000 characters/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the refused form');

    const words =
      'Hello from the **moderation team**. We read your words. [Support lines](/support). No need to answer.';
    await page.getByLabel('The starter text').fill(words);
    await page.getByRole('button', { name: 'Preview' }).click();
    assert.equal(await page.locator('.library-preview strong').innerText(), 'moderation team');
    assert.deepEqual(await axeViolations(page), [], 'axe on the preview');
    await page.getByRole('button', { name: 'Save the starter text' }).click();
    await page.waitForURL(`${haven.base}/admin/reach-out`);
    assert.match(await page.getByRole('status').innerText(), /starter text is saved/);
    assert.equal(await page.getByLabel('The starter text').inputValue(), words);
    // "Start again" fills the form with the default text; nothing changes until it is saved.
    await page.getByRole('button', { name: 'Start again from the default text' }).click();
    assert.match(await page.getByLabel('The starter text').inputValue(), /moderation team at Haven/);
    assert.equal((await api(haven, moderator, 'GET', '/moderation/reach-out-settings')).body.starterText, words);
    await page.goto(`${haven.base}/admin/reach-out`);
    await page.screenshot({ path: screenshotPath('reach-out-settings-phone'), fullPage: true });
    await context.close();

    const member = await pageFor(moderator, PHONE);
    assert.equal((await member.page.goto(`${haven.base}/admin/reach-out`)).status(), 403);
    await member.context.close();
  });

  test('"Reach out" on a self-harm item opens the care conversation in one click; a second click opens the same', async () => {
    const kit = await createMember(haven, { displayName: 'Kit' });
    const sam = await createMember(haven, { displayName: 'Sam' });
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = ANY($1)', [[kit.id]]);
    assert.equal((await api(haven, kit, 'PATCH', '/me/conversation-settings', { accept: 'nobody' })).status, 200);
    const sad = await api(haven, kit, 'POST', '/categories/everyday-life-and-hope/threads', {
      title: 'So tired of all this',
      body: 'Some nights I wonder whether I should just stop everything.',
    });
    assert.equal(sad.status, 201);
    const reported = await api(haven, sam, 'POST', '/reports', {
      targetType: 'thread',
      targetId: sad.body.thread.id,
      reason: 'self_harm',
      note: 'Could someone look in on Kit?',
    });
    assert.equal(reported.status, 201);

    for (const [name, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ]) {
      const { context, page } = await pageFor(moderator, viewport);
      await page.goto(`${haven.base}/mod`);
      const card = page.locator('article.mod-item', { hasText: 'So tired of all this' });
      assert.match(await card.innerText(), /Crisis/);
      assert.equal(await card.getByRole('button', { name: 'Reach out' }).count(), 1);
      assert.deepEqual(await axeViolations(page), [], `axe on /mod with a crisis item (${name})`);
      await page.screenshot({ path: screenshotPath(`reach-out-queue-${name}`), fullPage: true });
      await context.close();
    }

    const { context, page } = await pageFor(moderator, DESKTOP);
    await page.goto(`${haven.base}/mod`);
    const card = page.locator('article.mod-item', { hasText: 'So tired of all this' });
    await card.getByRole('button', { name: 'Reach out' }).click();
    await page.waitForURL((url) => /^\/messages\/\d+$/.test(url.pathname));
    const conversationId = new URL(page.url()).pathname.split('/').pop();

    const list = await api(haven, kit, 'GET', '/conversations');
    assert.equal(list.status, 200);
    const care = list.body.items.filter((c) => c.kind === 'care');
    assert.deepEqual(
      care.map((c) => c.id),
      [conversationId],
    );
    assert.equal(care[0].fromTeam, true);
    const messages = await api(haven, kit, 'GET', `/conversations/${conversationId}/messages`);
    assert.match(messages.body.items[0].body, /We read your words/);

    // Back on the queue the card says a moderator reached out; its button opens the same conversation.
    await page.goto(`${haven.base}/mod`);
    const again = page.locator('article.mod-item', { hasText: 'So tired of all this' });
    assert.match(await again.innerText(), /already reached out from this item/);
    assert.deepEqual(await axeViolations(page), [], 'axe on /mod after reaching out');
    await again.getByRole('button', { name: 'Open the care conversation' }).click();
    await page.waitForURL((url) => url.pathname === `/messages/${conversationId}`);
    assert.equal(
      (await api(haven, kit, 'GET', '/conversations')).body.items.filter((c) => c.kind === 'care').length,
      1,
    );

    const audit = await api(haven, moderator, 'GET', '/moderation/audit-log?limit=20');
    assert.ok(audit.body.items.some((e) => e.action === 'queue.reach_out' && e.actor === moderator.username));
    await context.close();
  });

  test('a reported private message shows alone; its conversation opens on a deliberate click, audited', async () => {
    const [ann, bea] = await Promise.all([
      createMember(haven, { displayName: 'Ann' }),
      createMember(haven, { displayName: 'Bea' }),
    ]);
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = ANY($1)', [[ann.id, bea.id]]);
    const started = await api(haven, ann, 'POST', '/conversations', {
      usernames: [bea.username],
      body: 'Hello, I saw your story and I can help.',
      clientId: randomUUID(),
    });
    assert.equal(started.status, 201);
    const id = started.body.conversation.id;
    const say = async (who, body) =>
      (await api(haven, who, 'POST', `/conversations/${id}/messages`, { body, clientId: randomUUID() })).body;
    await say(bea, 'Oh, how?');
    const scam = await say(ann, 'Send me 300 dollars in gift cards for a cure from abroad.');
    const scamId = (scam.message ?? scam).id;
    await say(bea, 'I am not sure about that.');
    assert.equal(
      (
        await api(haven, bea, 'POST', '/reports', {
          targetType: 'conversation_message',
          targetId: scamId,
          reason: 'spam',
        })
      ).status,
      201,
    );

    const { context, page } = await pageFor(moderator, PHONE);
    await page.goto(`${haven.base}/mod?type=conversation_message`);
    const card = page.locator('article.mod-item', { hasText: 'gift cards' });
    const text = await card.innerText();
    assert.match(text, /Private message/);
    assert.match(text, /In a private conversation/);
    assert.doesNotMatch(text, /Oh, how\?/);
    assert.deepEqual(await axeViolations(page), [], 'axe on /mod with a private message');
    await card.getByRole('button', { name: 'Show the conversation around it' }).click();
    assert.equal(await page.locator('h1').innerText(), 'The conversation around a reported message');
    const shown = await page.locator('.mod-context-list').innerText();
    assert.match(shown, /Oh, how\?/);
    assert.match(shown, /The reported message/);
    assert.match(shown, /I am not sure about that\./);
    assert.deepEqual(await axeViolations(page), [], 'axe on the context page');
    await page.screenshot({ path: screenshotPath('reach-out-context-phone'), fullPage: true });
    const audit = await api(haven, moderator, 'GET', '/moderation/audit-log?limit=20');
    assert.ok(audit.body.items.some((e) => e.action === 'queue.context' && e.targetId === scamId));
    await context.close();
  });
});
