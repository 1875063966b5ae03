// Account pages in a real browser: joining with the proof-of-work captcha solved from the keyboard, joining
// without JavaScript up to the picture captcha (a wrong answer refused, the form kept), settings (display name,
// block and unblock), axe at 0 violations on sign-up, sign-in, settings (and the data and account page) and
// profiles, logged out and in.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
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
  uniqueName,
} from './harness.mjs';

/** Presses Tab until the focused element matches `test` (at most `max` times); returns what was focused. */
async function tabTo(page, test, max = 15) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(test);
    if (found) return found;
  }
  throw new Error('Tab never reached the element');
}

describe('account pages', () => {
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

  test('joining with the proof-of-work captcha, from the keyboard alone, lands signed in', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const scripts = new Map();
    page.on('response', async (res) => {
      if (res.request().resourceType() === 'script' || /\.js$/.test(new URL(res.url()).pathname)) {
        scripts.set(res.url(), await res.body().catch(() => Buffer.alloc(0)));
      }
    });
    const cspErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${haven.base}/signup`);
    const username = uniqueName('kb');
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Email').fill(`${username}@example.org`);
    await page.getByLabel('Password').fill('calm-river-morning-light');
    await page.getByLabel('Display name').fill('Morning Light');
    await page.getByLabel('Display name').focus();
    // Tab onto the guidelines checkbox, Space ticks it; Tab on to the widget's checkbox, Space starts the check.
    await tabTo(page, () => document.activeElement?.id === 'acceptGuidelines');
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel(/I have read and accept/).isChecked(), true);
    await tabTo(page, () => !!document.activeElement?.closest('altcha-widget'));
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'checkbox');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('altcha-widget')?.getState?.() === 'verified', null, {
      timeout: 30_000,
    });
    assert.match(await page.locator('altcha-widget').innerText(), /Verified/);
    assert.deepEqual(await axeViolations(page), []);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    assert.match(await page.getByRole('status').first().innerText(), /Welcome to Haven, Morning Light/);
    assert.equal(await page.getByRole('link', { name: 'Morning Light' }).getAttribute('href'), '/settings');
    const rows = await haven.query('SELECT display_name FROM users WHERE username = $1', [username]);
    assert.equal(rows.rows[0].display_name, 'Morning Light');
    // The budget: every script the sign-up page loaded, gzipped, within 40 KB; no CSP refusals.
    const gz = [...scripts.values()].reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
    assert.ok(scripts.size >= 2, `the island and the widget were loaded (${[...scripts.keys()].join(', ')})`);
    assert.ok(gz <= 40 * 1024, `captcha page scripts are ${gz} bytes gzipped`);
    assert.deepEqual(cspErrors, []);
    await context.close();
  });

  test('the picture captcha can be chosen instead, and a different picture shown in place', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signup`);
    await page.getByLabel('Type the characters from a picture').check();
    const picture = page.getByRole('img', { name: /Captcha picture/ });
    await picture.waitFor();
    const before = await picture.getAttribute('src');
    assert.equal(await page.getByLabel('Type the characters in the picture').isEnabled(), true);
    await page.getByRole('button', { name: 'Show a different picture' }).click();
    await page.waitForFunction(
      (src) => document.querySelector('[data-captcha-img]')?.getAttribute('src') !== src,
      before,
    );
    assert.equal(new URL(page.url()).pathname, '/signup');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'captchaAnswer');
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });

  test('without JavaScript: the picture loads, a wrong answer is refused and the form is kept', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signup`);
    assert.equal(await page.locator('script').count(), 1, 'only the island tag, which does not run');
    const picture = page.getByRole('img', { name: /Captcha picture/ });
    assert.ok((await picture.evaluate((img) => img.complete && img.naturalWidth)) > 0, 'the picture loaded');
    const firstId = await page.locator('input[name="captchaId"]').inputValue();
    const username = uniqueName('nojs');
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Email').fill(`${username}@example.org`);
    await page.getByLabel('Password').fill('calm-river-evening-tide');
    await page.getByLabel(/I have read and accept/).check();
    await page.getByLabel('Type the characters in the picture').fill('zzzzzz');
    const res = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create my account' }).click(),
    ]).then(([r]) => r);
    assert.equal(res.status(), 422);
    assert.match(await page.getByRole('alert').innerText(), /did not match the picture/);
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), username);
    assert.equal(await page.getByLabel('Email').inputValue(), `${username}@example.org`);
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    assert.equal(await page.getByLabel(/I have read and accept/).isChecked(), true);
    assert.notEqual(await page.locator('input[name="captchaId"]').inputValue(), firstId);
    assert.ok((await picture.evaluate((img) => img.complete && img.naturalWidth)) > 0, 'a new picture loaded');
    assert.equal(await page.getByLabel('Type the characters in the picture').getAttribute('aria-invalid'), 'true');
    // "Show a different picture" posts the form back with what was typed.
    const secondId = await page.locator('input[name="captchaId"]').inputValue();
    await page.getByRole('button', { name: 'Show a different picture' }).click();
    await page
      .waitForFunction((id) => document.querySelector('input[name="captchaId"]')?.value !== id, secondId)
      .catch(() => undefined);
    assert.notEqual(await page.locator('input[name="captchaId"]').inputValue(), secondId);
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), username);
    assert.equal(await page.getByRole('alert').count(), 0);
    const rows = await haven.query('SELECT count(*)::int AS n FROM users WHERE username = $1', [username]);
    assert.equal(rows.rows[0].n, 0);
    await context.close();
  });

  test('settings: change the display name, block and unblock a member', async () => {
    const member = await createMember(haven, { displayName: 'First Name' });
    const other = await createMember(haven, { displayName: 'Loud Neighbour' });
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/settings`);
    assert.equal(new URL(page.url()).pathname, '/signin');
    await signIn(page, haven, member);
    assert.equal(new URL(page.url()).pathname, '/settings');
    await page.getByLabel('Display name').fill('Second Name');
    await page.getByLabel('Bio').fill('Gardening, **tea** and long walks.');
    await page.getByRole('button', { name: 'Preview bio' }).click();
    assert.equal(await page.locator('.bio-preview strong').innerText(), 'tea');
    assert.equal(await page.getByLabel('Display name').inputValue(), 'Second Name');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    assert.match(await page.getByRole('status').first().innerText(), /Your profile is saved/);
    assert.equal(await page.getByRole('link', { name: 'Second Name' }).count(), 1);
    assert.match(await page.getByText('You are not blocking anyone.').innerText(), /not blocking/);

    await page.goto(`${haven.base}/u/${other.username}`);
    assert.equal(await page.locator('h1').innerText(), 'Loud Neighbour');
    await page.getByRole('button', { name: 'Block Loud Neighbour' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /You blocked/);
    assert.equal(await page.getByRole('button', { name: 'Unblock Loud Neighbour' }).count(), 1);
    await page.goto(`${haven.base}/settings`);
    await page.getByRole('button', { name: /Unblock Loud Neighbour/ }).click();
    assert.equal(new URL(page.url()).pathname, '/settings');
    assert.match(await page.getByRole('status').first().innerText(), /You unblocked/);
    assert.equal(await page.getByText('You are not blocking anyone.').count(), 1);
    await context.close();
  });

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`axe finds nothing on sign-up, sign-in, settings and profiles, logged out and in (${name})`, async () => {
      const member = await createMember(haven, { displayName: 'Axe Reader' });
      const other = await createMember(haven, { displayName: 'Someone Else' });
      await haven.query("UPDATE users SET bio = 'I like **quiet** mornings.' WHERE id = $1", [other.id]);
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const check = async (path, label) => {
        const res = await page.goto(`${haven.base}${path}`);
        assert.equal(res.status(), 200, `${label} ${path}`);
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await axeViolations(page), [], `${label} ${path}`);
      };
      await check('/signup', 'logged out');
      await page.screenshot({ path: screenshotPath(`account-signup-${name}`), fullPage: true });
      // The refused form too, with its message and the picture chosen.
      await page.getByLabel('Type the characters from a picture').check();
      await page.getByRole('button', { name: 'Create my account' }).click();
      await page.getByRole('alert').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'refused sign-up');
      await check('/signin', 'logged out');
      await check(`/u/${other.username}`, 'logged out');
      // The pages of account mail: a forgotten password, and a mailed link's page with its button.
      await check('/forgot-password', 'logged out');
      await check('/forgot-password/sent', 'logged out');
      await check(`/confirm-email?token=${'A'.repeat(43)}`, 'logged out');
      await page.goto(`${haven.base}/signin`);
      await signIn(page, haven, member);
      await check('/signin', 'logged in');
      await check('/settings', 'logged in');
      await check('/settings/address', 'logged in');
      await check('/settings/account', 'logged in');
      // The deletion form refused (a wrong password), with its message.
      await page.getByLabel('Your password').fill('not the right password');
      await page.getByRole('button', { name: 'Delete my account in 7 days' }).click();
      await page.getByRole('alert').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'refused deletion');
      await check(`/u/${other.username}`, 'logged in');
      await check(`/u/${member.username}`, 'logged in, own profile');
      await context.close();
    });
  }
});
