/**
 * The peer benchmark's independent bare server: `node:http` + `pg` (a Pool of 20, as Haven's), answering the four
 * routes the benchmark measures with the same JSON as Haven.
 *
 * How it was written: from the public description only (docs/api.md, the contract in API.md), the JSON Haven
 * actually answers (fetched and looked at: field names, the cursor strings, the error texts), the JWT's header and
 * claims, and the schema (`psql \d` on a migrated database). Nothing here was read from Haven's src/ or from the
 * forum benchmark's copy of Haven's SQL: the SQL is what one would write from the schema, keyset paging over the
 * indexes that are there, one statement per question asked.
 *
 * Per request:
 *  - a member: the bearer token is checked here (HS256 with node:crypto, `exp`), then one query reads the session
 *    (`sid`, not revoked nor expired), the member's role and whether a suspension or ban is in force;
 *  - GET /api/categories/:slug/threads: the category by slug, then one keyset query over threads (pinned first, then
 *    last activity, newest first) with the authors joined, leaving out authors the member blocks;
 *  - GET /api/threads/:id/posts: the thread (404 unless published), then one keyset query over its published posts
 *    with the authors and the reaction counts (and the member's own kinds) aggregated per post;
 *  - POST /api/threads/:id/posts: Markdown to HTML (marked, then sanitize-html), then one transaction: the thread and
 *    its category (locked? approval?), the post, the thread's, category's and author's counters, and a `reply`
 *    notification for each watcher but the author, in one INSERT ... SELECT.
 *
 * Cursors are Haven's: base64url JSON arrays, [pinned, last activity in epoch microseconds, id] for threads and
 * [id] for posts, decoded here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { marked } from 'marked';
import pg from 'pg';
import sanitizeHtml from 'sanitize-html';

const ANONYMOUS = { username: null, displayName: 'Anonymous member' };
const KINDS = ['support', 'hug', 'same', 'thanks'];

class HttpError extends Error {
  constructor(statusCode, error, message) {
    super(typeof message === 'string' ? message : message.join('; '));
    this.body = { statusCode, error, message };
  }
}
const badRequest = (message) => new HttpError(400, 'Bad Request', message);
const notFound = (message) => new HttpError(404, 'Not Found', message);
const unauthorized = (message) => new HttpError(401, 'Unauthorized', message);
const forbidden = (message) => new HttpError(403, 'Forbidden', message);

// ----- access tokens ---------------------------------------------------------------------------------------------

function verifyJwt(token, secret) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    if (header.alg !== 'HS256' || typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return null;
    return claims;
  } catch {
    return null;
  }
}

/** The signed-in member ({id, role}) or null for a guest; 401 for a bad token, 403 when suspended or banned. */
async function viewer(pool, req, secret) {
  const auth = req.headers.authorization;
  if (!auth) return null;
  const claims = auth.startsWith('Bearer ') ? verifyJwt(auth.slice(7), secret) : null;
  if (!claims || !/^\d+$/.test(String(claims.sub)) || typeof claims.sid !== 'string')
    throw unauthorized('Unauthorized');
  const { rows } = await pool.query(
    `SELECT u.id, u.role, u.username, u.display_name, u.first_approved_at,
            EXISTS (SELECT 1 FROM sanctions x WHERE x.user_id = u.id AND x.lifted_at IS NULL
                       AND x.kind IN ('suspend', 'ban') AND (x.ends_at IS NULL OR x.ends_at > now())) AS barred,
            EXISTS (SELECT 1 FROM sanctions x WHERE x.user_id = u.id AND x.lifted_at IS NULL
                       AND x.kind = 'silence' AND (x.ends_at IS NULL OR x.ends_at > now())) AS silenced
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [claims.sid, claims.sub],
  );
  if (rows.length === 0) throw unauthorized('Unauthorized');
  if (rows[0].barred) throw forbidden('Your account is suspended');
  return rows[0];
}

// ----- parameters and cursors ------------------------------------------------------------------------------------

function limitOf(query) {
  const raw = query.get('limit');
  if (raw === null) return 20;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 100) throw badRequest(['limit must be a whole number from 1 to 100']);
  return n;
}

function idOf(raw) {
  if (!/^\d{1,18}$/.test(raw)) throw badRequest(['id must be a numeric id']);
  return raw;
}

const encodeCursor = (values) => Buffer.from(JSON.stringify(values)).toString('base64url');

function decodeCursor(query, check) {
  const raw = query.get('cursor');
  if (raw === null || raw === '') return null;
  let values;
  try {
    values = JSON.parse(Buffer.from(raw, 'base64url').toString());
  } catch {
    values = null;
  }
  if (!Array.isArray(values) || !check(values)) throw badRequest('cursor is not a cursor this list gave out');
  return values;
}

const isIdString = (v) => typeof v === 'string' && /^\d{1,18}$/.test(v);

// ----- views -----------------------------------------------------------------------------------------------------

function authorOf(row, me) {
  if (row.anonymous && !(me && (me.role === 'moderator' || me.role === 'admin'))) return ANONYMOUS;
  return { username: row.username, displayName: row.display_name };
}

function postView(row, me) {
  const view = {
    id: row.id,
    threadId: row.thread_id,
    author: authorOf(row, me),
    body: row.body,
    bodyHtml: row.body_html,
    contentWarning: row.content_warning,
    replyToId: row.reply_to_id,
    reactions: {
      support: row.support ?? 0,
      hug: row.hug ?? 0,
      same: row.same ?? 0,
      thanks: row.thanks ?? 0,
      mine: row.mine ?? [],
    },
    anonymous: row.anonymous,
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
  if (me) view.mine = row.author_id === me.id;
  return view;
}

// ----- routes ----------------------------------------------------------------------------------------------------

async function listThreads(pool, me, slug, query) {
  const limit = limitOf(query);
  const cursor = decodeCursor(
    query,
    (v) => v.length === 3 && typeof v[0] === 'boolean' && /^-?\d{1,19}$/.test(String(v[1])) && isIdString(v[2]),
  );
  const category = (await pool.query(`SELECT id, slug, name FROM categories WHERE slug = $1`, [slug])).rows[0];
  if (!category) throw notFound('Category not found');
  const { rows } = await pool.query(
    `SELECT t.id, t.author_id, t.title, t.anonymous, t.pinned, t.locked, t.status, t.reply_count, t.created_at,
            t.last_post_at, (extract(epoch FROM t.last_post_at) * 1000000)::bigint::text AS last_post_us,
            u.username, u.display_name
       FROM threads t JOIN users u ON u.id = t.author_id
      WHERE t.category_id = $1 AND t.status = 'published'
        AND ($2::boolean IS NULL
             OR (t.pinned, t.last_post_at, t.id)
                < ($2::boolean, timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::bigint))
        AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = $5 AND b.blocked_id = t.author_id)
      ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC
      LIMIT $6`,
    [category.id, cursor?.[0] ?? null, cursor?.[1] ?? null, cursor?.[2] ?? null, me?.id ?? null, limit + 1],
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const items = page.map((t) => {
    const view = {
      id: t.id,
      category: { slug: category.slug, name: category.name },
      title: t.title,
      author: authorOf(t, me),
      anonymous: t.anonymous,
      pinned: t.pinned,
      locked: t.locked,
      status: t.status,
      replyCount: t.reply_count,
      createdAt: t.created_at.toISOString(),
      lastPostAt: t.last_post_at.toISOString(),
    };
    if (me) view.mine = t.author_id === me.id;
    return view;
  });
  const last = page.at(-1);
  return { items, nextCursor: more ? encodeCursor([last.pinned, last.last_post_us, last.id]) : null };
}

async function listPosts(pool, me, threadId, query) {
  const limit = limitOf(query);
  const cursor = decodeCursor(query, (v) => v.length === 1 && isIdString(v[0]));
  const thread = (await pool.query(`SELECT status FROM threads WHERE id = $1`, [threadId])).rows[0];
  if (!thread || thread.status !== 'published') throw notFound('Thread not found');
  const { rows } = await pool.query(
    `SELECT p.id, p.thread_id, p.author_id, p.body, p.body_html, p.content_warning, p.reply_to_id, p.anonymous,
            p.edited_at, p.status, p.created_at, u.username, u.display_name,
            r.support, r.hug, r.same, r.thanks, r.mine
       FROM posts p
       JOIN users u ON u.id = p.author_id
       LEFT JOIN LATERAL (
              SELECT count(*) FILTER (WHERE kind = 'support')::int AS support,
                     count(*) FILTER (WHERE kind = 'hug')::int AS hug,
                     count(*) FILTER (WHERE kind = 'same')::int AS same,
                     count(*) FILTER (WHERE kind = 'thanks')::int AS thanks,
                     coalesce(array_agg(kind::text ORDER BY array_position($5::text[], kind::text))
                                FILTER (WHERE user_id = $3), '{}') AS mine
                FROM post_reactions WHERE post_id = p.id) r ON true
      WHERE p.thread_id = $1 AND p.status = 'published' AND ($2::bigint IS NULL OR p.id > $2::bigint)
        AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = $3 AND b.blocked_id = p.author_id)
      ORDER BY p.id
      LIMIT $4`,
    [threadId, cursor?.[0] ?? null, me?.id ?? null, limit + 1, KINDS],
  );
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { items: page.map((p) => postView(p, me)), nextCursor: more ? encodeCursor([page.at(-1).id]) : null };
}

function renderMarkdown(body) {
  return sanitizeHtml(marked.parse(body, { async: false }));
}

/** A notification's excerpt: the rendered text without tags, its first 140 characters. */
function excerptOf(html) {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

function replyInput(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(['body must be an object']);
  const unknown = Object.keys(body).filter((k) => !['body', 'replyToId', 'anonymous', 'contentWarning'].includes(k));
  if (unknown.length) throw badRequest(unknown.map((k) => `property ${k} should not exist`));
  if (typeof body.body !== 'string' || body.body.trim().length === 0 || body.body.length > 20000)
    throw badRequest(['body must be 1-20000 characters']);
  if (body.replyToId !== undefined && !isIdString(body.replyToId)) throw badRequest(['replyToId must be a numeric id']);
  if (body.anonymous !== undefined && typeof body.anonymous !== 'boolean')
    throw badRequest(['anonymous must be a boolean']);
  if (
    body.contentWarning !== undefined &&
    body.contentWarning !== null &&
    (typeof body.contentWarning !== 'string' || body.contentWarning.length > 100)
  )
    throw badRequest(['contentWarning must be at most 100 characters']);
  return body;
}

async function createPost(pool, me, threadId, input) {
  if (!me) throw unauthorized('Unauthorized');
  if (me.silenced) throw forbidden('You are silenced');
  const bodyHtml = renderMarkdown(input.body);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const thread = (
      await client.query(
        `SELECT t.id, t.title, t.locked, t.status, t.category_id, c.approval
           FROM threads t JOIN categories c ON c.id = t.category_id
          WHERE t.id = $1 FOR SHARE OF t`,
        [threadId],
      )
    ).rows[0];
    if (!thread || thread.status !== 'published') throw notFound('Thread not found');
    if (thread.locked) throw forbidden('This thread is locked');
    const held = thread.approval === 'all' || (thread.approval === 'new_members' && !me.first_approved_at);
    const status = held ? 'pending' : 'published';
    const post = (
      await client.query(
        `INSERT INTO posts (thread_id, author_id, body, body_html, reply_to_id, anonymous, content_warning, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING id, thread_id, author_id, body, body_html, content_warning, reply_to_id, anonymous, edited_at,
                   status, created_at`,
        [
          threadId,
          me.id,
          input.body,
          bodyHtml,
          input.replyToId ?? null,
          input.anonymous ?? false,
          input.contentWarning ?? null,
          status,
        ],
      )
    ).rows[0];
    if (!held) {
      await client.query(`UPDATE threads SET reply_count = reply_count + 1, last_post_at = $2 WHERE id = $1`, [
        threadId,
        post.created_at,
      ]);
      await client.query(`UPDATE categories SET post_count = post_count + 1, last_post_at = $2 WHERE id = $1`, [
        thread.category_id,
        post.created_at,
      ]);
      await client.query(`UPDATE users SET post_count = post_count + 1 WHERE id = $1`, [me.id]);
      // The watchers' fan-out: one notification each, queued in the same transaction (mail and live delivery
      // would read them from there).
      await client.query(
        `INSERT INTO notifications (user_id, kind, data)
         SELECT s.user_id, 'reply',
                jsonb_build_object('threadId', $1::bigint::text, 'postId', $2::bigint::text, 'threadTitle', $4::text,
                                   'excerpt', $5::text, 'by', $6::jsonb, 'reason', 'watch')
           FROM thread_subscriptions s WHERE s.thread_id = $1 AND s.user_id <> $3`,
        [
          threadId,
          post.id,
          me.id,
          thread.title,
          excerptOf(bodyHtml),
          JSON.stringify(input.anonymous ? ANONYMOUS : { username: me.username, displayName: me.display_name }),
        ],
      );
    }
    await client.query('COMMIT');
    return [held ? 202 : 201, postView({ ...post, username: me.username, display_name: me.display_name }, me)];
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

// ----- the server ------------------------------------------------------------------------------------------------

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024) reject(new HttpError(413, 'Payload Too Large', 'body too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString() || 'null'));
      } catch {
        reject(badRequest('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export async function runBare() {
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET is required');
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: 20,
    application_name: 'haven-bench-peer-bare',
  });
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://bare');
      const parts = url.pathname.split('/').filter(Boolean);
      if (req.method === 'GET' && url.pathname === '/api/health') {
        await pool.query('SELECT 1');
        return send(res, 200, { status: 'ok' });
      }
      if (parts[0] !== 'api') throw notFound(`Cannot ${req.method} ${url.pathname}`);
      if (req.method === 'GET' && parts.length === 4 && parts[1] === 'categories' && parts[3] === 'threads') {
        const me = await viewer(pool, req, secret);
        return send(res, 200, await listThreads(pool, me, decodeURIComponent(parts[2]), url.searchParams));
      }
      if (parts.length === 4 && parts[1] === 'threads' && parts[3] === 'posts') {
        if (req.method === 'GET') {
          const threadId = idOf(parts[2]);
          const me = await viewer(pool, req, secret);
          return send(res, 200, await listPosts(pool, me, threadId, url.searchParams));
        }
        if (req.method === 'POST') {
          const threadId = idOf(parts[2]);
          const me = await viewer(pool, req, secret);
          const input = replyInput(await readJson(req));
          const [status, body] = await createPost(pool, me, threadId, input);
          return send(res, status, body);
        }
      }
      throw notFound(`Cannot ${req.method} ${url.pathname}`);
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.body.statusCode, err.body);
      console.error(err);
      return send(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
    }
  });
  server.keepAliveTimeout = 65_000;
  const port = Number(process.env.PORT);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
