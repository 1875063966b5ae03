// "Get Email Updates" in a real browser: a guest subscribes from the article page's box, reads "check your email",
// follows the link in the mail (kept in the local outbox: no SMTP here) to a page that confirms only on its button,
// then stops the updates from the mail's footer link; a member follows a category and finds it in her settings.
// axe at 0 violations on every one of these pages, at phone and desktop widths.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  axeViolations,
  createMember,
  DESKTOP,
  eventually,
  launchBrowser,
  PHONE,
  signIn,
  startHaven,
  uniqueName,
} from './harness.mjs';

const ARTICLE = '/articles/breast-cancer-stage-four';

describe('email updates', () => {
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

  /** The links in the newest mail to `address`, read from the local outbox as its owner would read her mail. */
  async function linksIn(address) {
    // The mail is written in the transaction of the request that caused it.
    return eventually(async () => {
      const { rows } = await haven.query(
        `SELECT text_body FROM mail_messages WHERE to_address = $1 ORDER BY id DESC LIMIT 1`,
        [address],
      );
      if (!rows[0]?.text_body) throw new Error(`no mail to ${address} yet`);
      return [...rows[0].text_body.matchAll(/https?:\/\/\S+/g)].map((m) => new URL(m[0]).pathname);
    });
  }

  test('a guest subscribes from the article, confirms on the button, and stops from the footer link', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}${ARTICLE}#updates`);
    assert.deepEqual(await axeViolations(page), []);
    const email = `${uniqueName('g')}@example.org`;
    await page.getByLabel('Your email address').fill(email);
    await page.getByLabel('A daily digest (8 in the morning)').check();
    await page.getByRole('button', { name: 'Get Email Updates' }).click();
    await page.waitForURL((url) => url.pathname === '/subscriptions/check-email');
    assert.equal(await page.locator('h1').innerText(), 'Check your email to confirm');
    assert.deepEqual(await axeViolations(page), []);

    const links = await linksIn(email);
    await page.goto(`${haven.base}${links.find((l) => l.startsWith('/subscriptions/confirm/'))}`);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: 'Yes, send me updates' }).click();
    assert.equal(await page.locator('h1').innerText(), 'You will get email updates');
    assert.deepEqual(await axeViolations(page), []);

    await page.goto(`${haven.base}${links.find((l) => l.startsWith('/unsubscribe/'))}`);
    assert.match(await page.locator('.lead').innerText(), /This stops email updates about “Breast Cancer Stage Four”/);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: 'Stop these emails' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Emails stopped');
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });

  test('a member follows a category and sees it in her settings', async () => {
    const member = await createMember(haven);
    await haven.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [member.id]);
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signIn(page, haven, member);
    await page.goto(`${haven.base}/c/living-with-mbc#updates`);
    await page.getByLabel('A weekly digest (Monday, 8 in the morning)').check();
    await page.getByRole('button', { name: 'Get Email Updates' }).click();
    await page.waitForURL((url) => url.pathname === '/c/living-with-mbc');
    assert.match(await page.locator('#updates').innerText(), /a weekly digest/);
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${haven.base}/settings/subscriptions`);
    assert.equal(await page.locator('.subscription-list li').count(), 1);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: /^Stop/ }).click();
    assert.match(await page.locator('main').innerText(), /You do not get any email updates/);
    await context.close();
  });
});
