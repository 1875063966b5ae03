/**
 * The four measured routes of the forum benchmark and their parameters: thread list, thread page 1, thread page 250
 * (the last page of the 5,000-post thread, by cursor) and create post (replies to 1,000 ordinary threads, by the
 * signed-in members in turn). `postReply` sends one reply the same way, for the answer and statement checks.
 */
import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../lib/util.mjs';
import { BIG_THREAD_ID, BIG_THREAD_POSTS, env } from './config.mjs';
import { paragraph } from './seed.mjs';
import { encodeCursor } from './views.mjs';

export async function forumRoutes(db, tokens) {
  const slug = 'bench-cat-1';
  const [{ id: cursorId }] = (
    await db.query(`SELECT id FROM posts WHERE thread_id = $1 ORDER BY id OFFSET $2 LIMIT 1`, [
      BIG_THREAD_ID,
      BIG_THREAD_POSTS - 20 - 1,
    ])
  ).rows;
  const page250Cursor = encodeCursor([cursorId]);
  const listPath = `/api/categories/${slug}/threads?limit=20`;
  const page1Path = `/api/threads/${BIG_THREAD_ID}/posts?limit=20`;
  const page250Path = `/api/threads/${BIG_THREAD_ID}/posts?limit=20&cursor=${page250Cursor}`;
  // Replies go to 1,000 ordinary threads across all categories (never the big one, so its pages stay put).
  const replyThreads = (
    await db.query(`SELECT id FROM threads WHERE id <> $1 AND NOT pinned ORDER BY id LIMIT 1000`, [BIG_THREAD_ID])
  ).rows.map((r) => r.id);
  const runId = randomBytes(3).toString('hex');
  const bodyRnd = mulberry32(7);
  const bodyParagraphs = Array.from({ length: 500 }, () => paragraph(bodyRnd, 230));
  let seq = 0;
  const replyBody = (n) => {
    const a = bodyParagraphs[n % 500];
    const b = bodyParagraphs[(n * 7 + 3) % 500].replace(/^(\S+ \S+)/, '**$1**');
    const c = bodyParagraphs[(n * 13 + 5) % 500];
    return `${a}\n\n${b}\n\n${c} (reply ${runId}-${n})`;
  };
  const routes = [
    { key: 'list', label: 'thread list', options: () => ({ requests: [{ method: 'GET', path: listPath }] }) },
    { key: 'page1', label: 'thread page 1', options: () => ({ requests: [{ method: 'GET', path: page1Path }] }) },
    {
      key: 'page250',
      label: 'thread page 250',
      options: () => ({ requests: [{ method: 'GET', path: page250Path }] }),
    },
    {
      key: 'create',
      label: 'create post',
      options: () => ({
        requests: [
          {
            method: 'POST',
            path: '/',
            setupRequest: (req) => {
              const n = seq++;
              return {
                ...req,
                path: `/api/threads/${replyThreads[n % replyThreads.length]}/posts`,
                headers: {
                  ...req.headers,
                  'content-type': 'application/json',
                  authorization: `Bearer ${tokens[n % tokens.length]}`,
                },
                body: JSON.stringify({ body: replyBody(n) }),
              };
            },
          },
        ],
      }),
    },
  ].filter((r) => !env.BENCH_ONLY || env.BENCH_ONLY.split(',').includes(r.key));
  const postReply = async (s) => {
    const n = seq++;
    const r = await fetch(`${s.base}/api/threads/${replyThreads[n % replyThreads.length]}/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` },
      body: JSON.stringify({ body: replyBody(n) }),
    });
    return [r.status, await r.json()];
  };
  return { slug, cursorId, listPath, page1Path, page250Path, routes, postReply };
}
