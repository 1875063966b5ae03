#!/usr/bin/env node
/**
 * Forum benchmark: Haven (Nest + Fastify + TypeORM) against a bare node:http + pg server that runs the same SQL.
 *
 *   npm run build && node bench/forum.mjs
 *
 * One command, bounded, loopback only:
 *  1. creates a fresh database haven_bench_<random> on DATABASE_URL, runs Haven's migrations (TypeORM CLI over
 *     dist/), seeds a forum with set-based SQL (1,000 members, 10 categories x 500 threads, 100,000 posts of ~800
 *     characters, one thread of exactly 5,000 posts, reactions, subscriptions, consistent counters), VACUUM ANALYZE;
 *  2. starts Haven (`node dist/main.js`) and the bare server (this file with `--bare`), both on free loopback ports;
 *  3. signs 50 members in through Haven's API (real argon2id hashes) and uses their access tokens on both servers;
 *  4. checks, through a recording proxy in front of PostgreSQL, that both servers answer the GET routes with identical
 *     JSON and run the same SQL statements per route (create post included, with its after-the-answer work), then
 *     restarts both without the proxy;
 *  5. measures thread list, thread page 1, thread page 250 and create post with autocannon, interleaved in rounds;
 *  6. prints the table, the CPU each request cost (node process and PostgreSQL backends, from /proc, which stays
 *     meaningful when other work on the machine slows both servers), EXPLAIN (ANALYZE, BUFFERS) summaries and the
 *     machine; stops both servers, drops the database. Exit code 0 all PASS, 1 a FAIL (or SQL that differs), 2 the
 *     run broke.
 *
 * Knobs (environment): DATABASE_URL, BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (20), BENCH_KEEP_DB=1 (keep the database, for investigation), BENCH_HAVEN_NODE_ARGS (extra node
 * flags for Haven, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_ONLY (comma list of list,page1,page250,create),
 * BENCH_RATE_LIMITS=on (Haven with its limits on and a request budget too large to refuse anything, to measure what
 * counting costs; the pacing rule then refuses most replies, so leave create out), BENCH_REDIS_URL (Haven counts in
 * this Redis instead of its memory).
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { clearInterval, setImmediate, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------------------------
// Haven's SQL, copied verbatim from the services (threads.service.ts, posts.service.ts, post-writes.service.ts,
// counters.ts, users/member-counters.ts, categories.service.ts, auth.service.ts, publishing-gate.ts,
// notifications.listener.ts, users.service.ts, notifications.service.ts), with the content policy's fragments
// (publishing/content-policy.ts: listedSql, visibleSql, notBlockedSql) and moderation's active-sanction reader
// (moderation/sanctions/active-sanction.sql.ts, composed by common/auth/active-sanctions.ts with alias "active")
// written out as they expand for these routes.
// ---------------------------------------------------------------------------------------------------------------

const CATEGORY_SQL = `SELECT id, slug, name, description, thread_count AS "threadCount", post_count AS "postCount",
  last_post_at AS "lastPostAt", approval FROM categories WHERE slug = $1`;

const THREAD_COLUMNS = `t.id, c.slug AS "categorySlug", c.name AS "categoryName", t.title, t.author_id AS "authorId",
  u.username AS "authorUsername", u.display_name AS "authorDisplayName", t.anonymous, t.pinned, t.locked, t.status,
  t.reply_count AS "replyCount", t.created_at AS "createdAt", t.last_post_at AS "lastPostAt",
  (extract(epoch FROM t.last_post_at) * 1000000)::bigint::text AS "lastPostUs"`;

const THREAD_LIST_SQL = `SELECT ${THREAD_COLUMNS}
         FROM threads t JOIN categories c ON c.id = t.category_id JOIN users u ON u.id = t.author_id
        WHERE t.category_id = $1 AND t.status = 'published'
          AND ($2::boolean IS NULL OR (t.pinned, t.last_post_at, t.id)
               < ($2::boolean, timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::bigint))
          AND (t.anonymous OR $5::bigint IS NULL OR NOT EXISTS
               (SELECT 1 FROM user_blocks b WHERE b.blocker_id = $5::bigint AND b.blocked_id = t.author_id))
        ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC
        LIMIT $6`;

const POST_COLUMNS = `p.id, p.thread_id AS "threadId", p.author_id AS "authorId", u.username AS "authorUsername",
  u.display_name AS "authorDisplayName", p.body, p.body_html AS "bodyHtml", p.content_warning AS "contentWarning",
  p.reply_to_id AS "replyToId", p.anonymous, p.status, p.held_reason AS "heldReason", p.created_at AS "createdAt",
  p.edited_at AS "editedAt", p.held_reasons AS "heldReasons", p.pending_body AS "pendingBody",
  p.pending_body_html AS "pendingBodyHtml", p.pending_reasons AS "pendingReasons", p.pending_at AS "pendingAt"`;

const THREAD_VISIBLE_SQL = `SELECT status, author_id AS "authorId" FROM threads WHERE id = $1`;

const POST_LIST_SQL = `SELECT ${POST_COLUMNS}
         FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.thread_id = $1 AND ($2::bigint IS NULL OR p.id > $2)
          AND (p.status IN ('published', 'hidden', 'deleted') OR $4::boolean OR (p.author_id = $3::bigint AND p.status = 'pending'))
          AND (p.anonymous OR $3::bigint IS NULL OR NOT EXISTS
               (SELECT 1 FROM user_blocks b WHERE b.blocker_id = $3::bigint AND b.blocked_id = p.author_id))
        ORDER BY p.id
        LIMIT $5`;

const REACTIONS_SQL = `SELECT post_id AS "postId", kind, count(*)::int AS count, bool_or(user_id = $2) AS mine
         FROM post_reactions WHERE post_id = ANY($1::bigint[]) GROUP BY post_id, kind`;

const ACTIVE_SANCTION_JOIN = `LEFT JOIN LATERAL (
    SELECT x.kind, x.reason, x.ends_at FROM sanctions x
     WHERE x.user_id = u.id AND x.lifted_at IS NULL AND (x.ends_at IS NULL OR x.ends_at > now())
     ORDER BY CASE x.kind WHEN 'ban' THEN 0 WHEN 'suspend' THEN 1 ELSE 2 END, x.ends_at DESC NULLS FIRST
     LIMIT 1) active ON true`;
const SANCTION_COLUMNS = `active.kind AS "sanctionKind", active.reason AS "sanctionReason", active.ends_at AS "sanctionUntil"`;

const SESSION_SQL = `SELECT u.id, u.username, u.display_name AS "displayName", u.role, ${SANCTION_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id ${ACTIVE_SANCTION_JOIN}
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`;

const THREAD_FOR_REPLY_SQL = `SELECT t.status, t.locked, c.approval FROM threads t JOIN categories c ON c.id = t.category_id WHERE t.id = $1`;

const IS_NEW_MEMBER_SQL = `SELECT first_approved_at IS NULL AS "isNew" FROM users WHERE id = $1`;

const INSERT_POST_SQL = `INSERT INTO posts (thread_id, author_id, body, body_html, reply_to_id, anonymous, status, held_reason,
                          held_reasons, content_warning)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id`;

const COUNT_THREAD_SQL = `UPDATE threads SET reply_count = reply_count + $2,
            last_post_at = CASE WHEN $2 > 0 THEN GREATEST(last_post_at, now()) ELSE last_post_at END
      WHERE id = $1 RETURNING category_id AS "categoryId"`;

const COUNT_CATEGORY_SQL = `UPDATE categories SET post_count = post_count + $2,
              last_post_at = CASE WHEN $2 > 0 THEN GREATEST(coalesce(last_post_at, now()), now()) ELSE last_post_at END
        WHERE id = $1`;

const COUNT_USER_SQL = `UPDATE users SET post_count = post_count + $2, first_approved_at = coalesce(first_approved_at, now()) WHERE id = $1`;

const VISIBLE_POST_SQL = `SELECT ${POST_COLUMNS}, t.status AS "threadStatus", t.author_id AS "threadAuthorId"
         FROM posts p JOIN users u ON u.id = p.author_id JOIN threads t ON t.id = p.thread_id WHERE p.id = $1`;

const ANNOUNCE_SQL = `SELECT p.thread_id AS "threadId", t.title AS "threadTitle", p.author_id AS "authorId", p.anonymous, p.body,
                t.first_post_id = p.id AS "isFirstPost", rp.author_id AS "replyToAuthorId",
                ARRAY(SELECT s.user_id FROM thread_subscriptions s WHERE s.thread_id = p.thread_id) AS "watcherIds"
           FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN posts rp ON rp.id = p.reply_to_id
          WHERE p.id = $1 AND p.status = 'published'`;

// notifications.listener.ts onPostPublished asks UsersService (idsByUsername, blockersOf, nameOf), in parallel.
const MENTIONED_IDS_SQL = `SELECT id FROM users WHERE username = ANY($1::text[])`;

const BLOCKERS_SQL = `SELECT blocker_id AS id FROM user_blocks WHERE blocked_id = $1`;

const AUTHOR_NAME_SQL = `SELECT username, display_name AS "displayName" FROM users WHERE id = $1`;

// notifications.service.ts create: the rows come back whole, and chat.listener.ts pushes them from the event.
const INSERT_NOTIFICATIONS_SQL = `INSERT INTO notifications (user_id, kind, data)
       SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::jsonb[]) RETURNING id, user_id AS "userId", kind, data, created_at AS "createdAt"`;

// ---------------------------------------------------------------------------------------------------------------
// The bare server: node:http + pg, the same queries, the same JSON. Run as `node bench/forum.mjs --bare`.
// ---------------------------------------------------------------------------------------------------------------

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const hmac = (data, secret) => createHmac('sha256', secret).update(data).digest('base64url');

/** src/auth/access-token.ts verifyAccessToken, same steps. */
function verifyAccessToken(token, secret) {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== JWT_HEADER) return undefined;
  const expected = Buffer.from(hmac(`${parts[0]}.${parts[1]}`, secret));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let claims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number')
    return undefined;
  if (claims.exp <= Math.floor(Date.now() / 1000)) return undefined;
  return claims;
}

