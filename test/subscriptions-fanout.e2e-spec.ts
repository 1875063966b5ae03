import { Jobs } from '../src/jobs/jobs';
import { FANOUT_QUEUE } from '../src/subscriptions/subscription.constants';
import { startTestApp, type TestApp } from './app';
import { createUser, type TestUser } from './factories/users';
import { eventually } from './support/eventually';
import { startSmtp, type TestSmtp } from './support/smtp';
import { confirmedGuest, newArticle } from './support/subscriptions';

/**
 * The fan-out works its jobs a fetch at a time (one read of the content, one write of the activity, one look for
 * subscribers for the whole batch); a job that breaks its batch is worked again alone and fails alone, and the
 * others still reach their subscribers.
 */
describe('Subscriptions: the fan-out in batches (e2e)', () => {
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
