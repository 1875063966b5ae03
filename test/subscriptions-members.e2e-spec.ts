import { randomBytes } from 'node:crypto';
import { DigestRunner } from '../src/subscriptions/digests';
import { FANOUT_QUEUE } from '../src/subscriptions/subscription.constants';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { eventually } from './support/eventually';
import { startSmtp, type TestSmtp } from './support/smtp';
import { confirmedGuest, isConfirmation, newArticle } from './support/subscriptions';

/** Half past eight (UTC) after now: the daily digest moment whose window holds what is posted now. */
function nextDigestMoment(): Date {
  const now = new Date();
  const eight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 8);
  return new Date((eight > now.getTime() ? eight : eight + 86_400_000) + 30 * 60_000);
}

describe('Subscriptions: members, threads, categories and digests (e2e)', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const member = async (confirmed = true) => {
    const user = await createUser(t, { emailConfirmed: confirmed });
    await trust(t, user);
    return user;
  };
  const subscribe = (who: TestUser, target: { type: string; key?: string }, frequency: string) =>
    t.http.post('/api/subscriptions').set(bearer(who.accessToken)).send({ target, frequency });

  it('subscribes a confirmed member at once, lists it with its title, and lets only her end it', async () => {
    const { slug } = await createCategory(t, admin);
    const author = await member();
    const { threadId } = await createThread(t, author, slug, { title: 'Scan days' });
    const ann = await member();
    const res = await subscribe(ann, { type: 'thread', key: threadId }, 'daily').expect(202);
    expect(res.body.status).toBe('active');

    const list = await t.http.get('/api/me/subscriptions').set(bearer(ann.accessToken)).expect(200);
    expect(list.body).toEqual({
      items: [
        {
          id: expect.any(String),
          target: { type: 'thread', key: threadId },
          title: 'Scan days',
          url: `http://haven.test/t/${threadId}`,
          frequency: 'daily',
          confirmed: true,
          createdAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    const id = list.body.items[0].id as string;
    const bob = await member();
    await t.http.delete(`/api/me/subscriptions/${id}`).set(bearer(bob.accessToken)).expect(404);
    await t.http.delete(`/api/me/subscriptions/${id}`).set(bearer(ann.accessToken)).expect(204);
    await t.http.delete(`/api/me/subscriptions/${id}`).set(bearer(ann.accessToken)).expect(404);
    await t.http.get('/api/me/subscriptions').expect(401);
    expect((await t.http.get('/api/me/subscriptions').set(bearer(ann.accessToken))).body.items).toEqual([]);
  });

  it('sends an unconfirmed member the confirmation link first, to her own address', async () => {
    const { slug } = await createCategory(t, admin);
    const cat = await member(false);
    const res = await subscribe(cat, { type: 'category', key: slug }, 'immediately').expect(202);
    expect(res.body.status).toBe('pending');
    const mail = await smtp.waitFor(cat.email, isConfirmation);
    expect(mail.subject).toContain(`Category ${slug}`);
  });

  it('mails a new thread in a followed category, never one with crisis words, never a blocked author', async () => {
    const { slug } = await createCategory(t, admin);
    const dora = await member();
    await subscribe(dora, { type: 'category', key: slug }, 'immediately').expect(202);
    const blocked = await member();
    await t.http.post(`/api/users/${blocked.username}/block`).set(bearer(dora.accessToken)).expect(204);
    const word = `crisisword${randomBytes(3).toString('hex')}`;
    await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: word, action: 'crisis' })
      .expect(201);

    // A suspended member's subscription stays, but she gets nothing while the sanction lasts.
    const away = await member();
    await subscribe(away, { type: 'category', key: slug }, 'immediately').expect(202);
    await t.http
      .post(`/api/moderation/users/${away.username}/sanctions`)
      .set(bearer(admin.accessToken))
      .send({ kind: 'suspend', reason: 'a pause', until: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);

    const writer = await member();
    await createThread(t, writer, slug, { title: 'Hard night', body: `I feel ${word} tonight` });
    await createThread(t, blocked, slug, { title: 'From someone she blocks' });
    const last = await createThread(t, writer, slug, { title: 'Good news today' });
    const mail = await smtp.waitFor(dora.email, (m) => m.text.includes('Good news today'));
    expect(mail.subject).toBe(`A new conversation in “Category ${slug}”`);
    expect(mail.links).toContain(`http://haven.test/t/${last.threadId}`);
    const subjects = smtp.to(dora.email).map((m) => m.text);
    expect(subjects.some((text) => text.includes('Hard night'))).toBe(false);
    expect(subjects.some((text) => text.includes('From someone she blocks'))).toBe(false);
    // Queued in the same transaction as Dora's: had one been queued for the suspended member, it would be here.
    expect(await t.db.query(`SELECT key FROM mail_messages WHERE user_id = $1`, [away.id])).toEqual([]);
  });

  it("mails a reply to the thread's followers at once, never to its own author, and never a held one", async () => {
    const { slug } = await createCategory(t, admin);
    const author = await member();
    const { threadId } = await createThread(t, author, slug, { title: 'Port flush tomorrow' });
    const fay = await member();
    await subscribe(fay, { type: 'thread', key: threadId }, 'immediately').expect(202);
    await subscribe(author, { type: 'thread', key: threadId }, 'immediately').expect(202);

    const newcomer = await createUser(t, { emailConfirmed: true });
    await t.http
      .patch(`/api/categories/${slug}`)
      .set(bearer(admin.accessToken))
      .send({ approval: 'new_members' })
      .expect(200);
    const held = await reply(t, newcomer, threadId, 'Held until a moderator looks.').expect(202);
    await reply(t, author, threadId, 'Numbing cream first, it helps.').expect(201);
    const mail = await smtp.waitFor(fay.email, (m) => m.text.includes('Numbing cream first'));
    expect(mail.subject).toContain('Port flush tomorrow');
    expect(mail.links.some((l) => l.startsWith(`http://haven.test/t/${threadId}#post-`))).toBe(true);
    // The author's own reply is not mailed to her (it would have been queued with Fay's).
    expect(
      await t.db.query(`SELECT key FROM mail_messages WHERE user_id = $1 AND kind = 'subscription'`, [author.id]),
    ).toEqual([]);
    // A held reply queues nothing: it is not published.
    const queued = (await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'id' = $2`, [
      `${t.config.jobs.queuePrefix}${FANOUT_QUEUE}`,
      held.body.id,
    ])) as Array<{ n: number }>;
    expect(queued[0].n).toBe(0);
    expect(smtp.to(fay.email).some((m) => m.text.includes('Held until a moderator looks'))).toBe(false);
  });

  it("builds a watched thread's daily digest once: published replies only, anonymous without a name", async () => {
    const { slug } = await createCategory(t, admin);
    const author = await member();
    const { threadId } = await createThread(t, author, slug, { title: 'Tiredness' });
    const eve = await member();
    await subscribe(eve, { type: 'thread', key: threadId }, 'daily').expect(202);
    const guest = await confirmedGuest(t, smtp, { type: 'thread', key: threadId }, 'daily');
    // Her email preferences say no digests: her subscription stays, but nothing is sent.
    const quiet = await member();
    await subscribe(quiet, { type: 'thread', key: threadId }, 'daily').expect(202);
    await t.http.patch('/api/me/email-preferences').set(bearer(quiet.accessToken)).send({ digest: 'off' }).expect(200);
    const blocked = await member();
    await t.http.post(`/api/users/${blocked.username}/block`).set(bearer(eve.accessToken)).expect(204);
    const shy = await member();
    const newcomer = await member();

    await reply(t, author, threadId, 'Short walks help me.').expect(201);
    await reply(t, shy, threadId, 'Naps, and saying no.', { anonymous: true }).expect(201);
    await reply(t, blocked, threadId, 'A reply she never wants to read.').expect(201);
    const removed = await reply(t, newcomer, threadId, 'A reply deleted before the digest.').expect(201);
    await t.http.delete(`/api/posts/${removed.body.id}`).set(bearer(newcomer.accessToken)).expect(204);

    // New articles (the newsletter) come in the same morning's run.
    const reader = await member();
    await subscribe(reader, { type: 'newsletter' }, 'daily').expect(202);
    const articleKey = await newArticle(t, admin, `Fresh article ${threadId}`);

    const runner = t.app.get(DigestRunner);
    const at = nextDigestMoment();
    // The signal: the three published replies are recorded for digests (by the fan-out job of each).
    await eventually(async () => {
      const rows = (await t.db.query(
        `SELECT count(*)::int AS n FROM subscription_activity WHERE target_type = 'thread' AND target_id = $1`,
        [threadId],
      )) as Array<{ n: number }>;
      expect(rows[0].n).toBeGreaterThanOrEqual(3);
    });
    expect((await runner.run(at)).queued).toBeGreaterThanOrEqual(2);
    const digest = await smtp.waitFor(eve.email, (m) => m.subject.startsWith('Your daily digest'));
    expect(digest.subject).toBe('Your daily digest: “Tiredness”');
    expect(digest.text).toContain('Short walks help me.');
    expect(digest.text).toContain('Anonymous member: Naps, and saying no.');
    expect(digest.text).not.toContain(shy.username);
    expect(digest.text).not.toContain('A reply she never wants to read.');
    expect(digest.text).not.toContain('deleted before the digest');
    const guestDigest = await smtp.waitFor(guest, (m) => m.subject.startsWith('Your daily digest'));
    expect(guestDigest.text).toContain('A reply she never wants to read.');
    // Queued in the same transaction as the digests that arrived: had hers been queued, it would be here.
    const hers = (await t.db.query(`SELECT key FROM mail_messages WHERE user_id = $1`, [quiet.id])) as unknown[];
    expect(hers).toEqual([]);
    expect(smtp.to(quiet.email)).toEqual([]);
    expect(digest.header['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    const newsletter = await smtp.waitFor(reader.email, (m) => m.subject.startsWith('Your daily digest'));
    expect(newsletter.subject).toBe('Your daily digest: “New articles on Haven”');
    expect(newsletter.links).toContain(`http://haven.test/articles/${articleKey}`);

    // A rerun for the same morning sends nothing again.
    expect((await runner.run(at)).queued).toBe(0);
    const keys = (await t.db.query(`SELECT key FROM mail_messages WHERE key LIKE $1`, [
      `digest:daily:${at.toISOString().slice(0, 10)}:%`,
    ])) as Array<{ key: string }>;
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
  });
});