const encodeCursor = (key) => Buffer.from(JSON.stringify(key)).toString('base64url');

const BIGINT_MAX = 9223372036854775807n;
const integerText = (p, min, max) =>
  typeof p === 'string' && /^-?\d{1,19}$/.test(p) && BigInt(p) >= min && BigInt(p) <= max;
/** src/common/pagination.ts PART, the parts these routes use: an id, microseconds, a boolean. */
const CURSOR_PART = {
  i: (p) => integerText(p, 1n, BIGINT_MAX),
  u: (p) => integerText(p, -BIGINT_MAX, BIGINT_MAX),
  b: (p) => typeof p === 'boolean',
};

/** src/common/pagination.ts decodeCursor, same checks; undefined = no cursor, null = bad cursor. */
function decodeCursor(cursor, shape) {
  if (cursor === undefined) return undefined;
  let parts;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const ok =
    Array.isArray(parts) && parts.length === shape.length && parts.every((p, i) => CURSOR_PART[shape[i]]?.(p) === true);
  return ok ? parts : null;
}

const emptyReactions = () => ({ support: 0, hug: 0, same: 0, thanks: 0, mine: [] });
const isModerator = (viewer) => !!viewer && (viewer.role === 'moderator' || viewer.role === 'admin');

function authorView(row, viewer) {
  if (!row.anonymous) return { username: row.authorUsername, displayName: row.authorDisplayName };
  if (isModerator(viewer)) return { username: row.authorUsername, displayName: row.authorDisplayName, anonymous: true };
  return { username: null, displayName: 'Anonymous member' };
}

function threadView(r, viewer) {
  return {
    id: r.id,
    category: { slug: r.categorySlug, name: r.categoryName },
    title: r.title,
    author: authorView(r, viewer),
    anonymous: r.anonymous,
    pinned: r.pinned,
    locked: r.locked,
    status: r.status,
    replyCount: r.replyCount,
    createdAt: r.createdAt.toISOString(),
    lastPostAt: r.lastPostAt.toISOString(),
    ...(viewer && r.subscribed !== undefined ? { subscribed: r.subscribed } : {}),
    ...(viewer ? { mine: r.authorId === viewer.id } : {}),
  };
}

/** src/publishing/review-sink.ts reasonText, and publishing-gate.ts heldReasonText. */
function reasonText(r) {
  const rules = (r.ruleIds ?? []).map((id) => `#${id}`).join(', ');
  switch (r.code) {
    case 'crisis':
      return `crisis words: rule ${rules}`;
    case 'watched':
      return `watched word (${r.action ?? 'hold'}): rule ${rules}`;
    case 'approval':
      if (r.policy === 'guest') return 'guest comment';
      if (r.policy === 'all') return 'this place requires approval of every post';
      return 'new member: first posts wait for a moderator';
    default:
      if (r.signal === 'honeypot') return 'spam signal: the hidden form field was filled in';
      if (r.signal === 'too_fast') return `spam signal: sent within ${r.count ?? 0} s of the captcha`;
      return `spam signal: ${r.count ?? 0} links`;
  }
}
const heldReasonText = (reasons) => reasons.map(reasonText).join('; ');

/** The content policy's TRUTH for items (content-policy.ts): who reads an item's text, by its status. */
const TEXT_FOR = {
  published: ['public', 'author', 'moderator'],
  pending: ['author', 'moderator'],
  hidden: ['moderator'],
  deleted: [],
  rejected: ['moderator'],
};

