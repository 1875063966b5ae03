// Editing and moderating posts where they are read, in a real browser at phone and desktop widths: a member edits
// her reply with a preview, reads its earlier versions behind "edited" and deletes a post after a confirmation; a
// moderator hides and restores a post, edits a member's post with a reason (which the audit log shows), sees who
// wrote an anonymous post marked apart from the name, and splits replies into a new thread. axe finds nothing on
// any of these pages or states.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, axeViolations, createMember, DESKTOP, launchBrowser, PHONE, signIn, startHaven } from './harness.mjs';

const CATEGORY = 'living-with-mbc';

describe('forums: editing and moderating posts', () => {
  let haven;
  let browser;
  let moderator;

  const trusted = async (options) => {
    const m = await createMember(haven, options);
    await haven.query('UPDATE users SET first_approved_at = now() WHERE id = $1', [m.id]);
    return m;
  };

  /** A thread by `author` with replies; returns the thread and the reply ids in order. */
  const threadWith = async (author, title, replies) => {
    const created = await api(haven, author, 'POST', `/categories/${CATEGORY}/threads`, {
      title,
      body: 'How are you all getting on with the new treatment?',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ids = [];
    for (const [who, body] of replies) {
      const r = await api(haven, who, 'POST', `/threads/${created.body.thread.id}/posts`, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids.push(r.body.id);
    }
    return { thread: created.body.thread, firstPostId: created.body.post.id, replyIds: ids };
  };

  const noViolations = async (page, what) => assert.deepEqual(await axeViolations(page), [], what);

  before(async () => {
    haven = await startHaven({ RATE_LIMITS: 'off' });
    browser = await launchBrowser();
    moderator = await createMember(haven, { role: 'moderator', displayName: 'Mod Sam' });
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  for (const [width, viewport] of Object.entries({ phone: PHONE, desktop: DESKTOP })) {
    test(`a member edits her reply with a preview, reads the revisions and deletes a post (${width})`, async () => {
      const maya = await trusted({ displayName: 'Maya Hart' });
      const { thread, replyIds } = await threadWith(maya, `Tiredness on the new tablets (${width})`, [
        [maya, { body: 'Day three and I slept all afternoon.' }],
        [maya, { body: 'A post I will take back.' }],
      ]);
      const [replyId, doomedId] = replyIds;
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, haven, maya);
      await page.goto(`${haven.base}/t/${thread.id}`);
      await noViolations(page, `thread with her actions (${width})`);
      await page.locator(`#post-${replyId}`).getByRole('link', { name: 'Edit this post by Maya Hart' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Edit your post');
      await noViolations(page, `edit page (${width})`);
      await page.getByLabel('Your post').fill('');
      await page.getByRole('button', { name: 'Save changes' }).click();
      assert.ok((await page.getByRole('alert').innerText()).length > 0);
      await noViolations(page, `refused edit (${width})`);
      await page.getByLabel('Your post').fill('Day three and I slept **all** afternoon. Day four was better.');
      await page.getByRole('button', { name: 'Preview' }).click();
      assert.equal(await page.locator('.preview .post-body strong').innerText(), 'all');
      await noViolations(page, `edit preview (${width})`);
      await page.getByRole('button', { name: 'Save changes' }).click();
      assert.match(await page.getByRole('status').innerText(), /Your changes are saved/);
      assert.match(await page.locator(`#post-${replyId} .post-body`).innerText(), /Day four was better/);

      await page.goto(`${haven.base}/t/${thread.id}`);
      await page.getByRole('link', { name: 'Edit the title and opening post' }).click();
      await page.getByLabel('Thread title').fill(`Tiredness on the new tablets, week one (${width})`);
      await page.getByRole('button', { name: 'Save changes' }).click();
      assert.equal(await page.locator('h1').innerText(), `Tiredness on the new tablets, week one (${width})`);
      await page.goto(`${haven.base}/t/${thread.id}`);

      await page
        .locator(`#post-${replyId}`)
        .getByRole('link', { name: /edited/ })
        .click();
      assert.equal(await page.locator('h1').innerText(), 'Earlier versions');
      assert.match(await page.locator('main').innerText(), /Day three and I slept all afternoon\./);
      await noViolations(page, `revisions (${width})`);

      await page.goto(`${haven.base}/t/${thread.id}`);
      await page.locator(`#post-${doomedId}`).getByRole('link', { name: 'Delete this post by Maya Hart' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Delete this post?');
      await noViolations(page, `delete confirmation (${width})`);
      await page.getByRole('button', { name: 'Delete the post' }).click();
      assert.match(await page.getByRole('status').innerText(), /The post is deleted/);
      assert.match(await page.locator(`#post-${doomedId}`).innerText(), /This post was deleted\./);
      await context.close();
    });

    test(`a moderator hides, restores, edits with a reason (audited), sees anonymous authors, splits (${width})`, async () => {
      const jo = await trusted({ displayName: 'Jo Rivers' });
      const ana = await trusted({ displayName: 'Quiet Quinn' });
      const { thread, replyIds } = await threadWith(jo, `Travel insurance with MBC (${width})`, [
        [jo, { body: 'My phone number is 0123 456 789, call me.' }],
        [ana, { body: 'I asked anonymously about this.', anonymous: true }],
        [jo, { body: 'Off topic: anyone knitting?' }],
        [ana, { body: 'Yes, socks mostly!' }],
      ]);
      const [phoneId, anonId, knitId, socksId] = replyIds;
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, haven, moderator);
      await page.goto(`${haven.base}/t/${thread.id}`);
      await noViolations(page, `thread as moderator (${width})`);
      const anon = page.locator(`#post-${anonId}`);
      assert.equal(await anon.locator('.post-author').innerText(), 'Anonymous member');
      assert.match(
        await anon.locator('.anonymous-mark').innerText(),
        /Quiet Quinn posted anonymously as @\S+; visible/,
      );

      await page.locator(`#post-${phoneId}`).getByRole('button', { name: 'Hide this post by Jo Rivers' }).click();
      assert.match(await page.getByRole('status').innerText(), /hidden from members/);
      assert.match(await page.locator(`#post-${phoneId}`).innerText(), /Hidden from members/);
      await noViolations(page, `hidden post (${width})`);
      await page.locator(`#post-${phoneId}`).getByRole('button', { name: 'Restore this post by Jo Rivers' }).click();
      assert.match(await page.getByRole('status').innerText(), /restored/);

      await page.locator(`#post-${phoneId}`).getByRole('link', { name: 'Edit this post by Jo Rivers' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Edit a post');
      await noViolations(page, `moderator's edit page (${width})`);
      await page.getByLabel('The post').fill('My phone number is [removed by a moderator], call me.');
      await page.getByRole('button', { name: 'Save changes' }).click();
      assert.match(await page.getByRole('alert').innerText(), /reason is needed/i);
      await page.getByLabel('Reason for the change (required)').fill('removed a phone number');
      await page.getByRole('button', { name: 'Save changes' }).click();
      assert.match(await page.locator(`#post-${phoneId} .post-body`).innerText(), /removed by a moderator/);
      await page.goto(`${haven.base}/mod/audit`);
      assert.match(await page.locator('main').innerText(), /removed a phone number/);

      await page.goto(`${haven.base}/t/${thread.id}`);
      await page.getByRole('link', { name: 'Split replies into a new thread' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Split replies into a new thread');
      await noViolations(page, `split page (${width})`);
      await page.locator(`#split-post-${knitId}`).check();
      await page.locator(`#split-post-${socksId}`).check();
      await page.getByLabel('Title of the new thread').fill(`Knitting corner (${width})`);
      await page.getByRole('button', { name: 'Move the chosen replies' }).click();
      assert.match(await page.getByRole('status').innerText(), /thread of their own/);
      assert.equal(await page.locator('h1').innerText(), `Knitting corner (${width})`);
      assert.match(await page.locator('main').innerText(), /socks mostly/);
      await context.close();

      // A member sees the same anonymous post with no trace of who wrote it.
      const member = await browser.newContext({ viewport });
      const memberPage = await member.newPage();
      await signIn(memberPage, haven, jo);
      await memberPage.goto(`${haven.base}/t/${thread.id}`);
      assert.doesNotMatch(await memberPage.locator('main').innerText(), /Quiet Quinn/);
      assert.equal(await memberPage.locator('.anonymous-mark').count(), 0);
      await member.close();
    });
  }
});
