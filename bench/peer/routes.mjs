/**
 * The peer benchmark's comparisons: three JSON reads and a reply (Haven against the bare server), and the thread page
 * (Haven's SSR page against Haven's own JSON route for it). Each side is a target and the autocannon options for it.
 */
import { randomBytes } from 'node:crypto';
import { mulberry32, sleep } from '../lib/util.mjs';
import { BIG_THREAD_ID, BIG_THREAD_POSTS } from '../forum/config.mjs';
import { paragraph } from '../forum/seed.mjs';
import { AS, ONLY } from './config.mjs';

const get = (path, headers) => () => ({ requests: [{ method: 'GET', path, headers }] });

/**
 * The last page (limit 20) of the 5,000-post thread, reached by following Haven's own cursors (100 at a time, then
 * 20 at a time), so that the deep page is asked for with a cursor string Haven emitted.
 */
export async function deepPagePath(haven) {
  const base = `/api/threads/${BIG_THREAD_ID}/posts`;
  let cursor = null;
  let seen = 0;
  while (seen < BIG_THREAD_POSTS - 20) {
    const limit = BIG_THREAD_POSTS - 20 - seen >= 100 ? 100 : 20;
    const res = await fetch(`${haven.base}${base}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`walking to the deep page: ${res.status} ${await res.text()}`);
    const page = await res.json();
    seen += page.items.length;
    cursor = page.nextCursor;
    if (!cursor) throw new Error(`the thread ended after ${seen} posts`);
  }
  return `${base}?limit=20&cursor=${cursor}`;
}

export async function peerRoutes({ db, haven, bare, tokens, cookie }) {
  const listPath = `/api/categories/bench-cat-1/threads?limit=20`;
  const page1Path = `/api/threads/${BIG_THREAD_ID}/posts?limit=20`;
  const deepPath = await deepPagePath(haven);
  const readHeaders = AS === 'member' ? { authorization: `Bearer ${tokens[0]}` } : {};

  // Replies go to 1,000 ordinary threads (never the big one, so that its pages stay put), by the members in turn.
  const replyThreads = (
    await db.query(`SELECT id FROM threads WHERE id <> $1 AND NOT pinned ORDER BY id LIMIT 1000`, [BIG_THREAD_ID])
  ).rows.map((r) => r.id);
  const runId = randomBytes(3).toString('hex');
  const rnd = mulberry32(16);
  const paragraphs = Array.from({ length: 300 }, () => paragraph(rnd, 230));
  let seq = 0;
  const reply = () => {
    const n = seq++;
    const body =
      `${paragraphs[n % 300]}\n\n${paragraphs[(n * 7 + 3) % 300].replace(/^(\S+ \S+)/, '**$1**')}\n\n` +
      `${paragraphs[(n * 13 + 5) % 300]} (reply ${runId}-${n})`;
    return {
      path: `/api/threads/${replyThreads[n % replyThreads.length]}/posts`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` },
      body: JSON.stringify({ body }),
    };
  };
  // Haven may queue a job with a reply (the subscriptions' fan-out, when someone follows the thread by mail at once)
  // and works it in the background, where a bare server does nothing more: a reply round ends once no job is waiting,
  // so what the replies left behind is metered with them and its time counts in their req/s (it would otherwise run,
  // unmetered, during the other side's round).
  const settle = async () => {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now()`,
      );
      if (rows[0].n === 0) return;
      if (Date.now() > deadline) throw new Error(`${rows[0].n} background jobs still waiting after 180 s`);
      await sleep(100);
    }
  };
  const replyOptions = () => ({
    requests: [{ method: 'POST', path: '/', setupRequest: (req) => ({ ...req, ...reply() }) }],
  });
  const ssrPath = `/t/${BIG_THREAD_ID}`;
  const comparisons = [
    { key: 'list', label: 'category thread list', kind: 'read', path: listPath, expected: 200 },
    { key: 'page1', label: 'thread page 1', kind: 'read', path: page1Path, expected: 200 },
    { key: 'deep', label: 'deep page (last)', kind: 'read', path: deepPath, expected: 200 },
  ].map((c) => ({
    ...c,
    a: { target: haven, options: get(c.path, readHeaders) },
    b: { target: bare, options: get(c.path, readHeaders) },
  }));
  comparisons.push({
    key: 'reply',
    label: 'reply (POST)',
    kind: 'reply',
    expected: 201,
    a: { target: haven, options: replyOptions, settle },
    b: { target: bare, options: replyOptions, settle },
  });
  comparisons.push({
    key: 'ssr',
    label: `SSR ${ssrPath} vs its JSON`,
    kind: 'ssr',
    expected: 200,
    a: { target: haven, options: get(ssrPath, { cookie }), side: 'SSR' },
    b: { target: haven, options: get(page1Path, { authorization: `Bearer ${tokens[0]}` }), side: 'JSON' },
  });
  return {
    paths: { listPath, page1Path, deepPath, ssrPath },
    reply,
    comparisons: comparisons.filter((c) => !ONLY || ONLY.includes(c.key)),
  };
}
