import { startTestApp, type TestApp } from './app';
import { createCategory, trust } from './factories/forums';
import { createUser, type TestUser } from './factories/users';
import { type BrowserSession, followRedirect, guestBrowser, signInBrowser } from './factories/web';
import { startSmtp, type TestSmtp } from './support/smtp';
import { confirmAddress, guestAddress, isConfirmation, newArticle, publishedComment } from './support/subscriptions';

describe('Subscriptions in a browser: the box, confirmation and unsubscribe pages, settings (e2e)', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
    admin = await createUser(t, { role: 'admin' });
    mod = await createUser(t, { role: 'moderator' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const post = (browser: BrowserSession, path: string, fields: Record<string, string> = {}) =>
    t.http
      .post(path)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, ...fields });
  const confirmedAt = async (email: string) =>
    (
      (await t.db.query(`SELECT confirmed_at AS "at" FROM subscriptions WHERE address = $1`, [email])) as Array<{
        at: Date | null;
      }>
    )[0]?.at;
  /** The path of a link in a mail, to open it in the test's browser. */
  const pathOf = (link: string) => new URL(link).pathname;

  it('takes a guest from the article box to "check your email", and confirms only on the button, not the GET', async () => {
    const key = await newArticle(t, admin, 'Eating well in treatment');
    const page = await t.http.get(`/articles/${key}`).expect(200);
    expect(page.text).toContain('Get Email Updates');
    expect(page.text).toContain('name="email"');
    const browser = await guestBrowser(t);
    const email = guestAddress('web');
    const sent = await post(browser, '/subscriptions', {
      targetType: 'page',
      targetKey: key,
      email,
      frequency: 'daily',
      next: `/articles/${key}#updates`,
    }).expect(303);
    expect(sent.headers.location).toBe('/subscriptions/check-email');
    expect((await followRedirect(t, browser, sent).expect(200)).text).toContain('Check your email to confirm');

    const mail = await smtp.waitFor(email, isConfirmation);
    const link = mail.links.find((l) => l.includes('/subscriptions/confirm/'))!;
    // A mail scanner follows the link with GET: it sees a button, and confirms nothing.
    const shown = await t.http.get(pathOf(link)).set('Cookie', browser.cookie).expect(200);
    expect(shown.text).toContain('Yes, send me updates');
    expect(await confirmedAt(email)).toBeNull();
    await post(browser, pathOf(link)).expect(200);
    expect(await confirmedAt(email)).toBeInstanceOf(Date);
    // The used link says so kindly, naming what is wrong.
    const again = await post(browser, pathOf(link)).expect(422);
    expect(again.text).toContain('This link is not valid any more');
  });

  it('stops from the footer link: the GET says what it stops, the POST stops it and says so', async () => {
    const key = await newArticle(t, admin, 'Sleep and fatigue');
    const browser = await guestBrowser(t);
    const email = guestAddress('footer');
    await post(browser, '/subscriptions', {
      targetType: 'page',
      targetKey: key,
      email,
      frequency: 'immediately',
    }).expect(303);
    const confirm = (await smtp.waitFor(email, isConfirmation)).links.find((l) => l.includes('/confirm/'))!;
    await post(browser, pathOf(confirm)).expect(200);
    const id = await publishedComment(t, mod, key, 'Rest when you can.');
    const mail = await smtp.waitFor(email, (m) => m.links.some((l) => l.endsWith(`#comment-${id}`)));
    const footer = mail.links.find((l) => l.includes('/unsubscribe/'))!;
    expect(mail.text).toContain(footer);

    const ask = await t.http.get(pathOf(footer)).set('Cookie', browser.cookie).expect(200);
    expect(ask.text).toContain('This stops email updates about “Sleep and fatigue”.');
    expect(await confirmedAt(email)).toBeInstanceOf(Date);
    const done = await post(browser, pathOf(footer)).expect(200);
    expect(done.text).toContain('You will no longer get email updates about “Sleep and fatigue”.');
    expect(await confirmedAt(email)).toBeUndefined();
    expect((await t.http.get(pathOf(footer)).expect(200)).text).toContain('already stopped');
    await t.http.get('/unsubscribe/not-a-link').expect(404);
  });

  it('refuses a form without its token (403) and a bad address (422, naming the field)', async () => {
    const key = await newArticle(t, admin);
    const browser = await guestBrowser(t);
    await t.http
      .post('/subscriptions')
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ targetType: 'page', targetKey: key, email: guestAddress(), frequency: 'daily' })
      .expect(403);
    const bad = await post(browser, '/subscriptions', {
      targetType: 'page',
      targetKey: key,
      email: 'nobody',
      frequency: 'daily',
    }).expect(422);
    expect(bad.text).toContain('Your email address must be an email address');
  });

  it("lists a member's email updates in her settings, and stops one there", async () => {
    const { slug } = await createCategory(t, admin);
    const ann = await createUser(t);
    await trust(t, ann);
    await confirmAddress(t, ann);
    const browser = await signInBrowser(t, ann);
    const category = await t.http.get(`/c/${slug}`).set('Cookie', browser.cookie).expect(200);
    expect(category.text).toContain('Get Email Updates');
    expect(category.text).not.toContain('name="email"');
    const saved = await post(browser, '/subscriptions', {
      targetType: 'category',
      targetKey: slug,
      frequency: 'weekly',
      next: `/c/${slug}#updates`,
    }).expect(303);
    expect(saved.headers.location).toBe(`/c/${slug}#updates-saved`);
    expect((await t.http.get(`/c/${slug}`).set('Cookie', browser.cookie)).text).toContain('a weekly digest');

    const settings = await t.http.get('/settings/subscriptions').set('Cookie', browser.cookie).expect(200);
    expect(settings.text).toContain(`Category ${slug}`);
    const action = /action="(\/settings\/subscriptions\/\d+\/stop)"/.exec(settings.text)![1];
    await post(browser, action).expect(303);
    const after = await t.http.get('/settings/subscriptions').set('Cookie', browser.cookie).expect(200);
    expect(after.text).toContain('You do not get any email updates.');
    await post(browser, action).expect(404);
  });
});
