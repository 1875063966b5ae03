// Local time and members' stories in a real browser (issue 13, items 5 and 10): joining keeps the browser's time
// zone, and so does signing in for a member without one; the settings change it and every time then reads in it,
// named (a session's window, a live chat message the island writes); a guest without JavaScript reads UTC, named.
// "My story" is written on its settings page, shown on the profile to members and found on the members page.
// Phone and desktop, axe at 0 on each new page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api,
  axeViolations,
  createMember,
  DESKTOP,
  launchBrowser,
  PHONE,
  signIn,
  startHaven,
  uniqueName,
} from './harness.mjs';

/** A session on 15 Jan 2031, 18:00 to 19:30 UTC: 13:00 to 14:30 in New York, 19:00 to 20:30 in Paris. */
const STARTS = '2031-01-15T18:00:00.000Z';
const ENDS = '2031-01-15T19:30:00.000Z';

describe('time zones and stories', () => {
  let haven;
  let browser;
  let slug;
  before(async () => {
    haven = await startHaven();
    browser = await launchBrowser();
    const mod = await createMember(haven, { role: 'moderator' });
    // A slug takes a-z, 0-9 and -: the name's underscore (which a short process id can bring into its last 8) goes.
    slug = `session-${uniqueName('r')
      .replace(/[^a-z0-9]/g, '')
      .slice(-8)}`;
    const made = await api(haven, mod, 'POST', '/chat/rooms', {
      slug,
      name: 'Thursday evening circle',
      kind: 'session',
      startsAt: STARTS,
      endsAt: ENDS,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  test('joining in New York keeps her zone; the session reads in New York time (phone)', async () => {
    const context = await browser.newContext({ viewport: PHONE, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signup`);
    const username = uniqueName('tz');
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Email').fill(`${username}@example.org`);
    await page.getByLabel('Password').fill('calm-river-evening-lamp');
    await page.getByLabel(/I have read and accept/).check();
    assert.equal(await page.locator('input[name="timeZone"]').inputValue(), 'America/New_York');
    await page.getByLabel(/Let my device check it/).check();
    await page.locator('altcha-widget input[type="checkbox"]').focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('altcha-widget')?.getState?.() === 'verified', null, {
      timeout: 30_000,
    });
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    const rows = await haven.query('SELECT time_zone FROM users WHERE username = $1', [username]);
    assert.equal(rows.rows[0].time_zone, 'America/New_York');
    await page.goto(`${haven.base}/chat`);
    await page.getByText('Session: 15 Jan, 13:00 to 14:30 New York time. Opens then.', { exact: true }).waitFor();
    await context.close();
  });

  test('a guest without JavaScript reads UTC, named', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await page.goto(`${haven.base}/chat/${slug}`);
    await page.getByText('Session: 15 Jan, 18:00 to 19:30 UTC. Opens then.', { exact: true }).waitFor();
    await context.close();
  });

  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`the settings change her zone; pages and live chat follow it (${label}, axe 0)`, async () => {
      const ann = await createMember(haven, { displayName: 'Ann Rivers' });
      // Her browser is in Chicago: signing in keeps that zone, as she had none.
      const context = await browser.newContext({ viewport, timezoneId: 'America/Chicago' });
      const page = await context.newPage();
      await signIn(page, haven, ann);
      await page.goto(`${haven.base}/settings`);
      await page.locator('#zone-heading + p').getByText('Chicago time').waitFor();
      assert.deepEqual(await axeViolations(page), []);
      await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Paris');
      await page.getByRole('button', { name: 'Save time zone' }).click();
      await page.getByText('Times are now shown in Paris time.').waitFor();
      assert.equal(new URL(page.url()).hash, '#zone-heading');
      assert.deepEqual(await axeViolations(page), []);

      await page.goto(`${haven.base}/chat/${slug}`);
      await page.getByText('Session: 15 Jan, 19:00 to 20:30 Paris time. Opens then.', { exact: true }).waitFor();

      // The chat island writes a live message's time in the zone the page names.
      await page.goto(`${haven.base}/chat/lobby`);
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await page.getByLabel('Your message').fill(`Bonsoir from ${label}`);
      await page.getByLabel('Your message').press('Enter');
      const mine = page.locator('[role="log"] .chat-msg[data-id]', { hasText: `Bonsoir from ${label}` });
      await mine.waitFor();
      assert.match(await mine.locator('time').innerText(), /^\d{1,2} \w{3}, \d\d:\d\d Paris time$/);
      await context.close();
    });

    test(`her story: written in the settings, shown to members, found by subtype (${label}, axe 0)`, async () => {
      const ann = await createMember(haven, { displayName: `Ann ${label}` });
      const bea = await createMember(haven, { displayName: `Bea ${label}` });
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, haven, ann);
      await page.goto(`${haven.base}/settings`);
      await page.getByRole('link', { name: 'Write your story and choose who sees it' }).click();
      await page.getByRole('heading', { name: 'Your story', level: 1 }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      await page.getByLabel('Year of diagnosis').fill('someday');
      await page.getByRole('button', { name: 'Save my story' }).click();
      await page.getByRole('alert').getByText('Year of diagnosis must be a year such as 2019').waitFor();
      assert.equal(await page.getByLabel('Year of diagnosis').getAttribute('aria-invalid'), 'true');
      assert.deepEqual(await axeViolations(page), []);
      await page.getByLabel('Why you are here').selectOption('patient');
      await page.locator('#subtype').selectOption('triple_negative');
      await page.getByLabel('Year of diagnosis').fill('2021');
      await page.getByLabel('Country').selectOption('IE');
      await page.getByLabel('Show my story on my profile, to members only').check();
      await page.getByLabel('Let members with the same subtype find me').check();
      await page.getByRole('button', { name: 'Save my story' }).click();
      await page.getByText('Your story is saved.').waitFor();

      // Bea, signed in, finds her by subtype and reads her story on her profile.
      const other = await browser.newContext({ viewport });
      const b = await other.newPage();
      await signIn(b, haven, bea);
      await b.goto(`${haven.base}/members`);
      assert.deepEqual(await axeViolations(b), []);
      await b.locator('#subtype').selectOption('triple_negative');
      await b.getByRole('button', { name: 'Find members' }).click();
      const card = b.locator('.member-list li', { hasText: `Ann ${label}` });
      await card.waitFor();
      assert.match(await card.innerText(), /Ireland/);
      assert.deepEqual(await axeViolations(b), []);
      await card.getByRole('link', { name: `Ann ${label}` }).click();
      await b.getByRole('heading', { name: 'Their story' }).waitFor();
      assert.match(await b.locator('.profile').innerText(), /2021/);
      assert.deepEqual(await axeViolations(b), []);

      // A guest sees none of it.
      const guest = await browser.newContext({ viewport });
      const g = await guest.newPage();
      await g.goto(`${haven.base}/u/${ann.username}`);
      assert.equal(await g.getByRole('heading', { name: 'Their story' }).count(), 0);
      assert.doesNotMatch(await g.locator('main').innerText(), /Ireland/);
      await Promise.all([context.close(), other.close(), guest.close()]);
    });
  }
});
