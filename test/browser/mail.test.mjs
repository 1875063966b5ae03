// Mail journeys in a real browser, on a trial server without SMTP (as `npm start` runs it): the mail Haven would
// have sent is read on /admin/mail from this machine, and its links are followed like links in a mailbox.
// Forgot password: from the sign-in page to signing in with the new password. axe at 0 violations on each page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeViolations, createMember, DESKTOP, eventually, launchBrowser, startHaven } from './harness.mjs';

/** Opens the newest kept mail to `address` with this subject, from the outbox pages, as a person would. */
async function openMail(page, haven, address, subject) {
  const row = await eventually(async () => {
    await page.goto(`${haven.base}/admin/mail`);
    const found = page.locator('tr', { hasText: address }).filter({ hasText: subject }).first();
    if ((await found.count()) === 0 || !/kept here/.test(await found.innerText())) {
      throw new Error(`no kept mail "${subject}" to ${address} yet`);
    }
    return found;
  });
  await row.getByRole('link', { name: subject }).click();
  await page.waitForURL(/\/admin\/mail\/\d+$/);
}

describe('mail journeys', () => {
  let haven;
  let browser;
  before(async () => {
    haven = await startHaven({ SMTP_URL: '', JOBS_POLL_MS: '500' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  test('forgot password: from the sign-in page, through the mail, to signing in with the new password', async () => {
    const member = await createMember(haven);
    const address = `${member.username}@example.org`;
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin`);
    assert.equal(await page.getByRole('link', { name: 'see the mail this server would have sent' }).count(), 1);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(/\/forgot-password$/);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Email').fill(address);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), /mail/i);
    assert.deepEqual(await axeViolations(page), []);

    await openMail(page, haven, address, 'Choose a new password');
    assert.deepEqual(await axeViolations(page), []);
    const link = page.locator('pre.mail-text a').filter({ hasText: '/reset-password' }).first();
    const href = await link.getAttribute('href');
    // Links in mail point at PUBLIC_URL; on this trial server that is this server.
    await page.goto(href.replace(/^https?:\/\/[^/]+/, haven.base));
    await page.getByLabel('New password').fill('a-new-morning-by-the-sea');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: 'Save my new password' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/signin'));

    await page.getByLabel('Username or email').fill(member.username);
    await page.getByLabel('Password', { exact: true }).fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    assert.match(page.url(), /\/signin/, 'the old password no longer works');
    await page.getByLabel('Username or email').fill(member.username);
    await page.getByLabel('Password', { exact: true }).fill('a-new-morning-by-the-sea');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    assert.match(await page.getByRole('status').first().innerText(), /Welcome back/);
    await context.close();
  });
});