function postView(r, viewer, reactions) {
  const own = !!viewer && viewer.id === r.authorId;
  const withheld = !TEXT_FOR[r.status].includes(isModerator(viewer) ? 'moderator' : own ? 'author' : 'public');
  return {
    id: r.id,
    threadId: r.threadId,
    author: authorView(r, viewer),
    body: withheld ? null : r.body,
    bodyHtml: withheld ? '' : r.bodyHtml,
    contentWarning: withheld ? null : r.contentWarning,
    replyToId: r.replyToId,
    reactions: reactions ?? emptyReactions(),
    anonymous: r.anonymous,
    editedAt: r.editedAt ? r.editedAt.toISOString() : null,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    ...(viewer ? { mine: own } : {}),
    ...(r.heldReason && r.status === 'pending' && (own || isModerator(viewer))
      ? { heldReason: r.heldReason, heldReasons: r.heldReasons ?? [] }
      : {}),
    ...(r.pendingBody !== null && r.pendingAt && (own || isModerator(viewer))
      ? {
          pendingEdit: {
            body: r.pendingBody,
            bodyHtml: r.pendingBodyHtml ?? '',
            heldReason: heldReasonText(r.pendingReasons ?? []),
            heldReasons: r.pendingReasons ?? [],
            submittedAt: r.pendingAt.toISOString(),
          },
        }
      : {}),
  };
}

function toPage(rows, limit, view, keyOf) {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(view), nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1])) : null };
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
/** NOT Haven's renderer (marked + sanitize-html): paragraphs and escaping only. The report says so. */
const trivialHtml = (body) =>
  body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
const MENTION = /(?<![\p{L}\p{N}_.+\-@/\\:])@([A-Za-z0-9_]{3,32})(?![A-Za-z0-9_@]|\.[\p{L}\p{N}])/gu;

