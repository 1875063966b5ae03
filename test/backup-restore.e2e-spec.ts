import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { runCli } from '../src/cli/cli';
import { startTestApp, TEST_ENV, type TestApp } from './app';
import { ChatClients, createRoom, send } from './factories/chat';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { startChildServer, type ChildServer } from './support/child-server';
import { eventually } from './support/eventually';
import { ownDatabase, type OwnDatabase } from './support/own-database';

/**
 * Backup and restore (issue 17): a community filled through the API, backed up in both formats while a member keeps
 * posting, restored into fresh databases, and a Haven started on the restored one answers every member exactly as
 * the original did. Every table (whatever other branches add) is compared by row count and a hash of its rows.
 */
describe('backup and restore (e2e)', () => {
  const dbs: OwnDatabase[] = [];
  const clients = new ChatClients();
  const folder = mkdtempSync(path.join(tmpdir(), 'haven-backup-'));
  let source: OwnDatabase;
  let t: TestApp;
  let restored: ChildServer | undefined;
  /** Everything the CLI printed, checked for secrets and members' words at the end. */
  const printed: string[] = [];
  /** Every text a member wrote in this test. */
  const written: string[] = [];

  const fresh = async () => {
    const db = await ownDatabase();
    dbs.push(db);
    return db;
  };
  const cli = async (url: string, ...argv: string[]) => {
    const lines: string[] = [];
    const out = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const code = await runCli(argv, { ...process.env, ...TEST_ENV, DATABASE_URL: url }, out);
    printed.push(...lines);
    return { code, output: lines.join('\n') };
  };
  const words = (what: string) => {
    const text = `${what} ${randomBytes(6).toString('hex')}`;
    written.push(text);
    return text;
  };

  let members: TestUser[];
  let category: { slug: string };
  let threadIds: string[];
  let pageKey: string;
  let roomSlug: string;
  let conversationId: string;

  beforeAll(async () => {
    source = await fresh();
    t = await startTestApp({ DATABASE_URL: source.url });
    const admin = await createUser(t, { role: 'admin' });
    members = [admin, ...(await Promise.all([0, 1, 2].map(() => createUser(t))))];
    for (const m of members) await trust(t, m);
    category = await createCategory(t, admin);
    threadIds = [];
    for (const m of members.slice(1)) {
      const { threadId } = await createThread(t, m, category.slug, { title: words('Scan day'), body: words('How') });
      threadIds.push(threadId);
      for (const other of members.filter((o) => o !== m)) {
        await reply(t, other, threadId, words(`A reply for @${m.username}`)).expect(201);
      }
    }
    pageKey = `page-${randomBytes(4).toString('hex')}`;
    await t.http
      .put(`/api/pages/${pageKey}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'An article', url: 'https://example.org/a' })
      .expect(201);
    for (const m of members.slice(1)) {
      await t.http
        .post(`/api/pages/${pageKey}/comments`)
        .set(bearer(m.accessToken))
        .send({ body: words('Thank you'), acceptTerms: true })
        .expect(201);
    }
    roomSlug = (await createRoom(t, admin)).slug;
    for (const m of members.slice(1)) {
      const { socket } = await clients.joined(t, m, roomSlug);
      await send(socket, roomSlug, words('Hello everyone'));
    }
    clients.closeAll();
    // A private conversation, and a day of one member's symptom journal (sealed with JOURNAL_SECRET).
    const started = await t.http
      .post('/api/conversations')
      .set(bearer(members[1].accessToken))
      .send({ usernames: [members[2].username], body: words('Can we talk'), clientId: 'backup-1' })
      .expect(201);
    conversationId = (started.body as { conversation: { id: string } }).conversation.id;
    await t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(members[2].accessToken))
      .send({ body: words('Of course'), clientId: 'backup-2' })
      .expect(201);
    await t.http
      .put('/api/journal/entries/2026-11-30')
      .set(bearer(members[1].accessToken))
      .send({ symptoms: [{ name: 'fatigue', grade: 3, note: words('After the infusion') }], note: words('Tired') })
      .expect((res) => expect([200, 201]).toContain(res.status));
  }, 180_000);

  afterAll(async () => {
    clients.closeAll();
    await restored?.kill();
    await t?.close().catch(() => undefined);
    for (const db of dbs) await db.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** What members saw on the original, and the restored database to start a Haven on (set by the tests below). */
  let seen: Record<string, unknown>;
  let queuePrefix: string;
  let fromHaven: OwnDatabase;

  it('backs up while a member keeps posting, and each snapshot restores whole', async () => {
    // The writer: replies one after another until told to stop (at most 400), counting what it posted.
    const posted: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; i < 400 && !stop; i++) {
        const res = await reply(t, members[1], threadIds[0], words(`Still here ${i}`)).expect(201);
        posted.push(res.body.id as string);
      }
    })();
    await eventually(() => expect(posted.length).toBeGreaterThanOrEqual(3));

    const live = { dump: path.join(folder, 'live.dump'), haven: path.join(folder, 'live.haven') };
    const before = posted.length;
    expect(await cli(source.url, 'backup', live.dump)).toMatchObject({ code: 0 });
    expect(await cli(source.url, 'backup', '--logical', live.haven)).toMatchObject({ code: 0 });
    const during = posted.length;
    stop = true;
    await writer;
    expect(during).toBeGreaterThan(before); // the member kept posting while the backups ran

    // Each snapshot holds a prefix of her replies (nothing after a gap), and the thread's count agrees with it.
    for (const file of [live.dump, live.haven]) {
      const target = await fresh();
      expect(await cli(target.url, 'restore', file)).toMatchObject({ code: 0 });
      const rows = await query(
        target.url,
        `SELECT p.id::text FROM posts p WHERE p.id = ANY($1::bigint[]) ORDER BY p.id`,
        [posted],
      );
      const kept = rows.map((r) => r.id);
      expect(kept).toEqual(posted.slice(0, kept.length));
      expect(kept.length).toBeGreaterThanOrEqual(before);
      const [thread] = await query(
        target.url,
        `SELECT reply_count, (SELECT count(*)::int - 1 FROM posts WHERE thread_id = $1 AND status = 'published') AS n
           FROM threads WHERE id = $1`,
        [threadIds[0]],
      );
      expect(thread.reply_count).toBe(thread.n);
    }
  }, 180_000);

  it('restores a quiet backup in either format to identical tables, every one of them', async () => {
    // What members see, read from the original; then the original stops, so that nothing changes any more.
    seen = await memberView(t.http);
    queuePrefix = t.config.jobs.queuePrefix;
    await t.close();
    const quiet = { dump: path.join(folder, 'quiet.dump'), haven: path.join(folder, 'quiet.haven') };
    expect(await cli(source.url, 'backup', quiet.dump)).toMatchObject({ code: 0 });
    expect(await cli(source.url, 'backup', '--logical', quiet.haven)).toMatchObject({ code: 0 });
    const original = await tableDigests(source.url);
    expect(Object.keys(original).length).toBeGreaterThan(30);
    for (const table of ['users', 'threads', 'posts', 'comments', 'chat_messages', 'mail_messages', 'notifications']) {
      expect(original[`public.${table}`].rows).toBeGreaterThan(0);
    }

    const fromDump = await fresh();
    fromHaven = await fresh();
    expect(await cli(fromDump.url, 'restore', quiet.dump)).toMatchObject({ code: 0 });
    expect(await cli(fromHaven.url, 'restore', quiet.haven)).toMatchObject({ code: 0 });
    expect(await tableDigests(fromDump.url)).toEqual(original);
    expect(await tableDigests(fromHaven.url)).toEqual(original);
  }, 180_000);

  it('starts a Haven on the restored database that answers every member as the original did', async () => {
    // A Haven on the restored database, with the same secrets: the members' sessions and everything they see.
    restored = await startChildServer({
      ...TEST_ENV,
      DATABASE_URL: fromHaven.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'haven:test:'}${randomBytes(3).toString('hex')}:`,
      JOBS_QUEUE_PREFIX: queuePrefix,
    });
    expect(JSON.stringify(seen.journal)).toContain('After the infusion');
    expect(JSON.stringify(seen[`messages ${members[2].username}`])).toContain('Can we talk');
    expect(await memberView(request(`http://127.0.0.1:${restored.port}`))).toEqual(seen);
  }, 180_000);

  it('refuses to restore into a database that is not empty, and prints no secret and nothing members wrote', async () => {
    const file = path.join(folder, 'quiet.dump');
    const target = await fresh();
    await query(target.url, 'CREATE TABLE something_already_here (id int)');
    const dump = await cli(target.url, 'restore', file);
    expect(dump.code).toBe(1);
    expect(dump.output).toMatch(/not empty/);
    const haven = await cli(target.url, 'restore', path.join(folder, 'quiet.haven'));
    expect(haven.code).toBe(1);
    expect(haven.output).toMatch(/not empty/);
    expect(await query(target.url, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([
      { n: 1 },
    ]);
    expect((await cli(target.url, 'backup', file)).code).toBe(1); // never overwrites a file

    expect(printed.length).toBeGreaterThan(10);
    const all = printed.join('\n');
    for (const secret of [
      TEST_ENV.JWT_SECRET,
      TEST_ENV.CAPTCHA_SECRET,
      TEST_ENV.IP_HASH_SECRET,
      TEST_ENV.JOURNAL_SECRET,
    ]) {
      expect(all).not.toContain(secret);
    }
    for (const text of written) expect(all).not.toContain(text);
    for (const m of members) expect(all).not.toContain(m.email);
  });

  /** Everything a member sees of the community filled above, through the API, as each member. */
  async function memberView(http: ReturnType<typeof request>) {
    const view: Record<string, unknown> = {};
    for (const m of members) {
      const as = bearer(m.accessToken);
      view[`me ${m.username}`] = (await http.get('/api/me').set(as).expect(200)).body;
      view[`notifications ${m.username}`] = await allPages(http, '/api/notifications', as);
    }
    const reader = bearer(members[2].accessToken);
    view.threads = await allPages(http, `/api/categories/${category.slug}/threads`, reader);
    for (const id of threadIds) {
      view[`thread ${id}`] = (await http.get(`/api/threads/${id}`).set(reader).expect(200)).body;
      view[`posts ${id}`] = await allPages(http, `/api/threads/${id}/posts`, reader);
    }
    view.comments = await allPages(http, `/api/pages/${pageKey}/comments`, reader);
    view.chat = (await http.get(`/api/chat/rooms/${roomSlug}/messages?limit=100`).set(reader).expect(200)).body;
    for (const m of members.slice(1, 3)) {
      const as = bearer(m.accessToken);
      view[`conversations ${m.username}`] = await allPages(http, '/api/conversations', as);
      view[`messages ${m.username}`] = (
        await http.get(`/api/conversations/${conversationId}/messages?limit=100`).set(as).expect(200)
      ).body;
    }
    // Her journal, readable by her after the restore because the same JOURNAL_SECRET is given.
    view.journal = (
      await http
        .get('/api/journal/entries?from=2026-11-01&to=2026-12-31')
        .set(bearer(members[1].accessToken))
        .expect(200)
    ).body;
    return view;
  }
});

async function allPages(http: ReturnType<typeof request>, url: string, auth: Record<string, string>) {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await http
      .get(`${url}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      .set(auth)
      .expect(200);
    items.push(...(res.body.items as unknown[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

async function query(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every table of Haven's (public) and of its job queue (pgboss): row count and a hash of its rows, in any order. */
async function tableDigests(url: string): Promise<Record<string, { rows: number; hash: string }>> {
  const tables = await query(
    url,
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, n.nspname || '.' || c.relname AS label
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname IN ('public', 'pgboss')`,
  );
  const digests: Record<string, { rows: number; hash: string }> = {};
  for (const { name, label } of tables) {
    const [row] = await query(
      url,
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(h, '' ORDER BY h)), '') AS hash
         FROM (SELECT md5(t::text) AS h FROM ${name as string} t) x`,
    );
    digests[label as string] = { rows: row.rows as number, hash: row.hash as string };
  }
  return digests;
}
