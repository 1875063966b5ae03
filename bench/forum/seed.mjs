/**
 * The forum benchmark's seed: English-like text from a seeded PRNG, then set-based SQL (1,000 members, 10 categories
 * x 500 threads, 100,000 posts, one thread of exactly 5,000 posts, reactions, subscriptions, consistent counters),
 * VACUUM ANALYZE; and the check that the seeded forum is what the benchmark expects.
 */
import { mulberry32 } from '../lib/util.mjs';
import {
  BIG_THREAD_ID,
  BIG_THREAD_POSTS,
  CATEGORIES,
  LOGIN_MEMBERS,
  log,
  MEMBERS,
  PARAGRAPHS,
  PINNED,
  POSTS,
  THREADS,
} from './config.mjs';

// ---------------------------------------------------------------------------------------------------------------
// Text for the seed: English-like, varied (full-text indexes see thousands of distinct word combinations).
// ---------------------------------------------------------------------------------------------------------------

const WORDS = `the and of to a in that it is was for on with as have be at this but they not you from by or one had
all were we when there can an your which their said if will each about how up out them then she many some so these
would other into has more her two like him see time could no make than first been its who now people my made over
did down only way find use may water long little very after words called just where most know get through back much
before go good new write our used me man too any day same right look think also around another came come work three
word must because does part even place well such here take why help put different away again off went old number
great tell men say small every found still between name should home big give air line set own under read last never
us left end along while might next sound below saw something thought both few those always show large often together
asked house world going want school important until form food keep children feet land side without boy once animal
life enough took sometimes four head above kind began almost live page got earth need far hand high year mother light
parts country father let night following picture being study second eyes soon times story boys since white days ever
paper hard near sentence better best across during today others however sure means knew try told young miles sun ways
thing whole hear example heard several change answer room sea against top turned learn point city play toward five
using himself usually doctor nurse oncologist scan scans results treatment chemo radiation infusion fatigue nausea
appointment clinic hospital diagnosis metastatic stage tumor tumour bone liver lung brain markers bloodwork oncology
trial medication dose side effects pain tired hope fear worry scared anxious grateful thankful family husband wife
partner daughter son sister brother friend friends caregiver support group community together strength courage
morning evening weekend garden walk walking tea coffee recipe soup book reading music church prayer meditation breathe
sleep insurance work job leave benefits appointment waiting room parking nausea appetite weight hair wig scarf
neuropathy fingers toes cold hot flashes hormone therapy letrozole tamoxifen ibrance capecitabine xeloda taxol
herceptin port bloods counts neutrophils platelets scanxiety stable progression shrinking growing news relief tears
laugh laughed smile hug hugs thanks thank sharing shared listening listened understand understood feel feeling felt
better worse slowly quickly gently honestly really truly maybe perhaps probably certainly yesterday tomorrow tonight
week month months year years ago later earlier soon since until while during after before appointment question
questions answer answers nurse navigator palliative hospice comfort dignity choices plan plans goals wishes`
  .split(/\s+/)
  .filter(Boolean);

function sentence(rnd, min = 6, span = 14, end = true) {
  const n = min + Math.floor(rnd() * span);
  const words = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(rnd() * WORDS.length)]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  if (n > 8 && rnd() < 0.5) words[3 + Math.floor(rnd() * 4)] += ',';
  if (!end) return words.join(' ');
  const r = rnd();
  return `${words.join(' ')}${r < 0.8 ? '.' : r < 0.93 ? '?' : '!'}`;
}

export function paragraph(rnd, minChars) {
  let p = '';
  while (p.length < minChars) p += (p ? ' ' : '') + sentence(rnd);
  return p;
}

// ----- seeding ----------------------------------------------------------------------------------------------------