async function runBare() {
  const port = Number(process.env.PORT);
  const secret = process.env.JWT_SECRET;
  // Haven's pool: max 20, 5 s connect timeout, 15 s statement timeout (src/database/data-source.ts).
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: 20,
    connectionTimeoutMillis: 5000,
    statement_timeout: 15000,
    application_name: 'haven-bench-bare',
  });
  const q = async (sql, params) => (await pool.query(sql, params)).rows;

  const send = (res, status, value) => {
    const body = JSON.stringify(value);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const fail = (res, status, message) => send(res, status, { statusCode: status, message });

  const pageQuery = (url) => {
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return null;
    const cursor = url.searchParams.get('cursor') ?? undefined;
    if (cursor !== undefined && cursor.length > 200) return null;
    return { limit, cursor };
  };

  async function threadList(res, slug, url) {
    const page = pageQuery(url);
    if (!page) return fail(res, 400, 'bad query');
    const after = decodeCursor(page.cursor, 'bui');
    if (after === null) return fail(res, 400, 'cursor is not a cursor this list gave out');
    const [category] = await q(CATEGORY_SQL, [slug]);
    if (!category) return fail(res, 404, 'Category not found');
    const rows = await q(THREAD_LIST_SQL, [
      category.id,
      after?.[0] ?? null,
      after?.[1] ?? null,
      after?.[2] ?? null,
      null,
      page.limit + 1,
    ]);
    send(
      res,
      200,
      toPage(
        rows,
        page.limit,
        (r) => threadView(r, undefined),
        (r) => [r.pinned, r.lastPostUs, r.id],
      ),
    );
  }

  async function reactionsFor(ids, viewer) {
    const out = new Map();
    if (ids.length === 0) return out;
    const rows = await q(REACTIONS_SQL, [ids, viewer?.id ?? null]);
    for (const r of rows) {
      const entry = out.get(r.postId) ?? emptyReactions();
      entry[r.kind] = r.count;
      if (r.mine) entry.mine.push(r.kind);
      out.set(r.postId, entry);
    }
    return out;
  }

  async function postList(res, threadId, url) {
    const page = pageQuery(url);
    if (!page) return fail(res, 400, 'bad query');
    const [t] = await q(THREAD_VISIBLE_SQL, [threadId]);
    if (!t || t.status !== 'published') return fail(res, 404, 'Thread not found');
    const after = decodeCursor(page.cursor, 'i');
    if (after === null) return fail(res, 400, 'cursor is not a cursor this list gave out');
    const rows = await q(POST_LIST_SQL, [threadId, after?.[0] ?? null, null, false, page.limit + 1]);
    const kept = rows.length > page.limit ? rows.slice(0, page.limit) : rows;
    const reactions = await reactionsFor(
      kept.map((r) => r.id),
      undefined,
    );
    send(
      res,
      200,
      toPage(
        rows,
        page.limit,
        (r) => postView(r, undefined, reactions.get(r.id)),
        (r) => [r.id],
      ),
    );
  }

  /** Each member once, for the first reason that applies (mention, reply, watch), by member id (the listener's). */
  function recipients(r, mentioned, blockers) {
    const candidates = [
      ...mentioned.map((id) => [id, 'mention']),
      ...(r.replyToAuthorId ? [[r.replyToAuthorId, 'reply']] : []),
      ...(r.isFirstPost ? [] : r.watcherIds.map((id) => [id, 'watch'])),
    ];
    const chosen = new Map();
    for (const [id, reason] of candidates) {
      if (id !== r.authorId && !blockers.has(id) && !chosen.has(id)) chosen.set(id, reason);
    }
    return [...chosen].sort(([x], [y]) => (BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0));
  }

  /** announcePublished + NotificationsListener.onPostPublished: same queries, after the answer, not awaited. */
  function announce(postId) {
    q(ANNOUNCE_SQL, [postId])
      .then((rows) => {
        const r = rows[0];
        if (!r) return;
        const excerpt = r.body.replace(/\s+/g, ' ').trim().slice(0, 200);
        const mentions = [...new Set([...r.body.matchAll(MENTION)].map((m) => m[1].toLowerCase()))].slice(0, 20);
        setImmediate(async () => {
          try {
            const blocksApply = !r.anonymous; // blocksApplyTo: a block never hides anonymous posts
            const [mentioned, blockers, who] = await Promise.all([
              mentions.length === 0 ? [] : q(MENTIONED_IDS_SQL, [mentions]).then((x) => x.map((u) => u.id)),
              blocksApply ? q(BLOCKERS_SQL, [r.authorId]).then((x) => x.map((u) => u.id)) : [],
              r.anonymous ? null : q(AUTHOR_NAME_SQL, [r.authorId]).then((x) => x[0] ?? null),
            ]);
            const chosen = recipients(r, mentioned, new Set(blockers));
            if (chosen.length === 0) return;
            const data = (reason) => ({
              reason,
              threadId: r.threadId,
              threadTitle: r.threadTitle,
              postId,
              excerpt,
              by: who ?? { username: null, displayName: 'Anonymous member' },
            });
            const created = await q(INSERT_NOTIFICATIONS_SQL, [
              chosen.map(([userId]) => userId),
              chosen.map(([, reason]) => (reason === 'mention' ? 'mention' : 'reply')),
              chosen.map(([, reason]) => JSON.stringify(data(reason))),
            ]);
            // chat.listener.ts onNotification: pushed from the event, no SQL; what the socket would carry.
            for (const n of created)
              JSON.stringify({
                id: n.id,
                kind: n.kind,
                data: n.data,
                read: false,
                createdAt: n.createdAt.toISOString(),
              });
          } catch {
            /* Haven logs and drops these too */
          }
        });
      })
      .catch(() => undefined);
  }

  async function createPost(req, res, threadId) {
    // The auth guard: bearer token, HMAC verify, session lookup (AuthService.resolve).
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) return fail(res, 401, 'unauthenticated');
    const claims = verifyAccessToken(match[1], secret);
    if (!claims) return fail(res, 401, 'Your sign-in has expired or is not valid; please sign in again');
    const [session] = await q(SESSION_SQL, [claims.sid, claims.sub]);
    if (!session) return fail(res, 401, 'This session has ended; please sign in again');
    const { sanctionKind, sanctionReason, sanctionUntil, ...principal } = session;
    const viewer = { ...principal, sessionId: claims.sid };
    // sanction-policy.ts: a ban or a suspension refuses everything, silence refuses writing.
    if (sanctionKind)
      return fail(res, 403, `${sanctionKind}: ${sanctionReason ?? ''} ${sanctionUntil?.toISOString() ?? ''}`);

    const raw = await readBody(req);
    let input;
    try {
      input = JSON.parse(raw);
    } catch {
      return fail(res, 400, 'body is not JSON');
    }
    if (typeof input?.body !== 'string' || input.body.length < 1 || input.body.length > 20000)
      return fail(res, 400, 'body must be 1-20000 characters');
    const anonymous = input.anonymous ?? false;

    const [t] = await q(THREAD_FOR_REPLY_SQL, [threadId]);
    if (!t || t.status !== 'published') return fail(res, 404, 'Thread not found');
    if (t.locked && !isModerator(viewer)) return fail(res, 403, 'This thread is locked: no new replies');
    // RATE_LIMITS=off: Haven's pacing returns at once. The publishing gate asks whether the author is new.
    const [member] = isModerator(viewer) ? [{ isNew: false }] : await q(IS_NEW_MEMBER_SQL, [viewer.id]);
    const isNew = member?.isNew ?? true;
    // preModeration in publishing-gate.ts (watched words: an in-memory matcher, no SQL).
    const held =
      isModerator(viewer) || t.approval === 'none'
        ? null
        : t.approval === 'all'
          ? [{ code: 'approval', policy: 'all' }]
          : isNew
            ? [{ code: 'approval', policy: 'new_member' }]
            : null;
    const status = held ? 'pending' : 'published';

    const client = await pool.connect();
    let postId;
    try {
      await client.query('START TRANSACTION');
      const inserted = await client.query(INSERT_POST_SQL, [
        threadId,
        viewer.id,
        input.body,
        trivialHtml(input.body),
        input.replyToId ?? null,
        anonymous,
        status,
        held ? heldReasonText(held) : null,
        held ? JSON.stringify(held) : null,
        input.contentWarning ?? null,
      ]);
      postId = inserted.rows[0].id;
      if (status === 'published') {
        const counted = await client.query(COUNT_THREAD_SQL, [threadId, 1]);
        const categoryId = counted.rows[0]?.categoryId;
        if (categoryId) await client.query(COUNT_CATEGORY_SQL, [categoryId, 1]);
        await client.query(COUNT_USER_SQL, [viewer.id, anonymous ? 0 : 1]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    if (status === 'published') announce(postId);
    const [row] = await q(VISIBLE_POST_SQL, [postId]);
    const reactions = await reactionsFor([postId], viewer);
    send(res, status === 'pending' ? 202 : 201, postView(row, viewer, reactions.get(postId)));
  }

  const readBody = (req) =>
    new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on('data', (c) => {
        size += c.length;
        if (size > 64 * 1024) reject(new Error('too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    const p = url.pathname;
    let m;
    if (req.method === 'GET' && p === '/api/health') {
      await q('SELECT 1');
      return send(res, 200, { status: 'ok' });
    }
    if (req.method === 'GET' && (m = /^\/api\/categories\/([a-z0-9][a-z0-9-]{1,63})\/threads$/.exec(p)))
      return threadList(res, m[1], url);
    if ((m = /^\/api\/threads\/(\d{1,18})\/posts$/.exec(p))) {
      if (req.method === 'GET') return postList(res, m[1], url);
      if (req.method === 'POST') return createPost(req, res, m[1]);
    }
    return fail(res, 404, 'Not found');
  }

  let stopping = false;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!stopping) console.error(`bare: ${err.message}`);
      if (!res.headersSent) fail(res, 500, 'Internal error');
    });
  });
  server.keepAliveTimeout = 72_000;
  server.listen(port, '127.0.0.1', () => console.log(`bare server on 127.0.0.1:${port}`));
  const stop = () => {
    stopping = true;
    server.close();
    server.closeAllConnections();
    pool.end().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

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

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function paragraph(rnd, minChars) {
  let p = '';
  while (p.length < minChars) p += (p ? ' ' : '') + sentence(rnd);
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// The orchestrator.
// ---------------------------------------------------------------------------------------------------------------

const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
const ROUNDS = num('BENCH_ROUNDS', 3);
const SECONDS = num('BENCH_SECONDS', 5);
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 20);
const KEEP_DB = env.BENCH_KEEP_DB === '1';
const HARD_LIMIT_MS = 7 * 60_000;

const MEMBERS = 1000;
const LOGIN_MEMBERS = 50;
const CATEGORIES = 10;
const THREADS_PER_CATEGORY = 500;
const THREADS = CATEGORIES * THREADS_PER_CATEGORY;
const POSTS = 100_000;
const BIG_THREAD_POSTS = 5000;
const BIG_THREAD_ID = THREADS; // the last thread (category 10)
const PINNED = 20; // threads 1..20: two per category
const PARAGRAPHS = 4000;
const PASSWORD = 'bench-password-123';

const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)} s]`, ...a);
const T0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const children = new Set();

function startChild(name, args, childEnv) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const keep = (d) => {
    out.push(d.toString());
    if (out.length > 200) out.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      if (!child.stopping && name !== 'migrations')
        log(`${name} (pid ${child.pid}) exited unexpectedly: ${code ?? signal}\n${child.output().slice(-3000)}`);
      resolve({ code, signal });
    }),
  );
  child.output = () => out.join('');
  child.label = name;
  children.add(child);
  child.exited.then(() => children.delete(child));
  return child;
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stopping = true;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
  if (!done) {
    log(`${child.label} did not stop within 15 s of SIGTERM: SIGKILL`);
    child.kill('SIGKILL');
    await Promise.race([child.exited, sleep(5000)]);
  }
}

async function runToEnd(name, args, childEnv, timeoutMs) {
  const child = startChild(name, args, childEnv);
  const result = await Promise.race([child.exited, sleep(timeoutMs).then(() => null)]);
  if (!result) {
    await stopChild(child);
    throw new Error(`${name} took longer than ${timeoutMs / 1000} s:\n${child.output()}`);
  }
  if (result.code !== 0) throw new Error(`${name} failed (${result.code ?? result.signal}):\n${child.output()}`);
  return child.output();
}

async function waitForHealth(base, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.label} exited early:\n${child.output()}`);
    try {
      const res = await fetch(`${base}/api/health`, { signal: globalThis.AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(150);
  }
  throw new Error(`${child.label} did not become healthy within ${timeoutMs / 1000} s:\n${child.output()}`);
}

async function startServers(dbUrl, childEnv, label) {
  const [havenPort, barePort] = await Promise.all([freePort(), freePort()]);
  const havenArgs = [...(env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean), 'dist/main.js'];
  const common = { ...childEnv, DATABASE_URL: dbUrl };
  const havenProc = startChild('haven', label ? ['dist/main.js'] : havenArgs, { ...common, PORT: String(havenPort) });
  const bareProc = startChild('bare', [fileURLToPath(import.meta.url), '--bare'], {
    ...common,
    PORT: String(barePort),
  });
  const haven = { name: 'Haven', base: `http://127.0.0.1:${havenPort}`, proc: havenProc, appName: 'haven' };
  const bare = { name: 'bare', base: `http://127.0.0.1:${barePort}`, proc: bareProc, appName: 'haven-bench-bare' };
  const t = Date.now();
  await Promise.all([waitForHealth(haven.base, havenProc, 60_000), waitForHealth(bare.base, bareProc, 30_000)]);
  log(
    `Haven (pid ${havenProc.pid}) and bare (pid ${bareProc.pid}) are up${label ? ` ${label}` : ''} in ${Date.now() - t} ms`,
  );
  return { haven, bare };
}

function staleDist() {
  const main = path.join(ROOT, 'dist', 'main.js');
  if (!existsSync(main)) return 'dist/main.js is missing: run `npm run build` first';
  const built = statSync(main).mtimeMs;
  const newer = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts') && !f.endsWith('.spec.ts') && statSync(f).mtimeMs > built) newer.push(f);
    }
  };
  walk(path.join(ROOT, 'src'));
  walk(path.join(ROOT, 'migrations'));
  return newer.length
    ? `dist/ is older than ${newer.length} source file(s), e.g. ${path.relative(ROOT, newer[0])}`
    : '';
}

