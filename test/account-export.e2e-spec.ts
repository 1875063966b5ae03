import { AccountExportService } from '../src/account/account-export.service';
import { startTestApp, type TestApp } from './app';
import { reply } from './factories/forums';
import { bearer, createUser } from './factories/users';
import { signInBrowser } from './factories/web';
import { type AccountApp, memberWithContent, startAccountApp } from './support/account-app';
import { advanceClock } from './support/clock';
import { eventually } from './support/eventually';

type Archive = Record<string, unknown> & { profile: Record<string, unknown> };
type Rows = Array<Record<string, unknown>>;

describe(AccountExportService.name, () => {
  let a: AccountApp;

  beforeAll(async () => {
    a = await startAccountApp();
  });
  afterAll(() => a.close());

  const status = async (token: string) =>
    (await a.t.http.get('/api/me/export').set(bearer(token)).expect(200)).body as {
      status: string;
      url?: string;
      expiresAt?: string;
    };

  /** Asks for her archive, waits for the mail that says it is ready, and downloads it from the status's url. */
  async function exportOf(
    token: string,
    email: string,
  ): Promise<{ archive: Archive; text: string; mailLinks: string[] }> {
    const started = await a.t.http.post('/api/me/export').set(bearer(token)).expect(202);
    expect(['building', 'ready']).toContain(started.body.status);
    const mail = await a.smtp.waitFor(email, (m) => m.subject.includes('ready to download'));
    const ready = await status(token);
    expect(ready.status).toBe('ready');
    expect(ready.url).toBe('http://haven.test/api/me/export/file');
    const file = await a.t.http.get('/api/me/export/file').set(bearer(token)).expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="haven-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(file.headers['cache-control']).toContain('no-store');
    return { archive: JSON.parse(file.text) as Archive, text: file.text, mailLinks: mail.links };
  }

  it('builds an archive of her things, and nobody else’s, and mails her when it is ready', async () => {
    const her = await memberWithContent(a, 'hers-7d1');
    const other = await memberWithContent(a, 'theirs-4c2');
    // A reply by another member in her thread, and her report of it.
    const theirs = await reply(a.t, other.user, her.threadId, 'Another member answers theirs-4c2').expect(201);
    await a.t.http
      .post('/api/reports')
      .set(bearer(her.user.accessToken))
      .send({ targetType: 'post', targetId: theirs.body.id, reason: 'other', note: 'report-note-hers' })
      .expect(201);
    await a.t.http.post(`/api/users/${other.user.username}/block`).set(bearer(her.user.accessToken)).expect(204);

    // She read her own thread's page: her read position is hers too.
    await a.t.http
      .get(`/t/${her.threadId}`)
      .set('Cookie', (await signInBrowser(a.t, her.user)).cookie)
      .expect(200);
    const { archive, text, mailLinks } = await exportOf(her.user.accessToken, her.user.email);
    expect((archive.threadReads as Rows).map((r) => String(r.id))).toEqual([her.threadId]);
    expect(mailLinks).toContain('http://haven.test/settings/account');
    expect(archive.profile).toMatchObject({ username: her.user.username, email: her.user.email });
    expect(archive.profile).not.toHaveProperty('passwordHash');
    const ids = (section: string) => (archive[section] as Rows).map((r) => String(r.id));
    expect(ids('threads')).toEqual([her.threadId]);
    expect(ids('posts')).toEqual([her.openingPostId, her.replyId]);
    expect(ids('comments')).toEqual([her.commentId]);
    expect(ids('chatMessages')).toEqual([her.messageId]);
    expect(archive.ratings).toEqual([expect.objectContaining({ article: a.page, stars: 4 })]);
    expect(archive.reports).toEqual([expect.objectContaining({ targetType: 'post', note: 'report-note-hers' })]);
    expect(archive.blocks).toEqual([expect.objectContaining({ username: other.user.username })]);
    // The other member's reply in her thread notified her: that notification is hers.
    expect((archive.notifications as Rows).length).toBeGreaterThanOrEqual(1);
    expect(text).toContain('A chat message hers-7d1');
    for (const section of ['threads', 'posts', 'comments', 'chatMessages', 'reports', 'blocks']) {
      expect(JSON.stringify(archive[section])).not.toContain('Opening words theirs-4c2');
      expect(JSON.stringify(archive[section])).not.toContain('A comment theirs-4c2');
    }
    expect(text).not.toContain(other.user.email);
  });

  it('reads big sections in keyset batches: every one of many rows, once, in order', async () => {
    const member = await createUser(a.t);
    const rows = Array.from({ length: 1203 }, (_, i) => i);
    await a.t.db.query(
      `INSERT INTO notifications (user_id, kind, data) SELECT $1, 'reply', jsonb_build_object('n', n) FROM unnest($2::int[]) n`,
      [member.id, rows],
    );
    const { archive } = await exportOf(member.accessToken, member.email);
    const got = (archive.notifications as Array<{ id: string; data: { n: number } }>).map((n) => n.data.n);
    expect(got).toEqual(rows);
  });

  it('is hers alone: other members and guests cannot read it or learn of it', async () => {
    const owner = await createUser(a.t);
    await exportOf(owner.accessToken, owner.email);
    const stranger = await createUser(a.t);
    expect(await status(stranger.accessToken)).toEqual({ status: 'none' });
    const refused = await a.t.http.get('/api/me/export/file').set(bearer(stranger.accessToken)).expect(404);
    expect(refused.body.message).toMatch(/Export/);
    await a.t.http.get('/api/me/export/file').expect(401);
    await a.t.http.get('/api/me/export').expect(401);
    await a.t.http.post('/api/me/export').expect(401);
  });

  it('answers a second request while one is building with the same one (one job, one archive)', async () => {
    // A process that only queues jobs: the build waits, as it would behind a busy worker.
    const queueOnly: TestApp = await startTestApp({ JOBS_WORK: 'off' });
    try {
      const member = await createUser(queueOnly);
      const first = await queueOnly.http.post('/api/me/export').set(bearer(member.accessToken)).expect(202);
      const second = await queueOnly.http.post('/api/me/export').set(bearer(member.accessToken)).expect(202);
      expect(first.body).toEqual({ status: 'building' });
      expect(second.body).toEqual({ status: 'building' });
      const jobs = (await queueOnly.db.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data ->> 'userId' = $2`,
        [`${queueOnly.config.jobs.queuePrefix}account.export`, member.id],
      )) as Array<{ n: number }>;
      expect(jobs[0].n).toBe(1);
    } finally {
      await queueOnly.close();
    }
  });

  it('answers a request made minutes after the last archive with that archive (no new build, no new mail)', async () => {
    const member = await createUser(a.t);
    await exportOf(member.accessToken, member.email);
    const made = await status(member.accessToken);
    const again = await a.t.http.post('/api/me/export').set(bearer(member.accessToken)).expect(202);
    expect(again.body).toEqual(made);
    // Another member's archive, asked for after, arrives: had hers been built again, its mail would be there too.
    const later = await createUser(a.t);
    await exportOf(later.accessToken, later.email);
    expect(a.smtp.to(member.email).filter((m) => m.subject.includes('ready to download'))).toHaveLength(1);
  });

  it('expires after 7 days: the status says so and the file is gone', async () => {
    const member = await createUser(a.t);
    const { archive } = await exportOf(member.accessToken, member.email);
    expect(archive.profile).toMatchObject({ email: member.email });
    const before = await status(member.accessToken);
    advanceClock(a.t, 7 * 86_400 + 60);
    const after = await status(member.accessToken);
    expect(after).toEqual({ status: 'expired', expiresAt: before.expiresAt });
    await a.t.http.get('/api/me/export/file').set(bearer(member.accessToken)).expect(404);
    await a.t.app.get(AccountExportService).dropExpired();
    const kept = (await a.t.db.query(`SELECT archive FROM account_exports WHERE user_id = $1`, [member.id])) as Array<{
      archive: Buffer | null;
    }>;
    expect(kept[0].archive).toBeNull();
    // She may ask again: a new archive, ready again.
    await a.t.http.post('/api/me/export').set(bearer(member.accessToken)).expect(202);
    await eventually(async () => expect((await status(member.accessToken)).status).toBe('ready'));
  });
});
