// Article comments changed in place, in a real browser at phone and desktop widths: a member edits her comment
// with a preview, reads its earlier version from "edited" and deletes it (a placeholder stays); a moderator hides
// and restores a comment, edits a guest's with a reason, and silences a member from her profile. axe at 0
// violations on every new page and state (the edit form, its preview and refusal, the revisions, the delete
// confirmation, the moderator's article page and the profile's sanction form).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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

describe('comment edits in the pages', () => {
  let haven;
  let browser;
  let admin;
  before(async () => {
    haven = await startHaven();
    browser = await launchBrowser();
    admin = await createMember(haven, { role: 'admin' });
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  /** An article of the test's own, so its comments are the test's alone. */
  async function ownArticle() {
    const key = `page-${randomBytes(4).toString('hex')}`;
    const res = await api(haven, admin, 'PUT', `/pages/${key}`, {
      title: 'Living with scans',
      url: `https://example.org/${key}`,
    });
    assert.equal(res.status, 201);
    return key;
  }

  /** A member whose comments publish at once (she has had a post approved). */
  async function trustedMember(displayName) {
    const m = await createMember(haven, { displayName });
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = $1', [m.id]);
    return m;
  }

  async function comment(key, member, body) {
    const res = await api(haven, member, 'POST', `/pages/${key}/comments`, { body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  for (const [name, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`a member edits her comment with a preview, reads the earlier version, then deletes it (${name})`, async () => {
      const key = await ownArticle();
      const member = await trustedMember('Edit Writer');
      const id = await comment(key, member, 'My first words about scans');
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${haven.base}/signin?next=${encodeURIComponent(`/articles/${key}`)}`);
      await signIn(page, haven, member);

      await page.getByRole('link', { name: 'Edit your comment' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Edit your comment');
      assert.deepEqual(await axeViolations(page), [], 'edit form');

      await page.getByLabel('Your comment').fill('');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('alert').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'refused edit');

      await page.getByLabel('Your comment').fill('My **better** words about scans');
      await page.getByRole('button', { name: 'Preview' }).click();
      assert.equal(await page.locator('.comment-preview strong').innerText(), 'better');
      assert.equal(await page.getByLabel('Your comment').inputValue(), 'My **better** words about scans');
      assert.deepEqual(await axeViolations(page), [], 'preview');
      await page.screenshot({ path: screenshotPath(`comments-edit-preview-${name}`), fullPage: true });

      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL((url) => url.pathname === `/articles/${key}`);
      assert.match(await page.getByRole('status').first().innerText(), /The comment is changed/);
      assert.match(await page.locator(`#comment-${id} .comment-body`).innerText(), /My better words about scans/);

      await page.getByRole('link', { name: /^edited/ }).click();
      assert.equal(await page.locator('h1').innerText(), 'Earlier versions of a comment');
      assert.match(await page.locator('.revision').innerText(), /My first words about scans/);
      assert.deepEqual(await axeViolations(page), [], 'revisions');

      await page.goto(`${haven.base}/articles/${key}`);
      await page.getByRole('link', { name: 'Delete your comment' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Delete your comment?');
      assert.deepEqual(await axeViolations(page), [], 'delete confirmation');
      await page.getByRole('button', { name: 'Delete the comment' }).click();
      await page.waitForURL((url) => url.pathname === `/articles/${key}`);
      assert.match(await page.locator(`#comment-${id}`).innerText(), /This comment was deleted/);
      assert.deepEqual(await axeViolations(page), [], 'article after deleting');
      await context.close();
    });

    test(`a moderator hides, restores and edits comments in place, and silences from a profile (${name})`, async () => {
      const key = await ownArticle();
      const member = await trustedMember('Rosa Writer');
      const moderator = await createMember(haven, { role: 'moderator', displayName: 'Mod Ana' });
      const id = await comment(key, member, 'Call me on 555 0100 about the trial');
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${haven.base}/signin?next=${encodeURIComponent(`/articles/${key}`)}`);
      await signIn(page, haven, moderator);

      await page.getByRole('button', { name: 'Hide Rosa Writer’s comment' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /The comment is hidden/);
      assert.match(await page.locator(`#comment-${id}`).innerText(), /Hidden from members/);
      assert.deepEqual(await axeViolations(page), [], 'article with a hidden comment');
      await page.screenshot({ path: screenshotPath(`comments-edit-moderator-${name}`), fullPage: true });
      await page.getByRole('button', { name: 'Show again Rosa Writer’s comment' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /shown again/);

      await page.getByRole('link', { name: 'Edit Rosa Writer’s comment' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Edit a comment');
      await page.getByLabel('The comment').fill('Call me (number removed) about the trial');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('alert').waitFor();
      assert.match(await page.getByRole('alert').innerText(), /The reason is required/);
      assert.deepEqual(await axeViolations(page), [], 'edit refused without a reason');
      await page.getByLabel('Reason for the change').fill('removed a phone number');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL((url) => url.pathname === `/articles/${key}`);
      assert.match(await page.locator(`#comment-${id} .comment-body`).innerText(), /number removed/);

      await page.goto(`${haven.base}/u/${member.username}`);
      assert.deepEqual(await axeViolations(page), [], 'profile with the sanction form');
      await page.getByLabel('Kind').selectOption('silence');
      await page.getByLabel('How long').selectOption('1d');
      await page.getByLabel('Reason', { exact: true }).fill('Please take a day away');
      await page.getByRole('button', { name: 'Sanction Rosa Writer' }).click();
      assert.match(await page.getByRole('status').first().innerText(), new RegExp(`Silenced @${member.username}`));
      assert.match(await page.locator('#sanctions').innerText(), /Please take a day away/);
      assert.deepEqual(await axeViolations(page), [], 'profile after the sanction');
      await page.screenshot({ path: screenshotPath(`comments-edit-profile-sanctions-${name}`), fullPage: true });
      await context.close();
    });
  }
});