/**
 * A pass-through TCP proxy in front of PostgreSQL that records the SQL text of every Parse ('P') and simple Query
 * ('Q') message, tagged with the connection's application_name. Used only while checking that both servers run the
 * same statements per route; never while measuring.
 */
function startSqlRecorder(upstreamHost, upstreamPort) {
  let records = [];
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    sockets.add(client).add(upstream);
    let buf = Buffer.alloc(0);
    let typed = false;
    let app = '?';
    upstream.pipe(client);
    client.on('data', (chunk) => {
      upstream.write(chunk);
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (!typed) {
          if (buf.length < 8) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          if (buf.readInt32BE(4) === 196608) {
            const params = buf.subarray(8, len).toString('utf8').split('\0');
            for (let i = 0; i + 1 < params.length; i += 2) if (params[i] === 'application_name') app = params[i + 1];
            typed = true;
          }
          buf = buf.subarray(len);
        } else {
          if (buf.length < 5) break;
          const len = buf.readInt32BE(1);
          if (buf.length < len + 1) break;
          const type = buf[0];
          const body = buf.subarray(5, len + 1);
          if (type === 0x51) records.push({ app, sql: body.subarray(0, body.indexOf(0)).toString('utf8') });
          else if (type === 0x50) {
            const nameEnd = body.indexOf(0);
            records.push({ app, sql: body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString('utf8') });
          }
          buf = buf.subarray(len + 1);
        }
      }
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        take: () => {
          const out = records;
          records = [];
          return out;
        },
        close: () => {
          for (const sck of sockets) sck.destroy();
          server.close();
        },
      }),
    );
  });
}

const normalizeSql = (sql) => sql.replace(/\s+/g, ' ').trim();

function sqlDiff(a, b) {
  const count = (list) => list.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map());
  const ca = count(a);
  const cb = count(b);
  const onlyA = [];
  const onlyB = [];
  for (const [k, n] of ca) for (let i = cb.get(k) ?? 0; i < n; i++) onlyA.push(k);
  for (const [k, n] of cb) for (let i = ca.get(k) ?? 0; i < n; i++) onlyB.push(k);
  return { onlyA, onlyB };
}

// ----- seeding ----------------------------------------------------------------------------------------------------

async function seed(db, passwordHash) {
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

async function checkSeed(db) {
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

// ----- measuring -------------------------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// CPU accounting from /proc (Linux): what a measured interval cost the server's node process and its PostgreSQL
// backends, which stays meaningful when other work on the machine slows everything down. Clock ticks: USER_HZ 100.
const TICK_MS = 10;
function procCpuMs(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime + stime (fields 14, 15)
  } catch {
    return undefined;
  }
}
function machineBusyMs() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) * TICK_MS; // user nice system irq softirq steal
  } catch {
    return undefined;
  }
}

async function cpuMeter(db, dbName, target) {
  const backends = new Map();
  const sample = async (initial) => {
    const { rows } = await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [
      dbName,
      target.appName,
    ]);
    for (const { pid } of rows) {
      const ms = procCpuMs(pid);
      if (ms === undefined) continue;
      const e = backends.get(pid);
      if (e) e.last = ms;
      else backends.set(pid, { start: initial ? ms : 0, last: ms });
    }
  };
  await sample(true);
  const node0 = procCpuMs(target.proc.pid);
  const self0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  const t0 = Date.now();
  let inFlight = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(() => sample(false)).catch(() => undefined);
  }, 250);
  return async () => {
    clearInterval(timer);
    await inFlight;
    await sample(false);
    const wall = Date.now() - t0;
    const node = procCpuMs(target.proc.pid) - node0;
    let pgMs = 0;
    for (const e of backends.values()) pgMs += e.last - e.start;
    const self = process.cpuUsage(self0);
    const bench = (self.user + self.system) / 1000;
    const machine = machineBusyMs() - busy0;
    return { wall, node, pg: pgMs, bench, other: Math.max(0, machine - node - pgMs - bench) };
  };
}

function assertAlive(target) {
  const p = target.proc;
  if (p.exitCode !== null || p.signalCode !== null)
    throw new Error(`${target.name} exited (${p.exitCode ?? p.signalCode}); its last output:\n${p.output()}`);
}

