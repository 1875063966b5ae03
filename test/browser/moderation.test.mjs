// The moderators' pages in a real browser: the empty queue, a reported post reaching the queue with its reason and
// resolved in one click, a member sanctioned and the sanction lifted, an admin adding a watched word, no JavaScript
// on any of these pages but the moderators' live alerts, and axe at 0 violations on every /mod page (empty queue and not) at phone and desktop widths.
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

describe('moderation pages', () => {
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

  /** A signed-in page for this member at this width. */
  async function pageFor(member, viewport = DESKTOP) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin`);
    await signIn(page, haven, member);
    return { context, page };
  }

  /**
   * Opens a /mod page and checks it: its one h1, no script but the moderators' live alerts (the notifications island,
   * on every page for them), the sub-navigation marking it, and axe at 0.
   */
  async function visit(page, path, heading) {
    const res = await page.goto(`${haven.base}${path}`);
    assert.equal(res.status(), 200, path);
    assert.equal(await page.locator('h1').innerText(), heading);
    const scripts = await page.locator('script').evaluateAll((els) => els.map((el) => el.getAttribute('src')));
    assert.ok(
      scripts.every((src) => /^\/assets\/notifications-[\w-]+\.js$/.test(src ?? '')),
      `${path} loads only the moderators' live alerts: ${scripts.join(', ')}`,
    );
    assert.equal(await page.locator('meta[name="robots"]').getAttribute('content'), 'noindex');
    assert.equal(await page.locator('.mod-subnav [aria-current="page"]').count(), 1);
    assert.deepEqual(await axeViolations(page), [], `axe on ${path}`);
  }

  test('an empty queue says so kindly, and every moderator page passes axe (phone and desktop)', async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const { context, page } = await pageFor(moderator, viewport);
      await visit(page, '/mod', 'Moderation queue');
      assert.match(
        await page.locator('main').innerText(),
        /The queue is empty\. Thank you for looking after everyone\./,
      );
      await visit(page, '/mod?status=resolved', 'Resolved items');
      await visit(page, '/mod/sanctions', 'Sanctions');
      await visit(page, '/mod/audit', 'Audit log');
      await visit(page, '/mod/rooms', 'Chat rooms');
      await visit(page, '/mod/rooms/lobby', 'Room: Lobby');
      // Watched words are the admins' list, as on the API.
      const refused = await page.goto(`${haven.base}/mod/watched-words`);
      assert.equal(refused.status(), 403);
      assert.deepEqual(await axeViolations(page), []);
      await context.close();
    }
  });

  test('a member is refused and a guest is sent to sign in', async () => {
    const member = await createMember(haven);
    const { context, page } = await pageFor(member, PHONE);
    const res = await page.goto(`${haven.base}/mod`);
    assert.equal(res.status(), 403);
    assert.equal(await page.locator('h1').innerText(), 'Not allowed');
    assert.equal(await page.getByRole('link', { name: 'Moderation' }).count(), 0);
    await context.close();
    const guest = await browser.newContext({ viewport: PHONE });
    const guestPage = await guest.newPage();
    await guestPage.goto(`${haven.base}/mod/sanctions`);
    assert.equal(new URL(guestPage.url()).pathname, '/signin');
    assert.equal(new URL(guestPage.url()).searchParams.get('next'), '/mod/sanctions');
    await guest.close();
  });

  test('a reported post reaches the queue with its reason, is hidden in one click, and its author is sanctioned and freed', async () => {
    // Set-up over the API, as members would: a published thread, a newcomer's held thread, and two reports.
    const author = await createMember(haven, { displayName: 'Rowan' });
    const reporter = await createMember(haven, { displayName: 'Sam' });
    const worried = await createMember(haven, { displayName: 'Kit' });
    const newcomer = await createMember(haven, { displayName: 'Noor' });
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = ANY($1)', [[author.id, worried.id]]);
    const made = await api(haven, author, 'POST', '/categories/living-with-mbc/threads', {
      title: 'A tea that cures everything',
      body: 'Stop your treatment and drink **this tea** instead: it cured my aunt.',
    });
    assert.equal(made.status, 201);
    const reported = await api(haven, reporter, 'POST', '/reports', {
      targetType: 'thread',
      targetId: made.body.thread.id,
      reason: 'misinformation',
      note: 'Telling people to stop treatment',
    });
    assert.equal(reported.status, 201);
    const sad = await api(haven, worried, 'POST', '/categories/everyday-life-and-hope/threads', {
      title: 'Tired tonight',
      body: 'Some days I wonder what the point of all this is.',
    });
    assert.equal(sad.status, 201);
    assert.equal(
      (
        await api(haven, reporter, 'POST', '/reports', {
          targetType: 'thread',
          targetId: sad.body.thread.id,
          reason: 'self_harm',
          note: 'Could someone check in on Kit?',
        })
      ).status,
      201,
    );
    const held = await api(haven, newcomer, 'POST', '/categories/newly-diagnosed/threads', {
      title: 'Hello, just diagnosed',
      body: 'Hi everyone, I was diagnosed last week and found this place.',
    });
    assert.equal(held.status, 202);

    for (const [name, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ]) {
      const { context, page } = await pageFor(moderator, viewport);
      await visit(page, '/mod', 'Moderation queue');
      assert.match(await page.locator('.mod-summary').innerText(), /3 waiting/);
      const items = page.locator('article.mod-item');
      assert.equal(await items.count(), 3);
      // Self-harm first.
      assert.match(await items.first().innerText(), /Crisis/);
      assert.match(await items.first().innerText(), /Could someone check in on Kit\?/);
      const tea = page.locator('article.mod-item', { hasText: 'A tea that cures everything' });
      const text = await tea.innerText();
      assert.match(text, /Reported once: Misinformation/);
      assert.match(text, /Telling people to stop treatment/);
      assert.match(text, new RegExp(`@${author.username}`));
      assert.equal(await tea.locator('.mod-body strong').innerText(), 'this tea');
      await page.screenshot({ path: screenshotPath(`moderation-queue-${name}`), fullPage: true });
      await context.close();
    }

    const { context, page } = await pageFor(moderator, DESKTOP);
    await page.goto(`${haven.base}/mod`);
    const tea = page.locator('article.mod-item', { hasText: 'A tea that cures everything' });
    await tea.getByLabel(/Note for the audit log/).fill('Dangerous advice');
    await tea.getByRole('button', { name: 'Hide' }).click();
    // The queue again; the address may keep the form's fragment (the item's error summary), which no longer exists.
    await page.waitForURL((url) => url.pathname === '/mod' && url.search === '');
    assert.equal(await page.getByRole('status').innerText(), 'Hidden from members.');
    assert.equal(await page.locator('article.mod-item', { hasText: 'A tea that cures everything' }).count(), 0);
    assert.equal((await api(haven, undefined, 'GET', `/threads/${made.body.thread.id}`)).status, 404);

    // The newcomer's thread is approved in one click too.
    const hello = page.locator('article.mod-item', { hasText: 'Hello, just diagnosed' });
    assert.match(await hello.innerText(), /new member: first posts wait for a moderator/);
    await hello.getByRole('button', { name: 'Approve and publish' }).click();
    assert.equal(await page.getByRole('status').innerText(), 'Approved: it is published now.');
    assert.equal((await api(haven, undefined, 'GET', `/threads/${held.body.thread.id}`)).status, 200);

    // Sanction the tea's author from the sanctions page (as the queue's link does), then lift it.
    await page.goto(`${haven.base}/mod/sanctions?user=${author.username}`);
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), author.username);
    await page.getByLabel('Kind', { exact: true }).selectOption('suspend');
    await page.getByRole('button', { name: 'Sanction this member' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Reason must be 3-500 characters/);
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), author.username);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Kind', { exact: true }).selectOption('silence');
    await page.getByLabel(/^How long/).selectOption('7d');
    await page.getByLabel(/^Reason/).fill('Please do not tell others to stop their treatment.');
    await page.getByRole('button', { name: 'Sanction this member' }).click();
    await page.waitForURL(`${haven.base}/mod/sanctions#sanction-done`);
    assert.match(await page.getByRole('status').innerText(), new RegExp(`Silenced @${author.username} until`));
    const row = page.locator('.mod-row', { hasText: `@${author.username}` });
    assert.match(await row.innerText(), new RegExp(`issued by @${moderator.username}`));
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('moderation-sanctions-desktop'), fullPage: true });
    const silenced = await api(haven, author, 'POST', `/threads/${made.body.thread.id}/posts`, { body: 'hi' });
    assert.equal(silenced.status, 403);
    await row.getByRole('button', { name: `Lift the silence of @${author.username}` }).click();
    assert.equal(await page.getByRole('status').innerText(), `Lifted the silence of @${author.username}.`);
    assert.equal(await page.locator('.mod-row', { hasText: `@${author.username}` }).count(), 0);

    // All of it is in the audit log, newest first.
    await visit(page, '/mod/audit', 'Audit log');
    const actions = await page.locator('.mod-table tbody tr td:nth-child(3)').allInnerTexts();
    assert.deepEqual(actions.slice(0, 4), ['sanction.lift', 'sanction.silence', 'queue.approve', 'queue.hide']);
    await context.close();
  });

  test('an admin adds a watched word, and it flags a post on the queue', async () => {
    const { context, page } = await pageFor(admin, DESKTOP);
    await visit(page, '/mod/watched-words', 'Watched words');
    await page.getByLabel('Word or phrase', { exact: true }).fill('miracle cure');
    await page.getByRole('radio', { name: /Flag:/ }).check();
    await page.getByRole('button', { name: 'Add to the list' }).click();
    assert.equal(await page.getByRole('status').innerText(), 'Added “miracle cure” (flag).');
    const row = page.locator('.mod-row', { hasText: 'miracle cure' });
    assert.match(await row.innerText(), new RegExp(`Added by @${admin.username}`));
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Word or phrase', { exact: true }).fill('Miracle  Cure');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    assert.match(await page.getByRole('alert').innerText(), /already on the list/);
    assert.equal(await page.getByLabel('Word or phrase', { exact: true }).inputValue(), 'Miracle  Cure');

    const poster = await createMember(haven);
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = $1', [poster.id]);
    const flagged = await api(haven, poster, 'POST', '/categories/living-with-mbc/threads', {
      title: 'Found it',
      body: 'This miracle cure worked for me.',
    });
    assert.equal(flagged.status, 201);
    await visit(page, '/mod', 'Moderation queue');
    const item = page.locator('article.mod-item', { hasText: 'This miracle cure worked for me.' });
    assert.match(await item.innerText(), /Watched word: watched word \(flag\): rule #\d+/);
    await item.getByRole('link', { name: /see rule #\d+/ }).click();
    assert.equal(new URL(page.url()).pathname, '/mod/watched-words');
    await context.close();
  });
});
