import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { csrfOf, signInBrowser } from './factories/web';
import { NotificationBundles } from '../src/notifications/notification-bundles';
import { advanceClock } from './support/clock';
import { eventually } from './support/eventually';
import { startSmtp, type TestSmtp } from './support/smtp';

const HOUR_MS = 3_600_000;
/** The next 08:00 UTC from now: the morning of a member without a time zone, whose bundle covers the past 24 hours. */
const nextUtcMorning = () => {
  const at = new Date();
  at.setUTCHours(8, 0, 0, 0);
  return at.getTime() > Date.now() ? at : new Date(at.getTime() + 24 * HOUR_MS);
};

describe('Notification mail, against a real SMTP server (e2e)', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let admin: TestUser;
  let slug: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
    admin = await createUser(t, { role: 'admin' });
    slug = (await createCategory(t, admin)).slug;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** A member whose address is confirmed, or not (`confirmed: false`), in her time zone. */
  const member = async (opts: { confirmed?: boolean; zone?: string } = {}) => {
    const u = await createUser(t, { emailConfirmed: opts.confirmed !== false });
    if (opts.confirmed !== false || opts.zone)
      await t.db.query(`UPDATE users SET email_verified_at = $2, time_zone = $3 WHERE id = $1`, [
        u.id,
        opts.confirmed === false ? null : new Date(),
        opts.zone ?? null,
      ]);
    return u;
  };
  const setPrefs = (u: TestUser, body: Record<string, string>) =>
    t.http.patch('/api/me/email-preferences').set(bearer(u.accessToken)).send(body).expect(200);
  const mailRowsFor = async (u: TestUser) =>
    (await t.db.query(`SELECT key FROM mail_messages WHERE user_id = $1`, [u.id])) as Array<{ key: string }>;
  /** A thread by `owner` and a reply to it by a new author that also mentions a confirmed sentinel, whose mail
   * (queued in the same transaction as any mail to the owner) must arrive. */
  const replyWithSentinel = async (
    owner: TestUser,
    extra: { anonymous?: boolean; author?: TestUser; threadId?: string } = {},
  ) => {
    const author = extra.author ?? (await member());
    const sentinel = await member();
    const title = `Scan day ${randomBytes(3).toString('hex')}`;
    const threadId = extra.threadId ?? (await createThread(t, owner, slug, { title })).threadId;
    const res = await reply(t, author, threadId, `Thinking of you today, @${sentinel.username}. Tea helps.`, {
      anonymous: extra.anonymous,
    }).expect(201);
    await smtp.waitFor(sentinel.email, (m) => m.subject.includes('mentioned you'));
    return { author, threadId, postId: res.body.id as string, title };
  };

  it('mails a confirmed member a reply in her thread, with a link to it and a one-click unsubscribe', async () => {
    const owner = await member();
    const { author, threadId, postId, title } = await replyWithSentinel(owner);
    const mail = await smtp.waitFor(owner.email);
    expect(mail.subject).toBe(`${author.username} replied in “${title}”, a thread you follow`);
    expect(mail.text).toContain('Thinking of you today');
    expect(mail.links).toContainEqual(
      expect.stringMatching(new RegExp(`^http://haven\\.test/t/${threadId}\\?cursor=.+#post-${postId}$`)),
    );
    expect(mail.header['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    // One click, as a mail client sends it: replies go quiet, nothing else changes.
    const url = /^<(.+)>$/.exec(mail.header['list-unsubscribe'])![1].replace('http://haven.test', '');
    const res = await t.http.post(url).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(res.body.message).toMatch(/no longer get email about replies/);
    const prefs = await t.http.get('/api/me/email-preferences').set(bearer(owner.accessToken)).expect(200);
    expect(prefs.body).toMatchObject({ replies: 'off', mentions: 'immediately' });
  });

  it('sends nothing for a kind she turned off, to an unconfirmed address, or to a suspended member', async () => {
    const off = await member();
    await setPrefs(off, { replies: 'off' });
    const unconfirmed = await member({ confirmed: false });
    const suspended = await member();
    const owners = [off, unconfirmed, suspended];
    // Their threads first: a suspended member writes nothing.
    const threads = [];
    for (const owner of owners) threads.push((await createThread(t, owner, slug)).threadId);
    await t.http
      .post(`/api/moderation/users/${suspended.username}/sanctions`)
      .set(bearer(admin.accessToken))
      .send({ kind: 'suspend', reason: 'a pause to cool down', until: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);
    for (const [i, owner] of owners.entries()) {
      await replyWithSentinel(owner, { threadId: threads[i] });
      expect(await mailRowsFor(owner)).toEqual([]);
      expect(smtp.to(owner.email)).toHaveLength(0);
    }
  });

  it('sends nothing about a member she blocks, and never names an anonymous author', async () => {
    const owner = await member();
    const blocked = await member();
    await t.http.post(`/api/users/${blocked.username}/block`).set(bearer(owner.accessToken)).expect(204);
    await replyWithSentinel(owner, { author: blocked });
    expect(await mailRowsFor(owner)).toEqual([]);
    // The same member, anonymous: she is told (a missing mail would name the author), and the mail names nobody.
    advanceClock(t, 31);
    await replyWithSentinel(owner, { author: blocked, anonymous: true });
    const mail = await smtp.waitFor(owner.email);
    expect(mail.subject).toContain('Anonymous member replied');
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toContain(blocked.username);
    }
  });

  it('sends no mail about crisis words (the notification stays on her page)', async () => {
    const owner = await member();
    const stamp = randomBytes(4).toString('hex');
    await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: `cannot go on ${stamp}`, action: 'crisis' })
      .expect(201);
    const { threadId } = await createThread(t, owner, slug);
    const sentinel = await member();
    await reply(t, await member(), threadId, `I cannot go on ${stamp}, @${sentinel.username}`).expect(201);
    const list = await eventually(async () => {
      const res = await t.http.get('/api/notifications').set(bearer(owner.accessToken)).expect(200);
      expect(res.body.items).toHaveLength(1);
      return res.body;
    });
    expect(list.items[0].kind).toBe('reply');
    expect(await mailRowsFor(owner)).toEqual([]);
    expect(await mailRowsFor(sentinel)).toEqual([]);
  });

  it('tells an author by mail that moderators hid her words for review, without quoting them', async () => {
    const author = await member();
    const { threadId } = await createThread(t, await member(), slug);
    const words = `A remedy from my cousin ${randomBytes(3).toString('hex')}`;
    const post = await reply(t, author, threadId, words).expect(201);
    for (let i = 0; i < t.config.moderation.autoHideReports; i++) {
      const reporter = await createUser(t);
      await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'post', targetId: post.body.id, reason: 'misinformation' })
        .expect(201);
    }
    const mail = await smtp.waitFor(author.email);
    expect(mail.subject).toBe('A note from the moderators about something you wrote');
    expect(mail.text).toContain('hidden while moderators review reports about it');
    expect(mail.text).not.toContain(words);
    expect(mail.links).toContain('http://haven.test/notifications');
  });

  it('keeps one durable hourly bundle job queued for the next hour, however often the app starts', async () => {
    const queued = async () =>
      (await t.db.query(`SELECT start_after AS "startAfter" FROM pgboss.job WHERE name = $1 AND state = 'created'`, [
        `${t.config.jobs.queuePrefix}notifications.bundles`,
      ])) as Array<{ startAfter: Date }>;
    const nextHour = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS + HOUR_MS;
    const seenAt = Date.now();
    await t.app.get(NotificationBundles).onApplicationBootstrap(); // another process, or a restart
    const times = (await queued()).map((j) => j.startAfter.getTime());
    // One job per hour, on the hour, for the next hour (two only when an hour began between the two starts).
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((time) => time % HOUR_MS === 0)).toBe(true);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(nextHour(seenAt));
    // Within the last moments of an hour the worker may already have run that hour's job (the database's clock and
    // the poll are not this process's), which queues the hour after.
    expect(Math.max(...times)).toBeLessThanOrEqual(nextHour(Date.now() + 60_000));
    expect(times.length).toBeLessThanOrEqual(2);
  });

  it('gathers a daily member’s unread notifications into one mail at 08:00 in her time zone, once', async () => {
    const owner = await member();
    const elsewhere = await member({ zone: 'Asia/Tokyo' });
    for (const u of [owner, elsewhere]) await setPrefs(u, { replies: 'daily' });
    const first = await replyWithSentinel(owner);
    const { threadId } = await createThread(t, elsewhere, slug);
    await reply(t, first.author, threadId, 'Hello from the morning people').expect(201);
    advanceClock(t, 31);
    await reply(t, first.author, first.threadId, 'And a second thought, later').expect(201);
    await eventually(async () => {
      const res = await t.http.get('/api/notifications').set(bearer(owner.accessToken)).expect(200);
      expect(res.body.unread).toBe(2);
    });
    expect(await mailRowsFor(owner)).toEqual([]); // nothing as it happens

    const bundles = t.app.get(NotificationBundles);
    const morning = nextUtcMorning();
    await bundles.run(new Date(morning.getTime() - HOUR_MS)); // 07:00 UTC: nobody's morning here yet
    expect(await mailRowsFor(owner)).toEqual([]);
    await bundles.run(morning);
    const mail = await smtp.waitFor(owner.email);
    expect(mail.subject).toBe('2 new notifications since yesterday morning');
    expect(mail.text).toContain('And a second thought, later');
    expect(mail.text).toContain('Tea helps');
    expect(mail.links.filter((l) => l.includes(`/t/${first.threadId}?`))).toHaveLength(2);
    const stop = /^<(.+)>$/.exec(mail.header['list-unsubscribe'])![1].replace('http://haven.test', '');
    await t.http.post(stop).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const prefs = await t.http.get('/api/me/email-preferences').set(bearer(owner.accessToken)).expect(200);
    expect(prefs.body).toMatchObject({ replies: 'off', mentions: 'immediately' });
    // Again for the same morning: the same one mail. Tokyo's 08:00 is not 08:00 UTC: nothing for her.
    await bundles.run(morning);
    expect(await mailRowsFor(owner)).toHaveLength(1);
    expect(await mailRowsFor(elsewhere)).toEqual([]);
  });
});

