import { Jobs } from '../src/jobs/jobs';
import { FANOUT_QUEUE } from '../src/subscriptions/subscription.constants';
import { SubscriptionsStore } from '../src/subscriptions/subscriptions.store';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { advanceClock } from './support/clock';
import { commentHelpers } from './support/comments-app';
import { eventually } from './support/eventually';
import { startSmtp, type TestSmtp } from './support/smtp';
import {
  confirmedGuest,
  confirmToken,
  guestAddress,
  isConfirmation,
  newArticle,
  oneClickUrl,
  publishedComment,
} from './support/subscriptions';

const isNewComment = (m: { subject: string }) => m.subject.startsWith('A new comment');

describe('Subscriptions: Get Email Updates on an article (e2e)', () => {
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

  it('confirms from the mailed link, mails each new comment, and stops for good after a one-click unsubscribe', async () => {
    const key = await newArticle(t, admin, 'Living well with scans');
    const email = guestAddress('anna');
    const answer = await t.http
      .post('/api/subscriptions')
      .send({ email, target: { type: 'page', key }, frequency: 'immediately' })
      .expect(202);
    expect(answer.body).toEqual({ status: 'pending', message: expect.stringContaining('check your email') });

    const confirmation = await smtp.waitFor(email, isConfirmation);
    expect(confirmation.subject).toBe('Please confirm: email updates about “Living well with scans”');
    expect(confirmation.header['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    await t.http
      .post('/api/subscriptions/confirm')
      .send({ token: confirmToken(confirmation) })
      .expect(204);
    // Single use: the same link again is refused, naming the token.
    const again = await t.http
      .post('/api/subscriptions/confirm')
      .send({ token: confirmToken(confirmation) })
      .expect(400);
    expect(again.body.message).toMatch(/^token /);

    const first = await publishedComment(t, mod, key, 'Scan days are long; bring a friend.');
    const mail = await smtp.waitFor(email, isNewComment);
    expect(mail.subject).toBe('A new comment on “Living well with scans”');
    expect(mail.text).toContain('Scan days are long; bring a friend.');
    expect(mail.links).toContain(`http://haven.test/articles/${key}#comment-${first}`);
    expect(mail.header['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.header['list-unsubscribe']).not.toContain(email);

    // RFC 8058: the mail client POSTs to the List-Unsubscribe URL, without cookies or sign-in.
    const url = new URL(oneClickUrl(mail));
    const stopped = await t.http
      .post(url.pathname)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(stopped.body).toEqual({
      unsubscribed: true,
      message: 'You will no longer get email updates about “Living well with scans”.',
    });
    await t.http.post(url.pathname).send('List-Unsubscribe=One-Click').expect(200);

    // Nothing more: a second subscriber's mail for the next comment is the sentinel that must arrive.
    const sentinel = await confirmedGuest(t, smtp, { type: 'page', key });
    const second = await publishedComment(t, mod, key, 'Thank you all for the kind words.');
    await smtp.waitFor(sentinel, (m) => m.links.some((l) => l.endsWith(`#comment-${second}`)));
    expect(smtp.to(email).filter(isNewComment)).toHaveLength(1);
  });

  it('sends an unconfirmed address only its confirmation, and answers a repeat exactly as the first', async () => {
    const key = await newArticle(t, admin);
    const email = guestAddress('unsure');
    const ask = () =>
      t.http.post('/api/subscriptions').send({ email, target: { type: 'page', key }, frequency: 'immediately' });
    const first = await ask().expect(202);
    await smtp.waitFor(email, isConfirmation);
    const repeat = await ask().expect(202);
    expect(repeat.body).toEqual(first.body);

    const sentinel = await confirmedGuest(t, smtp, { type: 'page', key });
    const id = await publishedComment(t, mod, key, 'A comment the unconfirmed address must not get.');
    await smtp.waitFor(sentinel, (m) => m.links.some((l) => l.endsWith(`#comment-${id}`)));
    // The repeat within the hour sent no second link, and nothing else went.
    expect(smtp.to(email).map((m) => m.subject)).toEqual([`Please confirm: email updates about “An article”`]);

    // An hour later a repeat sends a fresh link (the first one stops working).
    advanceClock(t, 3601);
    expect((await ask().expect(202)).body).toEqual(first.body);
    await smtp.waitFor(email, () => smtp.to(email).length === 2);
    const [old, fresh] = smtp.to(email);
    await t.http
      .post('/api/subscriptions/confirm')
      .send({ token: confirmToken(old) })
      .expect(400);
    await t.http
      .post('/api/subscriptions/confirm')
      .send({ token: confirmToken(fresh) })
      .expect(204);
  });

  it('sends one address at most three links an hour, and forgets it when no link was followed', async () => {
    const email = guestAddress('bombed');
    const answers: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const key = await newArticle(t, admin, `Article ${i}`);
      const res = await t.http
        .post('/api/subscriptions')
        .send({ email, target: { type: 'page', key }, frequency: 'daily' })
        .expect(202);
      answers.push(res.body);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    // The sentinel: a mail queued after the fourth request arrives; still three links.
    const sentinel = await confirmedGuest(t, smtp, { type: 'newsletter' }, 'weekly');
    await smtp.waitFor(sentinel, isConfirmation);
    await eventually(() => expect(smtp.to(email).filter(isConfirmation)).toHaveLength(3));
    const stored = `SELECT count(*)::int AS n FROM subscriptions WHERE address = $1`;
    // The fourth request stored nothing either (no link went, so nothing could ever confirm it).
    expect(((await t.db.query(stored, [email])) as Array<{ n: number }>)[0].n).toBe(3);
    // Eight days on (links last seven), the hourly run forgets the address.
    await t.app.get(SubscriptionsStore).purgeUnconfirmed(new Date(Date.now() + 9 * 86_400_000));
    expect(((await t.db.query(stored, [email])) as Array<{ n: number }>)[0].n).toBe(0);
  });

  it('answers a confirmed address that subscribes again the same, and sends it nothing new', async () => {
    const key = await newArticle(t, admin);
    const email = await confirmedGuest(t, smtp, { type: 'page', key });
    const res = await t.http
      .post('/api/subscriptions')
      .send({ email, target: { type: 'page', key }, frequency: 'daily' })
      .expect(202);
    expect(res.body.status).toBe('pending');
    const sentinel = await confirmedGuest(t, smtp, { type: 'page', key });
    const id = await publishedComment(t, mod, key, 'Still here, still immediately.');
    await smtp.waitFor(sentinel, (m) => m.links.some((l) => l.endsWith(`#comment-${id}`)));
    // Her subscription is still "immediately" (a guest's repeat changes nothing): this comment reached her too.
    await smtp.waitFor(email, (m) => m.links.some((l) => l.endsWith(`#comment-${id}`)));
    expect(smtp.to(email).filter(isConfirmation)).toHaveLength(1);
  });

  it('mails a held comment only once a moderator approves it', async () => {
    const { newPage, guestComment, approve } = commentHelpers(() => ({ t, admin, mod }));
    const key = await newPage();
    const email = await confirmedGuest(t, smtp, { type: 'page', key });
    const held = await guestComment(key, { body: 'A first comment, read by a moderator first.' }, 202);
    const id = (held.body as { id: string }).id;
    // Held: a later published comment arrives, the held one does not.
    const later = await publishedComment(t, mod, key, 'Published while the other waits.');
    await smtp.waitFor(email, (m) => m.links.some((l) => l.endsWith(`#comment-${later}`)));
    expect(smtp.to(email).some((m) => m.links.some((l) => l.endsWith(`#comment-${id}`)))).toBe(false);
    await approve(id);
    const mail = await smtp.waitFor(email, (m) => m.links.some((l) => l.endsWith(`#comment-${id}`)));
    expect(mail.text).toContain('Maria wrote:');
    expect(mail.text).not.toContain('guest.secret@example.org');
  });

  it('refuses what it cannot follow, naming the field', async () => {
    const key = await newArticle(t, admin);
    const member = await createUser(t);
    const cases: Array<{ body: Record<string, unknown>; auth?: string; field: RegExp }> = [
      { body: { email: guestAddress(), target: { type: 'forum' }, frequency: 'daily' }, field: /^target / },
      {
        body: { email: guestAddress(), target: { type: 'page', key: 'no-such-page' }, frequency: 'daily' },
        field: /^target /,
      },
      { body: { email: guestAddress(), target: { type: 'page' }, frequency: 'daily' }, field: /^target / },
      {
        body: { email: guestAddress(), target: { type: 'thread', key: 'abc' }, frequency: 'daily' },
        field: /^target /,
      },
      {
        body: { email: guestAddress(), target: { type: 'page', key, extra: 1 }, frequency: 'daily' },
        field: /^target /,
      },
      { body: { email: guestAddress(), target: 'page', frequency: 'daily' }, field: /target/ },
      { body: { email: guestAddress(), target: { type: 'page', key }, frequency: 'hourly' }, field: /frequency/ },
      {
        body: { email: guestAddress(), target: { type: 'newsletter' }, frequency: 'immediately' },
        field: /^frequency /,
      },
      { body: { email: 'not-an-address', target: { type: 'page', key }, frequency: 'daily' }, field: /email/ },
      { body: { target: { type: 'page', key }, frequency: 'daily' }, field: /^email / },
      {
        body: { email: guestAddress(), target: { type: 'page', key }, frequency: 'daily', timeZone: 'Mars/Base' },
        field: /^timeZone /,
      },
      {
        body: { email: member.email, target: { type: 'page', key }, frequency: 'daily' },
        auth: member.accessToken,
        field: /^email /,
      },
    ];
    for (const c of cases) {
      const req = t.http.post('/api/subscriptions');
      if (c.auth) void req.set(bearer(c.auth));
      const res = await req.send(c.body);
      expect({ body: c.body, status: res.status }).toEqual({ body: c.body, status: 400 });
      expect([res.body.message].flat().join(' ')).toMatch(c.field);
    }
    for (const token of ['short', 'A'.repeat(43)]) {
      const res = await t.http.post('/api/subscriptions/confirm').send({ token }).expect(400);
      expect(res.body.message).toMatch(/^token /);
    }
  });

  // The fan-out works its jobs a fetch at a time (one read of the content, one write of the activity, one look for
  // subscribers for the whole batch); a job that breaks its batch is worked again alone and fails alone.
  it('mails and records every good job of a batch that also holds a broken one, which fails alone', async () => {
    const key = await newArticle(t, admin, 'Batches of news');
    const email = await confirmedGuest(t, smtp, { type: 'page', key });
    const [page] = (await t.db.query(`SELECT id FROM pages WHERE key = $1`, [key])) as Array<{ id: string }>;
    // Comments written straight to the table queue no job of their own: the test queues them, with a broken one, in
    // one transaction, so that one fetch finds them together.
    const ids: string[] = [];
    for (const word of ['first', 'second', 'third']) {
      const [row] = (await t.db.query(
        `INSERT INTO comments (page_id, author_id, body, body_html) VALUES ($1, $2, $3, $4) RETURNING id`,
        [page.id, admin.id, `The ${word} comment`, `<p>The ${word} comment</p>`],
      )) as Array<{ id: string }>;
      ids.push(row.id);
    }
    const jobs = t.app.get(Jobs);
    const at = new Date().toISOString();
    await t.db.transaction(async (m) => {
      await jobs.send(m, FANOUT_QUEUE, { type: 'comment', id: ids[0], at });
      await jobs.send(m, FANOUT_QUEUE, { type: 'comment', id: 'not-a-comment-id', at });
      await jobs.send(m, FANOUT_QUEUE, { type: 'comment', id: ids[1], at });
      await jobs.send(m, FANOUT_QUEUE, { type: 'comment', id: ids[2], at });
    });

    for (const word of ['first', 'second', 'third']) {
      await smtp.waitFor(email, (mail) => mail.text.includes(`The ${word} comment`));
    }
    const activity = (await t.db.query(
      `SELECT content_id AS id FROM subscription_activity WHERE content_type = 'comment' AND content_id = ANY($1::bigint[])`,
      [ids],
    )) as Array<{ id: string }>;
    expect(activity.map((a) => a.id).sort()).toEqual([...ids].sort());
    const states = await eventually(async () => {
      const rows = (await t.db.query(
        `SELECT data->>'id' AS id, state FROM pgboss.job WHERE name = $1 AND data->>'id' = ANY($2::text[])`,
        [`${t.config.jobs.queuePrefix}${FANOUT_QUEUE}`, [...ids, 'not-a-comment-id']],
      )) as Array<{ id: string; state: string }>;
      const byId = Object.fromEntries(rows.map((r) => [r.id, r.state]));
      expect(ids.map((id) => byId[id])).toEqual(['completed', 'completed', 'completed']);
      expect(['retry', 'failed']).toContain(byId['not-a-comment-id']);
      return byId;
    });
    expect(Object.keys(states)).toHaveLength(4);
  });
});
