/**
 * The thread page benchmark's seed: a realistic thread in SQL, 60 posts by 40 members with Markdown bodies rendered
 * by Haven's own renderer, reactions, two content warnings and an anonymous reply, consistent counters.
 */
import { mulberry32 } from '../lib/util.mjs';
import { CATEGORY, MEMBERS, POSTS } from './config.mjs';

// ----- a realistic thread -----------------------------------------------------------------------------------------

const WORDS = `the and of to a in that it is was for on with as have be at this but they not you from by or one had all
were we when there can an your which their said if will each about how up out them then many some so these would into
has more two like see time could no make than first been its who now people my made over did down only way find use
may long little very after called just where most know get through back much before go good new our used me too any
day same right look think also around another came come work three must because does part even place well such here
take why help put different away again off went old great tell say small every found still between should home big
give line set own under read last never left end along while might next below saw something thought both few those
always show large often together asked house world going want important until keep children side without once life
enough took sometimes four head above began almost live page got need far hand high year mother light doctor nurse
oncologist scan scans results treatment chemo radiation infusion fatigue nausea appointment clinic hospital diagnosis
metastatic stage bone liver lung markers bloodwork trial medication dose side effects pain tired hope fear worry scared
anxious grateful family husband wife partner daughter son sister friend friends caregiver support group community
strength courage morning evening weekend garden walk tea coffee recipe soup book reading music prayer meditation
breathe sleep insurance leave benefits waiting room parking appetite weight hair scarf neuropathy fingers hormone
therapy letrozole tamoxifen ibrance capecitabine port counts neutrophils platelets scanxiety stable progression news
relief tears laugh smile hug hugs thanks sharing listening understand feel feeling better worse slowly gently honestly
really maybe perhaps yesterday tomorrow tonight week month months ago later soon question questions answer nurse
navigator palliative comfort dignity choices plan plans goals wishes`
  .split(/\s+/)
  .filter(Boolean);

function sentence(rnd, min = 6, span = 12) {
  const n = min + Math.floor(rnd() * span);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]);
  if (rnd() < 0.35) words[2] = `**${words[2]}**`;
  if (rnd() < 0.25) words[n - 2] = `*${words[n - 2]}*`;
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(' ')}${rnd() < 0.85 ? '.' : '?'}`;
}

function paragraph(rnd, sentences) {
  return Array.from({ length: sentences }, () => sentence(rnd)).join(' ');
}

/** A post as members write them: a few paragraphs, sometimes a list, a quote or a link. */
function markdownPost(rnd, i) {
  const parts = [paragraph(rnd, 2 + Math.floor(rnd() * 3))];
  if (i % 4 === 1) parts.unshift(`> ${sentence(rnd)}`);
  if (i % 3 === 0) parts.push(Array.from({ length: 3 }, () => `- ${sentence(rnd, 3, 5)}`).join('\n'));
  if (i % 5 === 2) parts.push(`There is more at https://www.cancer.org/cancer/types/breast-cancer.html if it helps.`);
  parts.push(paragraph(rnd, 1 + Math.floor(rnd() * 3)));
  return parts.join('\n\n');
}

export async function seed(db, passwordHash, renderMarkdown) {
  const rnd = mulberry32(20261127);
  await db.query(`SET synchronous_commit = off`);
  const members = await db.query(
    `INSERT INTO users (username, email, password_hash, display_name, first_approved_at, created_at)
     SELECT 'bench_web_' || g, 'bench_web_' || g || '@bench.invalid', $1, 'Bench member ' || g,
            now() - interval '200 days', now() - interval '210 days'
       FROM generate_series(1, $2::int) g RETURNING id`,
    [passwordHash, MEMBERS],
  );
  const ids = members.rows.map((r) => r.id);
  const [{ id: categoryId }] = (await db.query(`SELECT id FROM categories WHERE slug = $1`, [CATEGORY])).rows;
  const started = new Date(Date.now() - 30 * 86_400_000);
  const [{ id: threadId }] = (
    await db.query(
      `INSERT INTO threads (category_id, author_id, title, status, created_at, last_post_at)
       VALUES ($1, $2, 'Scan days: what helps you through the waiting?', 'published', $3, $3) RETURNING id`,
      [categoryId, ids[0], started],
    )
  ).rows;
  const postIds = [];
  for (let i = 0; i < POSTS; i++) {
    const body = markdownPost(rnd, i);
    const at = new Date(started.getTime() + i * 11 * 3_600_000);
    const { rows } = await db.query(
      `INSERT INTO posts (thread_id, author_id, body, body_html, anonymous, status, content_warning, created_at,
                          edited_at)
       VALUES ($1, $2, $3, $4, $5, 'published', $6, $7, $8) RETURNING id`,
      [
        threadId,
        ids[i === 0 ? 0 : 1 + Math.floor(rnd() * (MEMBERS - 1))],
        body,
        renderMarkdown(body),
        i === 7,
        i === 4 || i === 13 ? 'scan results' : null,
        at,
        i % 9 === 5 ? new Date(at.getTime() + 600_000) : null,
      ],
    );
    postIds.push(rows[0].id);
  }
  await db.query(
    `UPDATE threads SET first_post_id = $2, reply_count = $3,
            last_post_at = (SELECT max(created_at) FROM posts WHERE thread_id = $1) WHERE id = $1`,
    [threadId, postIds[0], POSTS - 1],
  );
  await db.query(
    `UPDATE categories SET thread_count = thread_count + 1, post_count = post_count + $2,
            last_post_at = (SELECT last_post_at FROM threads WHERE id = $3) WHERE id = $1`,
    [categoryId, POSTS, threadId],
  );
  await db.query(`INSERT INTO thread_subscriptions (thread_id, user_id) VALUES ($1, $2)`, [threadId, ids[0]]);
  // Reactions on most posts, 1-6 each, of different kinds, from different members (member 1 among them sometimes).
  await db.query(
    `INSERT INTO post_reactions (post_id, user_id, kind)
     SELECT p.id, u.id, (ARRAY['support', 'hug', 'same', 'thanks'])[1 + (p.id + u.id) % 4]
       FROM posts p JOIN LATERAL (
              SELECT id FROM users WHERE username LIKE 'bench_web_%' ORDER BY md5(p.id::text || id::text)
               LIMIT (p.id % 7)) u ON true
      WHERE p.thread_id = $1
     ON CONFLICT DO NOTHING`,
    [threadId],
  );
  await db.query(`VACUUM ANALYZE`);
  return { threadId, firstUsername: 'bench_web_1' };
}