describe('Email preferences (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const prefs = (u: TestUser) => t.http.get('/api/me/email-preferences').set(bearer(u.accessToken));
  const change = (u: TestUser, body: unknown) =>
    t.http
      .patch('/api/me/email-preferences')
      .set(bearer(u.accessToken))
      .send(body as object);

  it('starts from kind defaults and changes any subset, keeping the rest', async () => {
    const member = await createUser(t);
    expect((await prefs(member).expect(200)).body).toEqual({
      replies: 'immediately',
      mentions: 'immediately',
      moderation: 'immediately',
      digest: 'daily',
    });
    const res = await change(member, { replies: 'daily', digest: 'weekly' }).expect(200);
    expect(res.body).toEqual({
      replies: 'daily',
      mentions: 'immediately',
      moderation: 'immediately',
      digest: 'weekly',
    });
    await change(member, { mentions: 'off' }).expect(200);
    expect((await prefs(member).expect(200)).body).toEqual({
      replies: 'daily',
      mentions: 'off',
      moderation: 'immediately',
      digest: 'weekly',
    });
  });

  it('refuses guests, bad values and unknown fields, naming the field, and changes nothing', async () => {
    await t.http.get('/api/me/email-preferences').expect(401);
    await t.http.patch('/api/me/email-preferences').send({ replies: 'off' }).expect(401);
    const member = await createUser(t);
    for (const [body, field] of [
      [{ replies: 'hourly' }, 'replies'],
      [{ digest: 5 }, 'digest'],
      [{ mentions: null }, 'mentions'],
      [{ moderation: 'off', sms: 'daily' }, 'sms'],
    ] as const) {
      const res = await change(member, body).expect(400);
      expect(String(res.body.message)).toMatch(new RegExp(`(^|property )${field} `));
    }
    expect((await prefs(member).expect(200)).body.moderation).toBe('immediately');
  });

  it('shows the four choices on the settings page and saves them from its form (CSRF-bound)', async () => {
    const member = await createUser(t);
    const browser = await signInBrowser(t, member);
    const page = await t.http.get('/settings').set('Cookie', browser.cookie).expect(200);
    expect(page.text).toContain('Email from us');
    expect(page.text).toMatch(/<select id="email-digest" name="digest"[^>]*>/);
    const form = { _csrf: csrfOf(page.text), replies: 'weekly', mentions: 'daily', moderation: 'off', digest: 'off' };
    const post = (body: Record<string, string>) =>
      t.http.post('/settings/email').set('Cookie', browser.cookie).type('form').send(body);
    expect((await post(form).expect(303)).headers.location).toMatch(/^\/settings/);
    expect((await prefs(member).expect(200)).body).toEqual({
      replies: 'weekly',
      mentions: 'daily',
      moderation: 'off',
      digest: 'off',
    });
    const refused = await post({ ...form, replies: 'hourly' }).expect(422);
    expect(refused.text).toContain('Replies must be one of off, immediately, daily, weekly');
    expect(refused.text).toMatch(/id="email-replies"[^>]*aria-invalid="true"/);
    await post({ ...form, _csrf: 'forged', replies: 'immediately' }).expect(403);
    expect((await prefs(member).expect(200)).body.replies).toBe('weekly');
  });
});
