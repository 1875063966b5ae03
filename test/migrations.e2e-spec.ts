import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { assertSchemaNotNewer, runMigrationsLocked, SchemaNewerThanCodeError } from '../src/database/migrate';
import { startTestApp, TEST_ENV } from './app';
import { bearer, createUser } from './factories/users';
import { startChildServer } from './support/child-server';
import { ownDatabase, type OwnDatabase } from './support/own-database';

/**
 * Upgrades that cannot half-apply (issue 17): every migration applied on a database that holds the previous
 * release's data, the newest reverted cleanly and applied again; a migration that fails leaves nothing of itself;
 * a schema newer than the code is refused at start.
 */

/** The last migration of the previous release: the ones after it came this week. */
const PREVIOUS_RELEASE_LAST = 'Subscriptions1796430200000';

type MigrationClass = new () => MigrationInterface;

/** The code's migrations in the order TypeORM applies them (by the timestamp in the name, stable). */
async function codeMigrations(url: string): Promise<MigrationClass[]> {
  const all = new DataSource(dataSourceOptions(url));
  await all.initialize();
  const stamp = (m: MigrationInterface) => Number(/(\d{13})$/.exec(m.name ?? m.constructor.name)![1]);
  const sorted = [...all.migrations].sort((a, b) => stamp(a) - stamp(b));
  await all.destroy();
  return sorted.map((m) => m.constructor as MigrationClass);
}

