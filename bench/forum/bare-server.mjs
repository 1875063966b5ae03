/**
 * The forum benchmark's bare server: node:http + pg, the same queries (./haven-sql.mjs), the same JSON. Started by
 * the benchmark as `node bench/forum.mjs --bare` (PORT, DATABASE_URL, JWT_SECRET from the environment).
 */
import http from 'node:http';
import { setImmediate } from 'node:timers';
import pg from 'pg';
import PgBoss from 'pg-boss';
import {
  AUTHOR_NAME_SQL,
  BLOCKERS_SQL,
  CATEGORY_SQL,
  INSERT_NOTIFICATIONS_SQL,
  INSERT_REPLY_SQL,
  MAIL_RECIPIENTS_SQL,
  MENTIONED_IDS_SQL,
  POSTS_PAGE,
  REPLY_CONTEXT_SQL,
  SESSION_SQL,
  THREAD_LIST,
} from './haven-sql.mjs';
import {
  decodeCursor,
  emptyReactions,
  isModerator,
  MENTION,
  postView,
  threadView,
  toPage,
  trivialHtml,
  verifyAccessToken,
} from './views.mjs';

export async function runBare() {
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
  // Haven queues a durable job (pg-boss) for subscribers in the transaction that publishes a post: so does this
  // server, on a queue of its own that nobody works (Haven's workers must not do this server's work).
  const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, max: 2, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  const BARE_FANOUT = 'bench-bare-fanout';
  await boss.createQueue(BARE_FANOUT, {
    name: BARE_FANOUT,
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 900,
  });

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
    const rows = await q(after ? THREAD_LIST.after : THREAD_LIST.first, [slug, null, page.limit + 1, ...(after ?? [])]);
    // An empty page is the end of a category, or no category: only then is the category read.
    if (rows.length === 0 && !(await q(CATEGORY_SQL, [slug]))[0]) return fail(res, 404, 'Category not found');
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

  const reactionsOf = (list) =>
    list?.reduce((entry, r) => {
      entry[r.kind] = r.count;
      if (r.mine) entry.mine.push(r.kind);
      return entry;
    }, emptyReactions());

  async function postList(res, threadId, url) {
    const page = pageQuery(url);
    if (!page) return fail(res, 400, 'bad query');
    const after = decodeCursor(page.cursor, 'i');
    if (after === null) return fail(res, 400, 'cursor is not a cursor this list gave out');
    const rows = await q(after ? POSTS_PAGE.after : POSTS_PAGE.first, [
      threadId,
      null,
      false,
      page.limit + 1,
      ...(after ? [after[0]] : []),
    ]);
    const t = rows[0];
    if (!t || t.threadStatus !== 'published') return fail(res, 404, 'Thread not found');
    send(
      res,
      200,
      toPage(
        t.id === null ? [] : rows,
        page.limit,
        (r) => postView(r, undefined, reactionsOf(r.reactions)),
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

  /** post.published from what the reply has in hand + NotificationsListener.onPostPublished: same queries, after
   * the answer, not awaited. */
  function announce(postId, r) {
    Promise.resolve()
      .then(() => {
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
            const client = await pool.connect();
            let created;
            try {
              await client.query('START TRANSACTION');
              created = (
                await client.query(INSERT_NOTIFICATIONS_SQL, [
                  chosen.map(([userId]) => userId),
                  chosen.map(([, reason]) => (reason === 'mention' ? 'mention' : 'reply')),
                  chosen.map(([, reason]) => JSON.stringify(data(reason))),
                  chosen.map(() => true),
                ])
              ).rows;
              // Mail goes only to confirmed addresses: the bench's members have none, so nothing more is read.
              const people = (await client.query(MAIL_RECIPIENTS_SQL, [[...new Set(created.map((n) => n.userId))]]))
                .rows;
              if (people.some((p) => p.confirmed)) throw new Error('the bare server does not send notification mail');
              await client.query('COMMIT');
            } catch (err) {
              await client.query('ROLLBACK').catch(() => undefined);
              throw err;
            } finally {
              client.release();
            }
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

    // post-writes.service.ts create: one read of the reply's context, then one statement (no BEGIN/COMMIT).
    const [t] = await q(REPLY_CONTEXT_SQL, [threadId, viewer.id, input.replyToId ?? null]);
    if (!t || t.status !== 'published') return fail(res, 404, 'Thread not found');
    if (t.locked && !isModerator(viewer)) return fail(res, 403, 'This thread is locked: no new replies');
    if (input.replyToId && !t.replyToId)
      return fail(res, 400, 'replyToId must be the id of a published post in this thread');
    // RATE_LIMITS=off: Haven's pacing returns at once. The publishing gate's new-member fact came with the context.
    const isNew = isModerator(viewer) ? false : (t.authorIsNew ?? true);
    // preModeration in publishing-gate.ts (watched words: an in-memory matcher, no SQL).
    const held =
      isModerator(viewer) || t.approval === 'none'
        ? null
        : t.approval === 'all'
          ? [{ code: 'approval', policy: 'all' }]
          : isNew
            ? [{ code: 'approval', policy: 'new_member' }]
            : null;
    // Held replies also record a moderation queue entry in Haven (a transaction): the benchmark measures published ones.
    if (held) return fail(res, 501, 'the bare server answers published replies only');
    const bodyHtml = trivialHtml(input.body);
    const [row] = await q(INSERT_REPLY_SQL, [
      threadId,
      viewer.id,
      input.body,
      bodyHtml,
      t.replyToId,
      anonymous,
      'published',
      null,
      null,
      input.contentWarning ?? null,
      anonymous ? 0 : 1,
      'post',
      new Date().toISOString(),
      BARE_FANOUT,
    ]);
    const post = {
      id: row.id,
      threadId,
      authorId: viewer.id,
      authorUsername: viewer.username,
      authorDisplayName: viewer.displayName,
      body: input.body,
      bodyHtml,
      contentWarning: input.contentWarning ?? null,
      replyToId: t.replyToId,
      anonymous,
      status: 'published',
      heldReason: null,
      heldReasons: null,
      pendingBody: null,
      pendingBodyHtml: null,
      pendingReasons: null,
      pendingAt: null,
      createdAt: row.createdAt,
      editedAt: null,
    };
    announce(row.id, {
      threadId,
      threadTitle: t.title,
      authorId: viewer.id,
      anonymous,
      body: input.body,
      isFirstPost: false,
      replyToAuthorId: t.replyToAuthorId,
      watcherIds: t.watcherIds,
    });
    send(res, 201, postView(post, viewer, undefined));
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
