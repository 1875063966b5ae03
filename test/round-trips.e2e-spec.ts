import type { TestApp } from './app';
import { ChatClients, createRoom, emitAck } from './factories/chat';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { startAppWithStaff } from './support/staff-app';
import { eventually } from './support/eventually';
import { StatementRecorder } from './support/statements';
import { NotificationsListener } from '../src/notifications/notifications.listener';
import type { EventPayload, EVENTS } from '../src/common/events';
import { FANOUT_QUEUE } from '../src/subscriptions/subscription.constants';

type Published = EventPayload<typeof EVENTS.postPublished>;

/**
 * The hot writes hold their number of database round trips (issue 16): a reply by an established member is the
 * session lookup, one read of its context and one statement that writes it (with its counters, its record for
 * digests and, when someone follows the thread by mail at once, its fan-out job);
 * a chat message is one read and one statement. Every statement the app's own pool sends is counted, in process,
 * from the request until the answer (and, for a reply, until its post.published event has been handed on). The
 * notifications listener's own work for that event is the notifications feature's: the test takes the event from it
 * (and checks what it carries). Jobs are not worked here (JOBS_WORK=off), so a queued fan-out job stays to be seen.
 */
describe('Round trips of the hot writes (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  const clients = new ChatClients();
  const recorder = new StatementRecorder();
  const published: Published[] = [];

  beforeAll(async () => {
    ({ t, admin, mod } = await startAppWithStaff({ JOBS_WORK: 'off' }));
    recorder.install(t);
    const listener = t.app.get(NotificationsListener);
    jest.spyOn(listener, 'onPostPublished').mockImplementation((e: Published) => {
      published.push(e);
      return Promise.resolve();
    });
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    recorder.uninstall();
    await t.close();
  });

  const counted = <T>(work: () => Promise<T>) => recorder.counted(work);

  /** The count, with the statements in the failure message. */
  function expectAtMost(sql: string[], most: number, what: string): void {
    const listed = sql.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n');
    if (sql.length > most) throw new Error(`${what} took ${sql.length} round trips (at most ${most}):\n${listed}`);
    expect(sql.length).toBeLessThanOrEqual(most);
    // The recorder saw the write itself (a count of zero would pass for a recorder that sees nothing).
    expect(sql.some((s) => /^\s*(WITH|INSERT)\b/i.test(s))).toBe(true);
    expect(sql.some((s) => /^\s*(BEGIN|START TRANSACTION|COMMIT)/i.test(s))).toBe(false);
  }

  it('a published reply by an established member: at most three round trips, no read-back, same answer', async () => {
    const opener = await createUser(t);
    const member = await createUser(t);
    await trust(t, opener);
    await trust(t, member);
    const { slug } = await createCategory(t, admin, 'new_members');
    const { threadId, postId } = await createThread(t, opener, slug, { title: 'Scan days' });
    const before = (await t.db.query(`SELECT reply_count FROM threads WHERE id = $1`, [threadId])) as Array<{
      reply_count: number;
    }>;
    published.length = 0;

    const { result: res, sql } = await counted(async () => {
      const answer = await reply(t, member, threadId, 'Breathing slowly helps me.', { replyToId: postId });
      await eventually(() => expect(published).toHaveLength(1));
      return answer;
    });

    expectAtMost(sql, 3, 'a reply');
    expect(res.status).toBe(201);
    // The answer built from what was in hand is the one a read of the post gives.
    const read = await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(member.accessToken)).expect(200);
    expect(res.body).toEqual((read.body as { items: Array<{ id: string }> }).items.find((p) => p.id === res.body.id));
    expect(res.body).toMatchObject({ threadId, replyToId: postId, status: 'published', mine: true });
    // The event carries what the read after the commit used to give.
    expect(published[0]).toMatchObject({
      postId: res.body.id as string,
      threadId,
      threadTitle: 'Scan days',
      authorId: member.id,
      by: { username: member.username, displayName: expect.any(String) as string },
      replyToAuthorId: opener.id,
      isFirstPost: false,
      crisis: false,
      blockerIds: [],
    });
    expect(published[0].watcherIds).toContain(opener.id);
    // The same statement moved the counters and recorded the reply for its thread's digests.
    const after = (await t.db.query(
      `SELECT t.reply_count, c.post_count, u.post_count AS "authorPosts"
         FROM threads t JOIN categories c ON c.id = t.category_id JOIN users u ON u.id = $2 WHERE t.id = $1`,
      [threadId, member.id],
    )) as Array<{ reply_count: number; post_count: number; authorPosts: number }>;
    expect(after[0].reply_count).toBe(before[0].reply_count + 1);
    expect(after[0].post_count).toBe(2);
    expect(after[0].authorPosts).toBe(1);
    expect(
      await t.db.query(
        `SELECT target_type AS "type", target_id::text AS "id" FROM subscription_activity
          WHERE content_type = 'post' AND content_id = $1`,
        [res.body.id],
      ),
    ).toEqual([{ type: 'thread', id: threadId }]);
    // Nobody follows the thread by mail at once: no fan-out job.
    expect(await fanoutJobs(res.body.id as string)).toEqual([]);

    // Once someone does, the same statement queues the job, with the queue's settings.
    const follower = await createUser(t, { emailConfirmed: true });
    await t.http
      .post('/api/subscriptions')
      .set(bearer(follower.accessToken))
      .send({ target: { type: 'thread', key: threadId }, frequency: 'immediately' })
      .expect(202);
    const second = await reply(t, member, threadId, 'And a warm bath.').expect(201);
    const jobs = await fanoutJobs(second.body.id as string);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].data).toMatchObject({ type: 'post', id: second.body.id as string });
    expect(jobs[0].retryLimit).toBe(jobs[0].queueRetryLimit);
  });

  const fanoutJobs = async (postId: string) =>
    (await t.db.query(
      `SELECT j.data, j.retry_limit AS "retryLimit", q.retry_limit AS "queueRetryLimit"
         FROM pgboss.job j JOIN pgboss.queue q ON q.name = j.name
        WHERE j.name = $1 AND j.data->>'id' = $2`,
      [`${t.config.jobs.queuePrefix}${FANOUT_QUEUE}`, postId],
    )) as Array<{ data: { type: string; id: string; at: string }; retryLimit: number; queueRetryLimit: number }>;

  it('a reply that mentions a member takes one more round trip for the mention, still without a read-back', async () => {
    const opener = await createUser(t);
    const member = await createUser(t);
    await trust(t, member);
    const { slug } = await createCategory(t, admin);
    const { threadId } = await createThread(t, opener, slug);
    published.length = 0;
    const { result: res, sql } = await counted(async () => {
      const answer = await reply(t, member, threadId, `Thank you @${opener.username}, that helps.`);
      await eventually(() => expect(published).toHaveLength(1));
      return answer;
    });
    expect(res.status).toBe(201);
    expect(res.body.bodyHtml).toContain(`/u/${opener.username}`);
    expect(published[0].mentions).toEqual([opener.username]);
    expectAtMost(sql, 4, 'a reply with a mention');
  });

  it('a chat message: at most three round trips (two: its context, its insert), no read-back', async () => {
    const room = await createRoom(t, mod);
    const member = await createUser(t);
    await trust(t, member);
    const { socket } = await clients.joined(t, member, room.slug);
    const { result: ack, sql } = await counted(() =>
      emitAck(socket, 'message:send', { room: room.slug, body: 'Hello, everyone', clientId: 'rt-1' }),
    );
    expect(ack).toMatchObject({ ok: true, status: 'published', message: { body: 'Hello, everyone' } });
    expectAtMost(sql, 3, 'a chat message');
    // A resend is answered with the stored message, as before.
    const again = await emitAck(socket, 'message:send', { room: room.slug, body: 'Hello, everyone', clientId: 'rt-1' });
    expect(again).toMatchObject({ ok: true, duplicate: true });
  });
});
