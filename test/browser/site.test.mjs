// The site's frame in a real browser: the guidelines page readable with JavaScript off, the skip link and crisis
// banner on it, 0 axe violations at phone and desktop widths (the help page too, reached from the footer), and an
// unknown address answered by a page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeViolations, createMember, DESKTOP, launchBrowser, PHONE, signIn, startHaven } from './harness.mjs';

describe('site frame', () => {
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

  test('the guidelines read without JavaScript, with a skip link and the crisis lines', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    const res = await page.goto(`${haven.base}/guidelines`);
    assert.equal(res.status(), 200);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert.equal(focused, 'Skip to main content');
    assert.match(await page.locator('.crisis-banner').innerText(), /988/);
    assert.equal(await page.locator('h1').innerText(), 'Community guidelines');
    assert.equal(await page.locator('script').count(), 0);
    await context.close();
  });

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`axe finds nothing on the guidelines, the help page and a missing page (${name})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${haven.base}/guidelines`);
      assert.deepEqual(await axeViolations(page), []);
      await page.locator('.site-footer').getByRole('link', { name: 'Help', exact: true }).click();
      await page.waitForURL(`${haven.base}/help`);
      assert.equal(await page.locator('h1').innerText(), 'Help');
      assert.deepEqual(await axeViolations(page), []);
      const missing = await page.goto(`${haven.base}/no-such-page`);
      assert.equal(missing.status(), 404);
      assert.equal(await page.locator('h1').innerText(), 'Page not found');
      assert.deepEqual(await axeViolations(page), []);
      await context.close();
    });
  }

  test('a member signs in, is brought back to the page they wanted, and signs out', async () => {
    const member = await createMember(haven, { displayName: 'River Calm' });
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin`);
    await page.getByLabel('Username or email').fill(member.username);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Wrong username, email or password/);
    assert.equal(await page.getByLabel('Username or email').inputValue(), member.username);
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${haven.base}/signin?next=/guidelines`);
    await signIn(page, haven, member);
    assert.equal(new URL(page.url()).pathname, '/guidelines');
    assert.match(await page.getByRole('status').innerText(), /Welcome back, River Calm/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    assert.match(await page.getByRole('status').innerText(), /signed out/);
    assert.equal(await page.getByRole('link', { name: 'Sign in' }).count(), 1);
    await context.close();
  });
});