async function load(autocannon, target, route, seconds, stats, meter) {
  assertAlive(target);
  const opts = {
    url: target.base,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    ...route.options(target),
  };
  const stopMeter = meter ? await meter() : undefined;
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
    if (stats) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        stats.latencies.push(responseTime);
        stats.status[statusCode] = (stats.status[statusCode] ?? 0) + 1;
      });
    }
  });
  const cpu = stopMeter ? await stopMeter() : undefined;
  assertAlive(target);
  if (stats) {
    stats.requests += result.requests.total;
    stats.seconds += result.duration;
    stats.errors += result.errors;
    stats.timeouts += result.timeouts;
    stats.rounds.push(result.requests.total / result.duration);
    if (cpu) {
      stats.nodeMs += cpu.node;
      stats.pgMs += cpu.pg;
      stats.otherMs += cpu.other;
      stats.wallMs += cpu.wall;
    }
  }
  return result;
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function planSummary(plan) {
  const lines = [];
  const walk = (node, depth) => {
    let s = node['Node Type'];
    if (node['Scan Direction'] === 'Backward') s += ' Backward';
    if (node['Index Name']) s += ` using ${node['Index Name']}`;
    if (node['Relation Name']) s += ` on ${node['Relation Name']}`;
    s += `  (rows=${node['Actual Rows']} loops=${node['Actual Loops']} time=${fmt(node['Actual Total Time'], 3)} ms`;
    const hit = node['Shared Hit Blocks'];
    const read = node['Shared Read Blocks'];
    if (hit !== undefined) s += ` hit=${hit}${read ? ` read=${read}` : ''}`;
    s += ')';
    if (node['Index Cond']) s += `  cond: ${node['Index Cond']}`;
    if (node['Sort Method']) s += `  sort: ${node['Sort Method']}`;
    lines.push(`${'  '.repeat(depth)}${depth ? '-> ' : ''}${s}`);
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(plan.Plan, 0);
  lines.push(`planning ${fmt(plan['Planning Time'], 3)} ms, execution ${fmt(plan['Execution Time'], 3)} ms`);
  return lines.map((l) => `    ${l}`).join('\n');
}

async function explain(db, label, sql, params) {
  const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
  const plan = rows[0]['QUERY PLAN'][0];
  return { label, text: `  ${label}\n${planSummary(plan)}`, ms: plan['Execution Time'] };
}

// ----- main ------------------------------------------------------------------------------------------------------

async function main() {
  const stale = staleDist();
  if (stale) {
    if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error(stale);
    log(`WARNING: ${stale}; the benchmark measures dist/ as it is (run \`npm run build\`).`);
  }
  const [{ default: autocannon }, { hash }] = await Promise.all([import('autocannon'), import('@node-rs/argon2')]);

  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `haven_bench_${randomBytes(5).toString('hex')}`;
  const benchUrl = withDatabase(baseUrl, dbName);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-'));
  const jwtSecret = randomBytes(36).toString('base64url');
  const captchaSecret = randomBytes(36).toString('base64url');

  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'haven-bench-admin' });
  await admin.connect();
  let db;
  let dbCreated = false;
  let closeRecorder = () => undefined;
  let cleaning;
  const cleanup = async () => {
    cleaning ??= (async () => {
      await Promise.all([...children].map(stopChild));
      closeRecorder();
      if (db) await db.end().catch(() => undefined);
      if (dbCreated && !KEEP_DB) {
        await admin
          .query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
          .catch((e) => log(`drop failed: ${e.message}`));
        log(`dropped database ${dbName}`);
      } else if (dbCreated) log(`kept database ${dbName} (BENCH_KEEP_DB=1): ${benchUrl}`);
      await admin.end().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return cleaning;
  };
  const watchdog = setTimeout(() => {
    log(`hard limit of ${HARD_LIMIT_MS / 60_000} minutes reached: stopping`);
    cleanup().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      cleanup().finally(() => process.exit(130));
    });
  }

  try {
    // 1. database, migrations, seed
    await admin.query(`CREATE DATABASE ${dbName}`);
    dbCreated = true;
    log(`created database ${dbName}`);
    const childEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'development',
      DATABASE_URL: benchUrl,
      JWT_SECRET: jwtSecret,
      CAPTCHA_SECRET: captchaSecret,
      DATA_DIR: dataDir,
      RATE_LIMITS: env.BENCH_RATE_LIMITS === 'on' ? 'on' : 'off',
      ...(env.BENCH_RATE_LIMITS === 'on' ? { GLOBAL_RATE_LIMIT_PER_MINUTE: '1000000' } : {}),
      ...(env.BENCH_REDIS_URL ? { REDIS_URL: env.BENCH_REDIS_URL } : {}),
      LOG_LEVEL: 'warn',
      MIGRATIONS_RUN: 'false',
      HOST: '127.0.0.1',
    };
    const migrated = await runToEnd(
      'migrations',
      [path.join(ROOT, 'node_modules', 'typeorm', 'cli.js'), '-d', 'dist/database/cli-data-source.js', 'migration:run'],
      childEnv,
      60_000,
    );
    log(`migrations: ${(migrated.match(/Migration \S+ has been executed successfully/g) ?? []).length} applied`);

    db = new pg.Client({ connectionString: benchUrl, application_name: 'haven-bench-seed' });
    await db.connect();
    const seedStart = Date.now();
    const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    await seed(db, passwordHash);
    await checkSeed(db);
    log(`seeding took ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    // 2-3. servers: first through the SQL recorder (to check answers and statements), then directly (to measure)
    const pgTarget = new URL(benchUrl);
    const recorder = await startSqlRecorder(pgTarget.hostname, Number(pgTarget.port || 5432));
    closeRecorder = recorder.close;
    const recordedUrl = new URL(benchUrl);
    recordedUrl.hostname = '127.0.0.1';
    recordedUrl.port = String(recorder.port);
    let { haven, bare } = await startServers(recordedUrl.toString(), childEnv, 'behind the SQL recorder');

    // 4. access tokens through Haven's API (the same tokens work on the bare server: same secret, same sessions)
    const tokens = [];
    for (let i = 1; i <= LOGIN_MEMBERS; i++) {
      const res = await fetch(`${haven.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: `bench_user_${i}`, password: PASSWORD }),
      });
      const body = await res.json();
      if (res.status !== 200 && res.status !== 201)
        throw new Error(`login bench_user_${i}: ${res.status} ${JSON.stringify(body)}`);
      tokens.push(body.accessToken);
    }
    log(`signed in ${tokens.length} members through POST /api/auth/login`);

    // The routes' parameters.
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

    // 4b. same answers and the same statements from both servers
    const sqlProblems = [];
    const recordRoute = async (server, request, settleMs) => {
      await request(server); // warms the pool and any first-use work
      await sleep(settleMs);
      recorder.take();
      const answer = await request(server);
      await sleep(settleMs); // after-the-answer work (announce, notifications) is part of the route's cost
      const sql = recorder
        .take()
        .filter((r) => r.app === server.appName)
        .map((r) => normalizeSql(r.sql));
      return { answer, sql };
    };
    const sqlCounts = {};
    const compareSql = (key, label, h, b) => {
      const { onlyA, onlyB } = sqlDiff(h.sql, b.sql);
      const same = onlyA.length === 0 && onlyB.length === 0;
      sqlCounts[key] = `${h.sql.length} / ${b.sql.length}${same ? ' same' : ' DIFFERENT'}`;
      log(
        `  ${label}: statements per request Haven ${h.sql.length}, bare ${b.sql.length}; same SQL: ${same ? 'yes' : 'NO'}`,
      );
      if (!same) {
        const cut = (x) => (x.length > 220 ? `${x.slice(0, 220)}…` : x);
        const lines = [
          ...onlyA.map((x) => `    only Haven: ${cut(x)}`),
          ...onlyB.map((x) => `    only bare:  ${cut(x)}`),
        ];
        console.log(lines.join('\n'));
        sqlProblems.push(label);
      }
    };
    const get = (p) => async (s) => {
      const r = await fetch(s.base + p);
      return [r.status, await r.text()];
    };
    log('checking answers and statements (one request each, recorded):');
    for (const p of [listPath, page1Path, page250Path]) {
      const h = await recordRoute(haven, get(p), 150);
      const b = await recordRoute(bare, get(p), 150);
      const same = h.answer[0] === b.answer[0] && isDeepStrictEqual(JSON.parse(h.answer[1]), JSON.parse(b.answer[1]));
      const label = `GET ${p.split('?')[0]}${p.includes('cursor') ? ' (page 250)' : ''}`;
      log(
        `  ${label}: same JSON ${same ? 'yes' : 'NO'} (${h.answer[0]}/${b.answer[0]}, ` +
          `${h.answer[1].length}/${b.answer[1].length} bytes)`,
      );
      if (!same)
        throw new Error(
          `the servers answer ${p} differently:\nHaven: ${h.answer[1].slice(0, 400)}\nbare:  ${b.answer[1].slice(0, 400)}`,
        );
      compareSql(p === listPath ? 'list' : p === page1Path ? 'page1' : 'page250', label, h, b);
      if (p === page250Path) {
        const page = JSON.parse(h.answer[1]);
        if (page.items.length !== 20 || page.nextCursor !== null)
          throw new Error(`page 250 should be the last 20 posts of ${BIG_THREAD_POSTS}: got ${page.items.length}`);
      }
    }
    {
      const post = async (s) => {
        const n = seq++;
        const r = await fetch(`${s.base}/api/threads/${replyThreads[n % replyThreads.length]}/posts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n % tokens.length]}` },
          body: JSON.stringify({ body: replyBody(n) }),
        });
        return [r.status, await r.json()];
      };
      const h = await recordRoute(haven, post, 500);
      const b = await recordRoute(bare, post, 500);
      const shape = (o) =>
        JSON.stringify(Object.keys(o)) + JSON.stringify(Object.keys(o.author ?? {})) + JSON.stringify(o.reactions);
      const same = h.answer[0] === 201 && b.answer[0] === 201 && shape(h.answer[1]) === shape(b.answer[1]);
      log(
        `  POST /api/threads/:id/posts: Haven ${h.answer[0]}, bare ${b.answer[0]}; same shape ${same ? 'yes' : 'NO'}`,
      );
      if (!same)
        throw new Error(
          `create post differs:\nHaven ${h.answer[0]} ${JSON.stringify(h.answer[1])}\nbare ${b.answer[0]} ${JSON.stringify(b.answer[1])}`,
        );
      compareSql('create', 'POST /api/threads/:id/posts (+ work after the answer)', h, b);
    }
    if (sqlProblems.length)
      log(`WARNING: the bare server's SQL differs from Haven's for ${sqlProblems.join('; ')} (see above)`);

    // Restart both without the recorder for the measurements.
    await Promise.all([stopChild(haven.proc), stopChild(bare.proc)]);
    recorder.close();
    ({ haven, bare } = await startServers(benchUrl, childEnv));

    // 5. warm-up, then interleaved rounds
    const stats = {};
    for (const s of [haven, bare])
      for (const r of routes)
        stats[`${s.name}:${r.key}`] = {
          requests: 0,
          seconds: 0,
          errors: 0,
          timeouts: 0,
          latencies: [],
          status: {},
          rounds: [],
          nodeMs: 0,
          pgMs: 0,
          otherMs: 0,
          wallMs: 0,
        };
    log(`warm-up: ${WARMUP_SECONDS} s per route per server`);
    for (const r of routes) for (const s of [haven, bare]) await load(autocannon, s, r, WARMUP_SECONDS, null);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [haven, bare] : [bare, haven];
      const parts = [];
      for (const r of routes) {
        for (const s of order) {
          const res = await load(autocannon, s, r, SECONDS, stats[`${s.name}:${r.key}`], () => cpuMeter(db, dbName, s));
          parts.push(`${r.key} ${s.name} ${fmt(res.requests.average)}/s`);
        }
      }
      log(`round ${round + 1}/${ROUNDS}: ${parts.join(', ')}`);
    }

    // 6. results
    const summary = (s, r) => {
      const st = stats[`${s.name}:${r}`];
      if (!st) return undefined;
      const sorted = Float64Array.from(st.latencies).sort();
      const non2xx = Object.entries(st.status).filter(([c]) => !c.startsWith('2'));
      return {
        rps: st.requests / st.seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        status: st.status,
        non2xx: non2xx.reduce((n, [, v]) => n + v, 0),
        errors: st.errors + st.timeouts,
        rounds: st.rounds,
        nodeMsPerReq: st.nodeMs / st.requests,
        pgMsPerReq: st.pgMs / st.requests,
        otherShare: st.otherMs / (st.wallMs * os.cpus().length),
      };
    };
    const S = {};
    for (const s of [haven, bare]) for (const r of routes) S[`${s.name}:${r.key}`] = summary(s, r.key);
    const rows = [];
    const verdicts = [];
    for (const r of routes) {
      const h = S[`Haven:${r.key}`];
      const b = S[`bare:${r.key}`];
      const ratio = h.rps / b.rps;
      let target;
      let pass;
      if (r.key === 'list') {
        target = '>= 0.55x, p99 <= 50 ms';
        pass = ratio >= 0.55 && h.p99 <= 50;
      } else if (r.key === 'page1') {
        target = '>= 0.5x, p99 <= 60 ms';
        pass = ratio >= 0.5 && h.p99 <= 60;
      } else if (r.key === 'page250') {
        const p1 = S['Haven:page1'];
        target = `p50 <= 1.5x page 1's${p1 ? ` (${fmt(p1.p50 * 1.5, 1)} ms)` : ''}`;
        pass = p1 ? h.p50 <= 1.5 * p1.p50 : undefined;
      } else {
        target = '>= 0.4x';
        pass = ratio >= 0.4;
      }
      const clean = h.non2xx === 0 && b.non2xx === 0 && h.errors === 0 && b.errors === 0;
      const expected = r.key === 'create' ? '201' : '200';
      const wrong = [h, b].some((x) => Object.keys(x.status).some((c) => c !== expected));
      verdicts.push(pass && clean && !wrong);
      rows.push([
        r.label,
        fmt(h.rps),
        fmt(b.rps),
        `${fmt(ratio, 2)}x`,
        `${fmt(h.p50)} / ${fmt(h.p99)}`,
        `${fmt(b.p50)} / ${fmt(b.p99)}`,
        target,
        pass === undefined ? 'n/a' : pass && clean && !wrong ? 'PASS' : 'FAIL',
      ]);
    }
    console.log('');
    console.log(
      `Results: ${ROUNDS} interleaved rounds x ${SECONDS} s per route per server after ${WARMUP_SECONDS} s warm-up; ` +
        `autocannon ${CONNECTIONS} connections, pipelining 1; loopback; Haven's RATE_LIMITS=` +
        `${env.BENCH_RATE_LIMITS === 'on' ? `on (budget counted in ${env.BENCH_REDIS_URL ? 'Redis' : 'memory'})` : 'off'}.`,
    );
    console.log(
      table(
        ['route', 'Haven req/s', 'bare req/s', 'ratio', 'Haven p50/p99 ms', 'bare p50/p99 ms', 'target', 'result'],
        rows,
      ),
    );
    const notes = [];
    for (const [key, limit] of [
      ['list', 50],
      ['page1', 60],
    ]) {
      const h = S[`Haven:${key}`];
      const b = S[`bare:${key}`];
      if (h && b && h.p99 > limit && b.p99 > limit)
        notes.push(
          `${key}: the bare server misses p99 <= ${limit} ms too (${fmt(b.p99)} ms): at ${CONNECTIONS} closed-loop ` +
            `connections the mean latency is ${CONNECTIONS}/throughput (Haven ${fmt((CONNECTIONS / h.rps) * 1000)} ms, ` +
            `bare ${fmt((CONNECTIONS / b.rps) * 1000)} ms), so this bound is set by this machine's capacity as much as by Haven.`,
        );
    }
    if (sqlProblems.length) notes.push(`the bare server's SQL differed from Haven's for: ${sqlProblems.join('; ')}`);
    for (const n of notes) console.log(`Note: ${n}`);
    console.log('');
    console.log(
      "Per round and CPU cost (CPU ms per request from /proc: the server's node process, and its PostgreSQL " +
        'backends; "other" = share of all cores used by processes outside this benchmark while the route ran):',
    );
    const cpuRows = [];
    for (const r of routes) {
      const h = S[`Haven:${r.key}`];
      const b = S[`bare:${r.key}`];
      const hCpu = h.nodeMsPerReq + h.pgMsPerReq;
      const bCpu = b.nodeMsPerReq + b.pgMsPerReq;
      cpuRows.push([
        r.label,
        h.rounds.map((x) => fmt(x)).join(' '),
        b.rounds.map((x) => fmt(x)).join(' '),
        `${fmt(h.nodeMsPerReq, 2)} + ${fmt(h.pgMsPerReq, 2)}`,
        `${fmt(b.nodeMsPerReq, 2)} + ${fmt(b.pgMsPerReq, 2)}`,
        `${fmt(bCpu / hCpu, 2)}x`,
        `${fmt(h.otherShare * 100)}% / ${fmt(b.otherShare * 100)}%`,
        sqlCounts[r.key] ?? '-',
      ]);
    }
    console.log(
      table(
        [
          'route',
          'Haven req/s by round',
          'bare req/s by round',
          'Haven CPU ms/req node + pg',
          'bare CPU ms/req node + pg',
          'CPU ratio bare/Haven',
          'other load H / b',
          'SQL stmts/req H / b',
        ],
        cpuRows,
      ),
    );
    console.log('');
    console.log('Status codes (all rounds):');
    for (const r of routes) {
      for (const s of [haven, bare]) {
        const x = S[`${s.name}:${r.key}`];
        const codes = Object.entries(x.status)
          .map(([c, n]) => `${c} x${n}`)
          .join(', ');
        console.log(
          `  ${r.label.padEnd(16)} ${s.name.padEnd(6)} ${codes}; non-2xx ${x.non2xx}; socket errors+timeouts ${x.errors}`,
        );
      }
    }

    // EXPLAIN of the hot queries with the parameters the routes use.
    console.log('');
    console.log('EXPLAIN (ANALYZE, BUFFERS), parameters as in the measured requests:');
    const [{ id: categoryId }] = (await db.query(`SELECT id FROM categories WHERE slug = $1`, [slug])).rows;
    const listPage1 = await fetch(`${haven.base}${listPath}`).then((r) => r.json());
    const listCursor = decodeCursor(listPage1.nextCursor, 'bui');
    const plans = [
      await explain(db, 'thread list, page 1 (ThreadsService.list)', THREAD_LIST_SQL, [
        categoryId,
        null,
        null,
        null,
        null,
        21,
      ]),
      await explain(db, 'thread list, page 2 (keyset row comparison)', THREAD_LIST_SQL, [
        categoryId,
        listCursor[0],
        listCursor[1],
        listCursor[2],
        null,
        21,
      ]),
      await explain(db, 'thread page 1 (PostsService.list)', POST_LIST_SQL, [BIG_THREAD_ID, null, null, false, 21]),
      await explain(db, 'thread page 250 (PostsService.list, id > cursor)', POST_LIST_SQL, [
        BIG_THREAD_ID,
        cursorId,
        null,
        false,
        21,
      ]),
    ];
    for (const p of plans) console.log(p.text);

    console.log('');
    const [{ version }] = (await db.query(`SELECT version()`)).rows;
    const cpus = os.cpus();
    console.log(
      `Machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
        `node ${process.version}, ${version.split(' on ')[0]}; autocannon, both servers and PostgreSQL share the cores.`,
    );
    console.log(
      'Bare server: node:http + pg Pool(max 20), the same SQL per request (checked above through the recorder: guest ' +
        'GETs: category + list; thread check + posts + reactions; create: HMAC verify + session/sanction lookup, ' +
        'thread check, new-member check, the same transaction, post + reactions re-read, then announce (with the ' +
        'watchers), mention/blocker/name look-ups and the notification insert after the answer). Differences: it ' +
        'renders HTML with a trivial escape where Haven runs marked + sanitize-html (on insert, and again for the notification excerpt, plus a lexer pass for ' +
        "mentions: ~0.3 ms a post here), and it has none of Nest's guards, interceptor (the request budget), validation pipe, helmet, pino-http.",
    );
    console.log(`Total run time so far: ${((Date.now() - T0) / 1000).toFixed(0)} s`);
    // A stale copy of Haven's SQL makes the comparison meaningless: it fails the run like a missed target.
    process.exitCode = verdicts.every(Boolean) && sqlProblems.length === 0 ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

if (process.argv.includes('--bare')) {
  runBare().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main()
    .catch((err) => {
      console.error(`bench failed: ${err?.stack ?? err}`);
      process.exitCode = 2;
    })
    .finally(() => process.exit(process.exitCode ?? 0));
}
