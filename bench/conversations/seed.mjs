/**
 * The conversations benchmark's seed, set-based SQL: members, member 1's 60 direct conversations (the first with
 * exactly 1,000 messages, the others 10 each), 6,000 conversations between other members (60,000 more messages),
 * read marks that leave some conversations unread, VACUUM ANALYZE.
 */
import { mulberry32 } from '../lib/util.mjs';
import { paragraph } from '../forum/seed.mjs';
import {
  BIG_MESSAGES,
  LOGIN_MEMBERS,
  log,
  MEMBER_ONE_CONVERSATIONS,
  MEMBERS,
  OTHER_CONVERSATIONS,
  SMALL_MESSAGES,
} from './config.mjs';

export async function seed(db, passwordHash) {
  const rnd = mulberry32(20261205);
  const paragraphs = Array.from({ length: 2000 }, () => paragraph(rnd, 60 + Math.floor(rnd() * 300)));
  const step = async (label, sql, params) => {
    const t = Date.now();
    const r = await db.query(sql, params);
    log(`  seed: ${label} (${r.rowCount ?? '-'} rows, ${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return r;
  };
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SELECT setseed(0.1205)`);
  await db.query(`CREATE TEMP TABLE para (i int PRIMARY KEY, t text NOT NULL)`);
  await db.query(`INSERT INTO para SELECT n, t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)`, [paragraphs]);

  await step(
    'members',
    `INSERT INTO users (id, username, email, password_hash, display_name, first_approved_at, created_at, updated_at)
     OVERRIDING SYSTEM VALUE
     SELECT g, 'bench_user_' || g, 'bench_user_' || g || '@bench.invalid', CASE WHEN g <= $2 THEN $1 ELSE '!' END,
            'Bench member ' || g, now() - interval '400 days', now() - interval '420 days', now() - interval '420 days'
       FROM generate_series(1, $3::int) g`,
    [passwordHash, LOGIN_MEMBERS, MEMBERS],
  );
  await db.query(`SELECT setval(pg_get_serial_sequence('users', 'id'), $1)`, [MEMBERS]);

  // Conversation plan: 1..60 are member 1 with member k+1; then random pairs of other members.
  const total = MEMBER_ONE_CONVERSATIONS + OTHER_CONVERSATIONS;
  await db.query(
    `CREATE TEMP TABLE cp AS
     SELECT k, CASE WHEN k <= $1 THEN 1 ELSE 2 + floor(random() * ($3 - 1))::int END AS a,
            CASE WHEN k <= $1 THEN k + 1 ELSE 0 END AS b,
            CASE WHEN k = 1 THEN $4::int ELSE $5::int END AS n,
            now() - interval '200 days' + random() * interval '190 days' AS at
       FROM generate_series(1, $2::int) k`,
    [MEMBER_ONE_CONVERSATIONS, total, MEMBERS, BIG_MESSAGES, SMALL_MESSAGES],
  );
  await db.query(`UPDATE cp SET b = 2 + ((a - 2 + 1 + floor(random() * ($1 - 2))::int) % ($1 - 1)) WHERE b = 0`, [
    MEMBERS,
  ]);
  await step(
    'conversations',
    `INSERT INTO conversations (id, kind, created_by, from_team, created_at) OVERRIDING SYSTEM VALUE
     SELECT k, 'direct', a, false, at FROM cp ORDER BY k`,
  );
  await db.query(`SELECT setval(pg_get_serial_sequence('conversations', 'id'), $1)`, [total]);
  // Messages: each conversation's n messages, alternating authors, a few minutes apart from its start.
  await step(
    'messages',
    `INSERT INTO conversation_messages (conversation_id, author_id, client_id, body, body_html, status, from_team, created_at)
     SELECT cp.k, CASE WHEN j % 2 = 1 THEN cp.a ELSE cp.b END, 'seed-' || cp.k || '-' || j, p.t,
            '<p>' || p.t || '</p>', 'published', false, cp.at + j * interval '3 minutes'
       FROM cp CROSS JOIN LATERAL generate_series(1, cp.n) j
       JOIN para p ON p.i = 1 + ((cp.k * 7 + j * 13) % 2000)
      ORDER BY cp.k, j`,
  );
  await step(
    'participants',
    `INSERT INTO conversation_participants (conversation_id, user_id, last_read_id, last_activity_at, joined_at)
     SELECT cp.k, who.u, CASE WHEN random() < 0.3 THEN 0 ELSE last.id END, last.at, cp.at
       FROM cp
       CROSS JOIN LATERAL (VALUES (cp.a), (cp.b)) who(u)
       CROSS JOIN LATERAL (SELECT max(m.id) AS id, max(m.created_at) AS at FROM conversation_messages m
                            WHERE m.conversation_id = cp.k) last`,
  );
  await db.query(`VACUUM ANALYZE`);
}

/** The seeded data is what the benchmark expects: member 1's list and the big conversation. */
export async function checkSeed(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM conversation_participants WHERE user_id = 1) AS mine,
            (SELECT count(*)::int FROM conversation_messages WHERE conversation_id = 1) AS big`,
  );
  if (rows[0].mine !== MEMBER_ONE_CONVERSATIONS || rows[0].big !== BIG_MESSAGES)
    throw new Error(`seed is not as expected: ${JSON.stringify(rows[0])}`);
  log(`seed checked: member 1 is in ${rows[0].mine} conversations; conversation 1 holds ${rows[0].big} messages`);
}