export async function seed(db, passwordHash) {
  const rnd = mulberry32(20261126);
  const paragraphs = Array.from({ length: PARAGRAPHS }, () => paragraph(rnd, 230));
  const titles = Array.from({ length: THREADS }, (_, i) =>
    i + 1 === BIG_THREAD_ID ? 'The long-running check-in thread: how are you today?' : sentence(rnd, 4, 6, rnd() < 0.3),
  );
  const step = async (label, sql, params) => {
    const t = Date.now();
    const r = await db.query(sql, params);
    log(`  seed: ${label} (${r.rowCount ?? '-'} rows, ${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return r;
  };
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET maintenance_work_mem = '256MB'`);
  await db.query(`SELECT setseed(0.4242)`);
  await db.query(`CREATE TEMP TABLE para (i int PRIMARY KEY, t text NOT NULL)`);
  await db.query(`INSERT INTO para SELECT n, t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)`, [paragraphs]);
  await db.query(`CREATE TEMP TABLE titles (i int PRIMARY KEY, t text NOT NULL)`);
  await db.query(`INSERT INTO titles SELECT n, t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)`, [titles]);

  await step(
    'members',
    `INSERT INTO users (id, username, email, password_hash, display_name, first_approved_at, created_at, updated_at)
     OVERRIDING SYSTEM VALUE
     SELECT g, 'bench_user_' || g, 'bench_user_' || g || '@bench.invalid', CASE WHEN g <= $2 THEN $1 ELSE '!' END,
            'Bench member ' || g, now() - interval '400 days', now() - interval '420 days', now() - interval '420 days'
       FROM generate_series(1, $3::int) g`,
    [passwordHash, LOGIN_MEMBERS, MEMBERS],
  );
  await step(
    'categories',
    `INSERT INTO categories (id, slug, name, description, approval, position) OVERRIDING SYSTEM VALUE
     SELECT g, 'bench-cat-' || g, 'Bench category ' || g, 'A category for the forum benchmark', 'none', g
       FROM generate_series(1, $1::int) g`,
    [CATEGORIES],
  );
  // Thread plan: category round-robin, a random author, created over the last year (the big thread 360 days ago).
  await db.query(
    `CREATE TEMP TABLE tp AS
     SELECT k, ((k - 1) % $2) + 1 AS cat, 1 + floor(random() * $3)::int AS author,
            CASE WHEN k = $4 THEN now() - interval '360 days' ELSE now() - random() * interval '365 days' END AS at
       FROM generate_series(1, $1::int) k`,
    [THREADS, CATEGORIES, MEMBERS, BIG_THREAD_ID],
  );
  await step(
    'threads',
    `INSERT INTO threads (id, category_id, author_id, title, pinned, status, created_at, last_post_at)
     OVERRIDING SYSTEM VALUE
     SELECT tp.k, tp.cat, tp.author, ti.t, tp.k <= $1, 'published', tp.at, tp.at
       FROM tp JOIN titles ti ON ti.i = tp.k ORDER BY tp.k`,
    [PINNED],
  );
  // Post plan: every thread's opening post (by the thread's author, at its creation), the big thread's replies
  // spread evenly since then, and the other replies over the other threads with a skew (a few busy threads, a long
  // tail), each at a random moment after its thread began.
  const otherReplies = POSTS - THREADS - (BIG_THREAD_POSTS - 1);
  await db.query(
    `CREATE TEMP TABLE pp AS
     SELECT tp.k AS thread, tp.at, tp.author, true AS first FROM tp
     UNION ALL
     SELECT tp.k, tp.at + (g / $3::float8) * (now() - interval '1 hour' - tp.at), 1 + floor(random() * $4)::int, false
       FROM tp, generate_series(1, $3::int - 1) g WHERE tp.k = $2
     UNION ALL
     SELECT tp.k, tp.at + random() * (now() - interval '1 minute' - tp.at), 1 + floor(random() * $4)::int, false
       FROM (SELECT 1 + floor(($2 - 1) * power(random(), 1.6))::int AS k FROM generate_series(1, $1::int)) x
       JOIN tp ON tp.k = x.k`,
    [otherReplies, BIG_THREAD_ID, BIG_THREAD_POSTS, MEMBERS],
  );
  // Ids follow time, and rows go in in id order, as a live forum writes them (a thread's posts are scattered).
  await step(
    'posts',
    `INSERT INTO posts (id, thread_id, author_id, body, body_html, status, created_at) OVERRIDING SYSTEM VALUE
     SELECT row_number() OVER (ORDER BY s.at, s.first DESC, s.thread) AS id, s.thread, s.author,
            p1.t || E'\\n\\n' || p2.t || E'\\n\\n' || p3.t,
            '<p>' || p1.t || E'</p>\\n<p>' || p2.t || E'</p>\\n<p>' || p3.t || '</p>',
            'published', s.at
       FROM (SELECT pp.*, 1 + floor(random() * $1)::int AS a, 1 + floor(random() * $1)::int AS b,
                    1 + floor(random() * $1)::int AS c FROM pp) s
       JOIN para p1 ON p1.i = s.a JOIN para p2 ON p2.i = s.b JOIN para p3 ON p3.i = s.c
      ORDER BY 1`,
    [PARAGRAPHS],
  );
  await step(
    'thread counters',
    `UPDATE threads t SET first_post_id = s.first_id, reply_count = s.n - 1, last_post_at = s.last_at
       FROM (SELECT thread_id, min(id) AS first_id, count(*)::int AS n, max(created_at) AS last_at
               FROM posts GROUP BY thread_id) s
      WHERE s.thread_id = t.id`,
  );
  await step(
    'category counters',
    `UPDATE categories c SET thread_count = s.tc, post_count = s.pc, last_post_at = s.la
       FROM (SELECT category_id, count(*)::int AS tc, sum(reply_count + 1)::int AS pc, max(last_post_at) AS la
               FROM threads WHERE status = 'published' GROUP BY category_id) s
      WHERE s.category_id = c.id`,
  );
  await step(
    'member counters',
    `UPDATE users u SET post_count = s.n FROM (SELECT author_id, count(*)::int AS n FROM posts GROUP BY author_id) s
      WHERE s.author_id = u.id`,
  );
  // Haven subscribes a thread's author to it (ThreadsService.create): replies notify them.
  await step(
    'subscriptions',
    `INSERT INTO thread_subscriptions (thread_id, user_id, created_at) SELECT id, author_id, created_at FROM threads`,
  );
  // Reactions on a third of the posts, 1-3 each, from different members.
  await step(
    'reactions',
    `INSERT INTO post_reactions (post_id, user_id, kind, created_at)
     SELECT p.id, 1 + ((p.id * 7 + r * 331) % $1), (ARRAY['support', 'hug', 'same', 'thanks'])[1 + (p.id + r) % 4],
            p.created_at
       FROM posts p, generate_series(0, 2) r WHERE p.id % 3 = 0 AND r <= (p.id / 3) % 3`,
    [MEMBERS],
  );
  for (const table of ['users', 'categories', 'threads', 'posts']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  const t = Date.now();
  await db.query(`VACUUM ANALYZE`);
  log(`  seed: VACUUM ANALYZE (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

export async function checkSeed(db) {
  const [facts] = (
    await db.query(`SELECT
      (SELECT count(*) FROM users)::int AS users,
      (SELECT count(*) FROM categories)::int AS categories,
      (SELECT count(*) FROM threads)::int AS threads,
      (SELECT count(*) FROM threads WHERE pinned)::int AS pinned,
      (SELECT count(*) FROM posts)::int AS posts,
      (SELECT count(*) FROM posts WHERE thread_id = ${BIG_THREAD_ID})::int AS big,
      (SELECT round(avg(char_length(body))) FROM posts)::int AS avg_body,
      (SELECT count(*) FROM threads t WHERE t.first_post_id IS DISTINCT FROM
         (SELECT min(id) FROM posts p WHERE p.thread_id = t.id))::int AS bad_first,
      (SELECT count(*) FROM threads t WHERE t.reply_count <> (SELECT count(*) - 1 FROM posts p WHERE p.thread_id = t.id)
         OR t.last_post_at <> (SELECT max(created_at) FROM posts p WHERE p.thread_id = t.id))::int AS bad_threads,
      (SELECT count(*) FROM categories c WHERE c.post_count <>
         (SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.category_id = c.id))::int AS bad_cats,
      (SELECT count(*) FROM post_reactions)::int AS reactions,
      (SELECT max(reply_count) FROM threads WHERE id <> ${BIG_THREAD_ID})::int AS busiest,
      (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY reply_count) FROM threads)::int AS median_replies,
      pg_size_pretty(pg_total_relation_size('posts')) AS posts_size`)
  ).rows;
  log(
    `  seeded: ${facts.users} members, ${facts.categories} categories, ${facts.threads} threads (${facts.pinned} pinned), ` +
      `${facts.posts} posts (avg ${facts.avg_body} chars; big thread ${facts.big}; busiest other ${facts.busiest + 1}; ` +
      `median thread ${facts.median_replies + 1}), ${facts.reactions} reactions, posts table ${facts.posts_size}`,
  );
  if (facts.bad_first || facts.bad_threads || facts.bad_cats || facts.big !== BIG_THREAD_POSTS || facts.posts !== POSTS)
    throw new Error(`seed is inconsistent: ${JSON.stringify(facts)}`);
}
