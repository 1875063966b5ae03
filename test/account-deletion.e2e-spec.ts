import { AccountDeletionService } from '../src/account/account-deletion.service';
import { reply } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type AccountApp, memberWithContent, startAccountApp } from './support/account-app';
import { advanceClock } from './support/clock';
import { eventually } from './support/eventually';

const GRACE_SECONDS = 7 * 86_400;

describe(AccountDeletionService.name, () => {
  let a: AccountApp;

  beforeAll(async () => {
    a = await startAccountApp();
  });
  afterAll(() => a.close());

  const askToDelete = (user: TestUser, content: 'anonymise' | 'delete') =>
    a.t.http.delete('/api/me').set(bearer(user.accessToken)).send({ password: user.password, content });

  /** The cancel token, taken from the link in the mail, as the member would. */
  async function cancelLinkOf(user: TestUser): Promise<string> {
    const mail = await a.smtp.waitFor(user.email, (m) => m.subject.includes('will be deleted'));
    const link = mail.links.find((l) => l.startsWith('http://haven.test/account/deletion/cancel?token='));
    expect(link).toBeDefined();
    return new URL(link!).searchParams.get('token')!;
  }

  /** Every column that names a member, in every table: none may hold her id once she is gone. */
  async function rowsNaming(id: string): Promise<string[]> {
    const columns = (await a.t.db.query(
      `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type = 'bigint'
          AND (column_name LIKE '%user_id' OR column_name LIKE '%author_id' OR column_name IN
               ('reporter_id', 'blocker_id', 'blocked_id', 'actor_id', 'created_by', 'lifted_by', 'resolved_by',
                'edited_by'))`,
    )) as Array<{ table: string; column: string }>;
    expect(columns.length).toBeGreaterThan(15);
    const found: string[] = [];
    for (const { table, column } of columns) {
      const rows = (await a.t.db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`, [
        id,
      ])) as Array<{ n: number }>;
      if (rows[0].n > 0) found.push(`${table}.${column}`);
    }
    const users = (await a.t.db.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [id])) as Array<{
      n: number;
    }>;
    if (users[0].n > 0) found.push('users.id');
    return found;
  }

  it('refuses a wrong password (403), a bad choice (400 naming content), and guests (401)', async () => {
    const user = await createUser(a.t);
    const wrong = await a.t.http
      .delete('/api/me')
      .set(bearer(user.accessToken))
      .send({ password: 'not-my-password-at-all', content: 'delete' })
      .expect(403);
    expect(wrong.body.message).toMatch(/password/);
    const bad = await a.t.http
      .delete('/api/me')
      .set(bearer(user.accessToken))
      .send({ password: user.password, content: 'shred' })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/content/);
    await a.t.http.delete('/api/me').set(bearer(user.accessToken)).send({ password: user.password }).expect(400);
    await a.t.http.delete('/api/me').send({ password: 'x', content: 'delete' }).expect(401);
    // Nothing happened: she is still signed in and nothing is pending.
    const status = await a.t.http.get('/api/me/deletion').set(bearer(user.accessToken)).expect(200);
    expect(status.body).toEqual({ status: 'none' });
  });

  it('ends every session, mails a cancel link, and the link keeps the account (once)', async () => {
    const user = await createUser(a.t);
    const res = await askToDelete(user, 'anonymise').expect(202);
    expect(res.body).toMatchObject({ status: 'pending', content: 'anonymise' });
    // The durable job waits for the due time (the hourly sweep is the safety net).
    const jobs = (await a.t.db.query(
      `SELECT start_after AS "startAfter" FROM pgboss.job WHERE name = $1 AND data ->> 'userId' = $2`,
      [`${a.t.config.jobs.queuePrefix}account.delete`, user.id],
    )) as Array<{ startAfter: Date }>;
    expect(jobs).toHaveLength(1);
    expect(Math.abs(jobs[0].startAfter.getTime() - Date.parse(res.body.dueAt))).toBeLessThan(1000);
    await a.t.http.get('/api/me').set(bearer(user.accessToken)).expect(401);
    await a.t.http.post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    const token = await cancelLinkOf(user);
    await a.t.http.post('/api/me/deletion/cancel').send({ token: 'not-a-token' }).expect(400);
    await a.t.http.post('/api/me/deletion/cancel').send({}).expect(401);
    await a.t.http.post('/api/me/deletion/cancel').send({ token }).expect(204);
    await a.t.http.post('/api/me/deletion/cancel').send({ token }).expect(404);
    // The grace passes: nothing happens to her, and she signs in as before.
    advanceClock(a.t, GRACE_SECONDS + 60);
    await a.t.app.get(AccountDeletionService).sweep();
    const signedIn = await a.t.http.post('/api/auth/login').send({ login: user.username, password: user.password });
    expect(signedIn.status).toBe(200);
    expect(await rowsNaming(user.id)).toContain('users.id');
  });

  it('may be cancelled by the member herself, signed in again during the grace', async () => {
    const user = await createUser(a.t);
    await askToDelete(user, 'delete').expect(202);
    const again = await a.t.http.post('/api/auth/login').send({ login: user.username, password: user.password });
    expect(again.status).toBe(200);
    const token = again.body.accessToken as string;
    const pending = await a.t.http.get('/api/me/deletion').set(bearer(token)).expect(200);
    expect(pending.body).toMatchObject({ status: 'pending', content: 'delete' });
    expect(Date.parse(pending.body.dueAt)).toBeGreaterThan(Date.now() + (GRACE_SECONDS - 120) * 1000);
    await a.t.http.post('/api/me/deletion/cancel').set(bearer(token)).send({}).expect(204);
    await a.t.http.post('/api/me/deletion/cancel').set(bearer(token)).send({}).expect(404);
    expect((await a.t.http.get('/api/me/deletion').set(bearer(token)).expect(200)).body).toEqual({ status: 'none' });
  });

  it('anonymises: her words stay as "Former member", the audit keeps a pseudonym, nothing of her remains', async () => {
    const her = await memberWithContent(a, 'anon-5e1');
    const other = await createUser(a.t);
    await reply(a.t, other, her.threadId, 'A reply from a friend').expect(201);
    await reply(a.t, her.user, her.threadId, `Thank you @${other.username}`).expect(201);
    const mentioned = async () =>
      (await a.t.http.get('/api/notifications').set(bearer(other.accessToken)).expect(200)).body.items as Array<{
        kind: string;
        data: { by: { username: string | null; displayName: string } };
      }>;
    await eventually(async () => expect((await mentioned()).map((n) => n.kind)).toContain('mention'));
    await a.t.http.post(`/api/users/${her.user.username}/block`).set(bearer(other.accessToken)).expect(204);
    await a.t.http
      .post(`/api/moderation/users/${her.user.username}/sanctions`)
      .set(bearer(a.mod.accessToken))
      .send({ kind: 'silence', reason: 'a calm-down', until: new Date(Date.now() + 3_600_000).toISOString() })
      .expect(201);
    await askToDelete(her.user, 'anonymise').expect(202);
    // Not yet due: the sweep leaves her.
    expect(await a.t.app.get(AccountDeletionService).sweep()).toBe(0);
    advanceClock(a.t, GRACE_SECONDS + 60);
    expect(await a.t.app.get(AccountDeletionService).sweep()).toBeGreaterThanOrEqual(1);

    const posts = await a.t.http.get(`/api/threads/${her.threadId}/posts`).set(bearer(other.accessToken)).expect(200);
    const mine = (posts.body.items as Array<{ id: string; body: string; author: { displayName: string } }>).find(
      (p) => p.id === her.replyId,
    );
    expect(mine).toMatchObject({
      body: 'A reply anon-5e1',
      author: expect.objectContaining({ displayName: 'Former member' }),
    });
    const comments = await a.t.http.get(`/api/pages/${a.page}/comments`).expect(200);
    expect(JSON.stringify(comments.body)).toContain('A comment anon-5e1');
    expect(JSON.stringify(comments.body)).not.toContain(her.user.username);

    const login = await a.t.http
      .post('/api/auth/login')
      .send({ login: her.user.username, password: her.user.password });
    expect(login.status).toBe(401);
    await a.t.http.get(`/api/users/${her.user.username}`).expect(404);
    const audit = await a.t.http
      .get('/api/moderation/audit-log?limit=100')
      .set(bearer(a.admin.accessToken))
      .expect(200);
    const entries = audit.body.items as Array<{ action: string; targetId: string }>;
    const sanction = entries.find((e) => e.action === 'sanction.silence' && e.targetId.startsWith('former-member-'));
    expect(sanction?.targetId).toMatch(/^former-member-[0-9a-f]{10}$/);
    expect(JSON.stringify(entries)).not.toContain(her.user.username);
    expect(await rowsNaming(her.user.id)).toEqual([]);
    // The mention she made still tells her friend what happened, without her name.
    const told = (await mentioned()).find((n) => n.kind === 'mention');
    expect(told?.data.by).toEqual({ username: null, displayName: 'Former member' });
    const naming = (await a.t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE data::text LIKE $1`, [
      `%${her.user.username}%`,
    ])) as Array<{ n: number }>;
    expect(naming[0].n).toBe(0);
    // Her username is free again.
    await createUser(a.t, { username: her.user.username });
  });

  it('deletes: her words are gone, others’ replies stay, and nothing of her remains', async () => {
    const her = await memberWithContent(a, 'gone-9b3');
    const other = await createUser(a.t);
    await reply(a.t, other, her.threadId, 'A friend stays gone-ok').expect(201);
    // An earlier wording of her reply, kept as a revision (this app's clock is past the edit window by now).
    await a.t.db.query(
      `INSERT INTO post_revisions (post_id, body, edited_by, written_at) VALUES ($1, 'Her first words gone-9b3', $2, now())`,
      [her.replyId, her.user.id],
    );
    await askToDelete(her.user, 'delete').expect(202);
    advanceClock(a.t, GRACE_SECONDS + 60);
    await a.t.app.get(AccountDeletionService).sweep();

    const posts = await a.t.http.get(`/api/threads/${her.threadId}/posts`).set(bearer(other.accessToken)).expect(200);
    const text = JSON.stringify(posts.body);
    expect(text).toContain('A friend stays gone-ok');
    expect(text).not.toContain('gone-9b3');
    const thread = await a.t.http.get(`/api/threads/${her.threadId}`).expect(200);
    expect(JSON.stringify(thread.body)).not.toContain('gone-9b3');
    const comments = await a.t.http.get(`/api/pages/${a.page}/comments`).expect(200);
    expect(JSON.stringify(comments.body)).not.toContain('gone-9b3');
    const stored = (await a.t.db.query(
      `SELECT (SELECT count(*)::int FROM posts WHERE body LIKE '%gone-9b3%') AS posts,
              (SELECT count(*)::int FROM comments WHERE body LIKE '%gone-9b3%') AS comments,
              (SELECT count(*)::int FROM chat_messages WHERE body LIKE '%gone-9b3%') AS chat,
              (SELECT count(*)::int FROM threads WHERE title LIKE '%gone-9b3%') AS threads,
              (SELECT count(*)::int FROM post_revisions WHERE body LIKE '%gone-9b3%') AS revisions`,
    )) as Array<Record<string, number>>;
    expect(stored[0]).toEqual({ posts: 0, comments: 0, chat: 0, threads: 0, revisions: 0 });
    expect(await rowsNaming(her.user.id)).toEqual([]);
  });

  it('keeps the audit log append-only: only a deletion may trade a name for a pseudonym, and nothing else', async () => {
    await a.t.http
      .post(`/api/moderation/users/${a.mod.username}/sanctions`)
      .set(bearer(a.admin.accessToken))
      .send({ kind: 'silence', reason: 'audit drill', until: new Date(Date.now() + 60_000).toISOString() })
      .expect(201);
    const [entry] = (await a.t.db.query(`SELECT id FROM audit_log WHERE target_id = $1 ORDER BY id DESC LIMIT 1`, [
      a.mod.username,
    ])) as Array<{ id: string }>;
    const attempt = (flag: boolean, set: string) =>
      a.t.db.transaction(async (m) => {
        if (flag) await m.query(`SELECT set_config('haven.audit_forget', 'on', true)`);
        await m.query(`UPDATE audit_log SET ${set} WHERE id = $1`, [entry.id]);
      });
    await expect(attempt(false, `target_id = 'former-member-0000000000'`)).rejects.toThrow(/append-only/);
    await expect(attempt(true, `action = 'sanction.lift'`)).rejects.toThrow(/append-only/);
    await expect(attempt(true, `target_id = 'someone_else'`)).rejects.toThrow(/append-only/);
    await expect(attempt(true, `note = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(
      a.t.db.transaction(async (m) => {
        await m.query(`SELECT set_config('haven.audit_forget', 'on', true)`);
        await m.query(`DELETE FROM audit_log WHERE id = $1`, [entry.id]);
      }),
    ).rejects.toThrow(/append-only/);
    const kept = (await a.t.db.query(`SELECT target_id AS "targetId", note FROM audit_log WHERE id = $1`, [
      entry.id,
    ])) as Array<{ targetId: string; note: string }>;
    expect(kept[0]).toEqual({ targetId: a.mod.username, note: 'audit drill' });
  });
});
