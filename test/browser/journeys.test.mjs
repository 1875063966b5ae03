// Journeys across features, in a real browser, as people would take them: a guest's comment on the article
// appearing after a moderator approves it on the queue page; a member's report reaching the queue page; and every
// page checked by axe (signed out, as a member, as a moderator) with no script on the pages that are for reading.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, axeViolations, createMember, DESKTOP, launchBrowser, PHONE, signIn, startHaven } from './harness.mjs';

const ARTICLE = '/articles/breast-cancer-stage-four';

describe('journeys across features', () => {
  let haven;
  let browser;
  let moderator;
  let admin;
  let member;
  let thread;
  before(async () => {
    haven = await startHaven();
    browser = await launchBrowser();
    moderator = await createMember(haven, { role: 'moderator', displayName: 'Mod Maria' });
    admin = await createMember(haven, { role: 'admin', displayName: 'Ada Admin' });
    member = await createMember(haven, { displayName: 'Jo' });
    const created = await api(haven, member, 'POST', '/categories/living-with-mbc/threads', {
      title: 'What helps you on scan days?',
      body: 'Scanxiety is real. What do you do the night before?',
    });
    assert.equal(created.status, 202, "a new member's first thread waits for a moderator");
    const queue = await api(haven, moderator, 'GET', '/moderation/queue');
    const held = queue.body.items.find((i) => JSON.stringify(i).includes('What helps you on scan days?'));
    assert.equal(
      (await api(haven, moderator, 'POST', `/moderation/queue/${held.id}/resolve`, { action: 'approve' })).status,
      200,
    );
    thread = { ...created.body.thread, firstPostId: created.body.post.id };
  });
  after(async () => {
    await browser?.close();
    await haven?.stop();
  });

  test("a guest's comment on the article appears after a moderator approves it on the queue page", async () => {
    const guest = await browser.newContext({ viewport: PHONE });
    const page = await guest.newPage();
    await page.goto(`${haven.base}${ARTICLE}#add-comment`);
    await page.getByLabel('Your comment').fill('Thank you, this helped me explain it to my sister.');
    await page.getByLabel('Your name').fill('Sam (guest)');
    await page.getByLabel(/I accept the community guidelines/).check();
    await solveCaptchaByKeyboard(page);
    await page.getByRole('button', { name: 'Post my comment' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /moderator/i);
    assert.equal(await page.getByText('Thank you, this helped me explain it').count(), 0);

    const mod = await browser.newContext({ viewport: DESKTOP });
    const modPage = await mod.newPage();
    await modPage.goto(`${haven.base}/signin?next=/mod`);
    await signIn(modPage, haven, moderator);
    const item = modPage.locator('article, li, tr').filter({ hasText: 'Thank you, this helped me explain it' }).last();
    await item.getByRole('button', { name: 'Approve and publish' }).click();
    await modPage.waitForLoadState();

    await page.goto(`${haven.base}${ARTICLE}`);
    assert.equal(await page.getByText('Thank you, this helped me explain it to my sister.').count(), 1);
    assert.equal((await page.getByText('Sam (guest)').count()) > 0, true);
    await guest.close();
    await mod.close();
  });

  test("a member's report reaches the moderators' queue page with its reason", async () => {
    const reporter = await createMember(haven);
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin?next=/t/${thread.id}`);
    await signIn(page, haven, reporter);
    await page
      .getByRole('link', { name: /Report/ })
      .first()
      .click();
    await page.getByLabel('What is wrong?').selectOption({ index: 1 });
    await page.getByLabel(/Anything the moderators should know/).fill('This reads like an advert for a clinic abroad.');
    await page.getByRole('button', { name: 'Send report' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /report/i);
    await context.close();

    const mod = await browser.newContext({ viewport: DESKTOP });
    const modPage = await mod.newPage();
    await modPage.goto(`${haven.base}/signin?next=/mod`);
    await signIn(modPage, haven, moderator);
    assert.ok((await modPage.getByText('This reads like an advert for a clinic abroad.').count()) > 0);
    assert.deepEqual(await axeViolations(modPage), []);
    await mod.close();
  });

  const STAFF_ISLAND = /^\/assets\/(notifications|_chat-socket)-[\w-]+\.js$/;
  const staff = (name) => name === 'moderator' || name === 'admin';
  // A member who may reply loads one small island on a thread page: quoting a selection (about 1 KB); guests none.
  const QUOTE_ISLAND = /^\/assets\/quote-[\w-]+\.js$/;

  test('every page has no axe violation, signed out, as a member and as a moderator; reading pages load no script', async () => {
    const reading = [
      '/',
      '/c/living-with-mbc',
      `/t/${thread.id}`,
      ARTICLE,
      '/guidelines',
      `/u/${member.username}`,
      '/search?q=scan',
    ];
    const forGuests = [...reading, '/signin', '/signup', '/chat', '/chat/lobby'];
    const forMembers = [
      ...reading,
      '/c/living-with-mbc/new',
      '/settings',
      '/notifications',
      '/chat',
      '/chat/lobby',
      `/report/post/${thread.firstPostId ?? ''}`,
    ];
    const forModerators = ['/mod', '/mod/sanctions', '/mod/audit', '/mod/rooms'];
    const who = [
      ['guest', undefined, forGuests],
      ['member', member, forMembers],
      ['moderator', moderator, [...forModerators, '/', `/t/${thread.id}`]],
      ['admin', admin, ['/mod/watched-words', '/mod']],
    ];
    const problems = [];
    for (const [name, person, paths] of who) {
      for (const viewport of [PHONE, DESKTOP]) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        if (person) await signIn(page, haven, person);
        for (const path of paths) {
          const scripts = [];
          page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
          const res = await page.goto(`${haven.base}${path}`);
          if (res.status() >= 400) problems.push(`${name} ${path}: status ${res.status()}`);
          const violations = await axeViolations(page);
          if (violations.length) problems.push(`${name} ${path} (${viewport.width}px): ${JSON.stringify(violations)}`);
          // Moderators and admins load one island on every page: the live crisis alerts (notifications island).
          const loaded = scripts.filter(
            (url) =>
              !(staff(name) && STAFF_ISLAND.test(new URL(url).pathname)) &&
              !(person && path.startsWith('/t/') && QUOTE_ISLAND.test(new URL(url).pathname)),
          );
          if (reading.includes(path) && !(path === ARTICLE && !person) && loaded.length) {
            problems.push(`${name} ${path}: loaded ${loaded.join(', ')}`);
          }
          page.removeAllListeners('request');
        }
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  test('text is 16 px on phones and 19 px on large screens, lines at least 1.5 high and at most 80 characters', async () => {
    const pages = ['/', `/t/${thread.id}`, ARTICLE, '/guidelines', '/chat'];
    const problems = [];
    for (const [viewport, size] of [
      [PHONE, 16],
      [DESKTOP, 19],
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      for (const path of pages) {
        await page.goto(`${haven.base}${path}`);
        const found = await page.evaluate(() => {
          const canvas = document.createElement('canvas').getContext('2d');
          return (
            [...document.querySelectorAll('main p, main li')]
              // Blocks of running text: paragraphs, and list items that hold no blocks of their own.
              .filter((el) => el.offsetParent !== null && el.textContent.trim().length > 40)
              .filter((el) => el.tagName === 'P' || !el.querySelector('p, div, h2, h3, h4, ul, ol, article, section'))
              .map((el) => {
                const style = getComputedStyle(el);
                canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                // Characters per line: the box's width over the width of an average character of this text.
                const text = el.textContent.trim();
                const perChar = canvas.measureText(text).width / text.length;
                return {
                  text: text.slice(0, 30),
                  fontSize: parseFloat(style.fontSize),
                  lineHeight: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
                  chars: Math.round(el.getBoundingClientRect().width / perChar),
                  small: el.closest('[class*="meta"], .hint, .muted, .site-footer, .crisis-banner, small') !== null,
                };
              })
          );
        });
        assert.ok(found.length > 0, `${path}: no paragraph to measure`);
        for (const f of found) {
          if (!f.small && f.fontSize < size) problems.push(`${path} ${viewport.width}px: ${f.fontSize}px "${f.text}"`);
          if (f.lineHeight < 1.5) problems.push(`${path}: line height ${f.lineHeight.toFixed(2)} "${f.text}"`);
          if (f.chars > 80) problems.push(`${path} ${viewport.width}px: ${f.chars} characters a line "${f.text}"`);
        }
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
});

/** The ALTCHA widget, as a keyboard user solves it: Tab to its checkbox, Space, wait until it is verified. */
async function solveCaptchaByKeyboard(page) {
  await page.getByLabel(/I accept the community guidelines/).focus();
  for (let i = 0; i < 6 && !(await page.evaluate(() => !!document.activeElement?.closest('altcha-widget'))); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Space');
  await page.waitForFunction(
    () =>
      document.querySelector('altcha-widget')?.getAttribute('data-state') === 'verified' ||
      [...document.querySelectorAll('input[name="altcha"], input[name="captchaPayload"]')].some((i) => i.value),
    null,
    { timeout: 30_000 },
  );
}
