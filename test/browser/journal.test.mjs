// The symptom journal in a real browser (issue 15): a member fills today on a phone by tapping (five grades a
// symptom, tap-to-add medicines), sees her chart, prepares her appointment, makes a share link that a guest opens;
// a fever shows the calm "call your care team now" panel. Phone and desktop widths, axe at 0 on every journal
// page, and the charts page read with JavaScript disabled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, axeViolations, createMember, DESKTOP, launchBrowser, PHONE, signIn, startHaven } from './harness.mjs';

const DAY_MS = 86_400_000;
const daysAgo = (n) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);

describe('symptom journal', () => {
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

  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`she fills today by tapping, sees her chart, prepares her appointment and shares a week (${label}, axe 0)`, async () => {
      const ann = await createMember(haven, { displayName: `Ann ${label}` });
      // Her medicines list and a few earlier days, set up over the API.
      const settings = await api(haven, ann, 'PATCH', '/journal/settings', {
        medicines: ['Capecitabine', 'Ondansetron'],
        careNumbers: [{ label: 'Acute oncology line', number: '+44 20 7946 0000' }],
      });
      assert.equal(settings.status, 200, JSON.stringify(settings.body));
      for (let i = 1; i <= 6; i++) {
        const put = await api(haven, ann, 'PUT', `/journal/entries/${daysAgo(i)}`, {
          symptoms: [{ name: 'fatigue', grade: i % 4 }],
          appointment: i === 5 ? 'Oncology clinic' : undefined,
        });
        assert.equal(put.status, 201, JSON.stringify(put.body));
      }
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, haven, ann);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journal' }).click();
      await page.getByRole('heading', { name: 'How are you today?' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);

      // Each grade is a target of at least 44 px high, and the five fit the phone's width.
      const fatigue = page.getByRole('group', { name: 'Fatigue' });
      const box = await fatigue.getByText('Very severe').boundingBox();
      assert.ok(box.height >= 44, `a grade is ${box.height}px high`);
      assert.ok(box.x + box.width <= viewport.width, 'the five grades fit the width');

      const started = Date.now();
      await fatigue.getByText('Moderate').click();
      await page.getByRole('group', { name: 'Pain' }).getByText('Mild').click();
      await page.getByLabel('Pain: where').fill('lower back');
      await page.getByRole('group', { name: 'Nausea' }).getByText('None').click();
      await page.getByText('Capecitabine', { exact: true }).click();
      await page.getByLabel('Questions for your care team').fill('Could the tiredness be the new dose?');
      await page.getByRole('button', { name: 'Save today' }).click();
      await page.getByText('is saved in your journal.').waitFor();
      const seconds = (Date.now() - started) / 1000;
      assert.ok(seconds < 60, `filling the day took ${seconds}s`);
      assert.equal(await page.getByRole('radio', { name: 'Moderate' }).first().isChecked(), true);
      assert.equal(await page.getByRole('checkbox', { name: 'Capecitabine' }).isChecked(), true);
      assert.deepEqual(await axeViolations(page), []);

      // Her fatigue as a picture, with its words and its table.
      await page.getByRole('navigation', { name: 'Journal' }).getByRole('link', { name: 'Charts' }).click();
      await page.getByRole('link', { name: '3 months' }).click();
      const chart = page.getByRole('img', { name: /^Fatigue, / });
      await chart.waitFor();
      assert.match(await chart.locator('desc').textContent(), /Fatigue from .*: recorded on 7 days\./);
      await page.getByText('Fatigue day by day, as a table').click();
      await page.getByRole('table', { name: 'Fatigue day by day' }).getByText('moderate (2)').first().waitFor();
      assert.deepEqual(await axeViolations(page), []);

      // Prepare for the appointment: since the last one, with her question; the PDF downloads.
      await page
        .getByRole('navigation', { name: 'Journal' })
        .getByRole('link', { name: 'Prepare for my appointment' })
        .click();
      await page.getByText('since your last appointment (Oncology clinic').waitFor();
      await page.getByText('Could the tiredness be the new dose?').waitFor();
      assert.deepEqual(await axeViolations(page), []);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download as PDF' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^haven-appointment-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.pdf$/);
      // Printed, the page drops the site's header and the journal's menu.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.site-header').isVisible(), false);
      assert.equal(await page.getByText('Could the tiredness be the new dose?').isVisible(), true);
      await page.emulateMedia({ media: 'screen' });

      // Settings: her numbers and list, axe 0.
      await page.getByRole('navigation', { name: 'Journal' }).getByRole('link', { name: 'Journal settings' }).click();
      assert.equal(await page.locator('#careNumber0').inputValue(), '+44 20 7946 0000');
      assert.deepEqual(await axeViolations(page), []);

      // A week shared with her daughter: a guest opens it, read-only; she sees the view and stops the link.
      await page.getByRole('navigation', { name: 'Journal' }).getByRole('link', { name: 'Share' }).click();
      assert.deepEqual(await axeViolations(page), []);
      await page.getByLabel('The link works for').selectOption('7');
      await page.getByRole('button', { name: 'Make a link' }).click();
      // The link as she copies it (the site's public address), opened here at the test server's own.
      const url = `${haven.base}${new URL(await page.getByLabel('Link', { exact: true }).inputValue()).pathname}`;
      assert.deepEqual(await axeViolations(page), []);
      const guest = await browser.newContext({ viewport });
      const g = await guest.newPage();
      await g.goto(url);
      await g.getByRole('heading', { name: `Ann ${label}'s symptom journal` }).waitFor();
      await g.getByRole('img', { name: /^Fatigue, / }).waitFor();
      assert.equal(await g.locator('meta[name="robots"]').getAttribute('content'), 'noindex');
      assert.deepEqual(await axeViolations(g), []);
      await page.goto(`${haven.base}/journal/shares`);
      await page.getByText('Opened 1 time.').waitFor();
      await page.getByRole('button', { name: /^Stop this link/ }).click();
      await page.getByText('That link is stopped').waitFor();
      const gone = await g.goto(url);
      assert.equal(gone.status(), 410);
      await guest.close();
      await context.close();
    });
  }

  test('a fever shows, calmly, "call your care team now" with her numbers (phone, axe 0)', async () => {
    const bea = await createMember(haven);
    await api(haven, bea, 'PATCH', '/journal/settings', {
      careNumbers: [{ label: 'Acute oncology line', number: '+44 20 7946 0000' }],
    });
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, haven, bea);
    await page.goto(`${haven.base}/journal`);
    await page.getByLabel('Temperature in °C').fill('38.4');
    await page.getByRole('button', { name: 'Save today' }).click();
    await page.getByRole('heading', { name: 'Please call your care team or acute oncology line now' }).waitFor();
    await page.getByRole('link', { name: '+44 20 7946 0000' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });

  test('the charts page reads without JavaScript: the picture, its words and its table are in the page', async () => {
    const cai = await createMember(haven);
    for (let i = 0; i < 3; i++) {
      await api(haven, cai, 'PUT', `/journal/entries/${daysAgo(i)}`, { symptoms: [{ name: 'nausea', grade: i + 1 }] });
    }
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${haven.base}/signin?next=%2Fjournal%2Fcharts`);
    await signIn(page, haven, cai);
    await page.waitForURL((u) => u.pathname === '/journal/charts');
    const chart = page.getByRole('img', { name: /^Nausea, / });
    await chart.waitFor();
    assert.match(await chart.locator('desc').textContent(), /Worst: severe on/);
    await page.getByText('Nausea day by day, as a table').click();
    await page.getByRole('table', { name: 'Nausea day by day' }).getByText('mild (1)').waitFor();
    // (axe runs as a script in the page, so it is run on this page with JavaScript on, in the tests above)
    await context.close();
  });
});