async function withMigrations<T>(
  url: string,
  migrations: MigrationClass[],
  work: (ds: DataSource) => Promise<T>,
): Promise<T> {
  const ds = new DataSource({ ...dataSourceOptions(url), migrations });
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

/** Tables, columns, indexes and constraints of the public schema, to compare before and after a revert. */
async function schemaOf(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
            coalesce(column_default, '') AS d
       FROM information_schema.columns WHERE table_schema = 'public'
     UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     ORDER BY 1`,
  )) as { d: string }[];
  return rows.map((r) => r.d);
}

const names = (ds: DataSource) =>
  ds.query(`SELECT name FROM migrations ORDER BY id`).then((rows: { name: string }[]) => rows.map((r) => r.name));

describe('migrations (e2e)', () => {
  const dbs: OwnDatabase[] = [];
  const fresh = async () => {
    const db = await ownDatabase();
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it("applies every migration on the previous release's data, serves it, and reverts the newest cleanly", async () => {
    const db = await fresh();
    const all = await codeMigrations(db.url);
    const cut = all.findIndex((m) => m.name === PREVIOUS_RELEASE_LAST) + 1;
    expect(cut).toBeGreaterThan(5);
    expect(all.length).toBeGreaterThan(cut);

    // The previous release's schema, holding representative rows written as that release wrote them.
    const seeded = await withMigrations(db.url, all.slice(0, cut), async (ds) => {
      await ds.runMigrations({ transaction: 'each' });
      return seedPreviousRelease(ds);
    });

    // This week's migrations on top, one transaction each; the newest checked by a revert and a second apply.
    const withoutNewest = await withMigrations(db.url, all.slice(0, -1), async (ds) => {
      await ds.runMigrations({ transaction: 'each' });
      return schemaOf(ds);
    });
    await withMigrations(db.url, all, async (ds) => {
      await ds.runMigrations({ transaction: 'each' });
      expect(await names(ds)).toEqual(all.map((m) => m.name));
      const complete = await schemaOf(ds);
      expect(complete).not.toEqual(withoutNewest);
      await ds.undoLastMigration({ transaction: 'each' });
      expect(await names(ds)).toEqual(all.slice(0, -1).map((m) => m.name));
      expect(await schemaOf(ds)).toEqual(withoutNewest);
      await ds.runMigrations({ transaction: 'each' });
      expect(await schemaOf(ds)).toEqual(complete);
      const counts = (await ds.query(
        `SELECT (SELECT count(*)::int FROM users WHERE id = ANY($1)) AS users,
                (SELECT count(*)::int FROM posts WHERE thread_id = $2) AS posts,
                (SELECT body FROM posts WHERE id = $3) AS body,
                (SELECT count(*)::int FROM chat_messages WHERE room_id = $4) AS chat,
                (SELECT count(*)::int FROM comments WHERE page_id = $5) AS comments,
                (SELECT count(*)::int FROM mail_messages WHERE user_id = $6) AS mail`,
        [[seeded.alice, seeded.bea], seeded.thread, seeded.firstPost, seeded.room, seeded.page, seeded.bea],
      )) as Record<string, unknown>[];
      expect(counts[0]).toEqual({ users: 2, posts: 2, body: 'Scan day tomorrow.', chat: 1, comments: 1, mail: 1 });
    });

    // The code serves the upgraded data: the old thread and its posts through the API.
    const t = await startTestApp({ DATABASE_URL: db.url });
    try {
      const reader = await createUser(t);
      const posts = await t.http.get(`/api/threads/${seeded.thread}/posts`).set(bearer(reader.accessToken)).expect(200);
      expect((posts.body.items as { body: string }[]).map((p) => p.body)).toEqual([
        'Scan day tomorrow.',
        'Thinking of you.',
      ]);
    } finally {
      await t.close();
    }
  }, 180_000);

  it('rolls a failing migration back whole: the schema stays at the last one that completed', async () => {
    const db = await fresh();
    const all = await codeMigrations(db.url);
    class HalfDone1999999999999 implements MigrationInterface {
      name = 'HalfDone1999999999999';
      async up(q: QueryRunner): Promise<void> {
        await q.query(`CREATE TABLE half_done (id int)`);
        await q.query(`ALTER TABLE users ADD COLUMN half_done int`);
        await q.query(`SELECT 1 / 0`);
      }
      async down(): Promise<void> {}
    }
    await withMigrations(db.url, [...all, HalfDone1999999999999], async (ds) => {
      await expect(ds.runMigrations({ transaction: 'each' })).rejects.toThrow(/division by zero/);
      expect(await names(ds)).toEqual(all.map((m) => m.name));
      const [left] = (await ds.query(
        `SELECT to_regclass('half_done') IS NULL AS no_table,
                NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'half_done') AS no_column`,
      )) as { no_table: boolean; no_column: boolean }[];
      expect(left).toEqual({ no_table: true, no_column: true });
    });
  }, 180_000);

  it('refuses to serve a schema newer than the code, and says why and what to do', async () => {
    const db = await fresh();
    const all = await codeMigrations(db.url);
    await withMigrations(db.url, all, async (ds) => {
      await ds.runMigrations({ transaction: 'each' });
      await ds.query(
        `INSERT INTO migrations (timestamp, name) VALUES (1999999999999, 'FromANewerRelease1999999999999')`,
      );
    });
    const refused = startChildServer({ ...TEST_ENV, DATABASE_URL: db.url });
    await expect(refused).rejects.toThrow(/schema is newer than this code/);
    await expect(refused).rejects.toThrow(/FromANewerRelease1999999999999/);
    await expect(refused).rejects.toThrow(/migration:revert/);
    // The check that a start makes with MIGRATIONS_RUN=false too, and before any migration runs.
    await withMigrations(db.url, all, async (ds) => {
      await expect(assertSchemaNotNewer(ds)).rejects.toThrow(SchemaNewerThanCodeError);
      await expect(runMigrationsLocked(ds)).rejects.toThrow(SchemaNewerThanCodeError);
    });
  }, 180_000);
});

/** Rows as the previous release wrote them (its columns only), in the tables members' words live in. */
async function seedPreviousRelease(ds: DataSource) {
  const one = async (sql: string, params: unknown[] = []) =>
    String(((await ds.query(sql, params)) as { id: string }[])[0].id);
  const user = (name: string) =>
    one(
      `INSERT INTO users (username, email, password_hash, display_name, email_verified_at)
       VALUES ($1::text, $1::text || '@example.org', 'not-a-real-hash', $1::text, now()) RETURNING id`,
      [name],
    );
  const alice = await user(`alice_${Date.now().toString(36)}`);
  const bea = await user(`bea_${Date.now().toString(36)}`);
  const category = await one(
    `INSERT INTO categories (slug, name, approval) VALUES ('upgrade-' || md5(random()::text), 'Upgrades', 'none')
     RETURNING id`,
  );
  const thread = await one(
    `INSERT INTO threads (category_id, author_id, title, reply_count) VALUES ($1, $2, 'Scans', 1) RETURNING id`,
    [category, alice],
  );
  const firstPost = await one(
    `INSERT INTO posts (thread_id, author_id, body, body_html) VALUES ($1, $2, 'Scan day tomorrow.', '<p>Scan day tomorrow.</p>')
     RETURNING id`,
    [thread, alice],
  );
  const replyPost = await one(
    `INSERT INTO posts (thread_id, author_id, body, body_html, reply_to_id, edited_at)
     VALUES ($1, $2, 'Thinking of you.', '<p>Thinking of you.</p>', $3, now()) RETURNING id`,
    [thread, bea, firstPost],
  );
  await ds.query(`UPDATE threads SET first_post_id = $1 WHERE id = $2`, [firstPost, thread]);
  await ds.query(
    `INSERT INTO post_revisions (post_id, body, edited_by, written_at) VALUES ($1, 'Thinking of u', $2, now())`,
    [replyPost, bea],
  );
  const room = await one(
    `INSERT INTO chat_rooms (slug, name) VALUES ('up-' || md5(random()::text), 'Lobby') RETURNING id`,
  );
  await ds.query(
    `INSERT INTO chat_messages (room_id, author_id, client_id, body, body_html) VALUES ($1, $2, gen_random_uuid()::text, 'Hello', '<p>Hello</p>')`,
    [room, alice],
  );
  const page = await one(
    `INSERT INTO pages (key, title, url) VALUES ('up-' || md5(random()::text), 'An article', 'https://example.org/a') RETURNING id`,
  );
  await ds.query(
    `INSERT INTO comments (page_id, author_id, body, body_html) VALUES ($1, $2, 'Thank you.', '<p>Thank you.</p>')`,
    [page, bea],
  );
  await ds.query(
    `INSERT INTO mail_messages (key, message_id, user_id, to_address, address_hash, kind, subject, text_body)
     VALUES ('up:' || md5(random()::text), '<up@haven.test>', $1, 'bea@example.org', md5('bea'), 'notification', 'A reply', 'Thinking of you.')`,
    [bea],
  );
  await ds.query(`INSERT INTO notifications (user_id, kind, data) VALUES ($1, 'reply', $2)`, [
    alice,
    { threadId: thread, postId: replyPost },
  ]);
  return { alice, bea, thread, firstPost, room, page };
}
