/**
 * The conversations benchmark's bare server: node:http + pg, the same statements as Haven (./haven-sql.mjs), the
 * same JSON (the views are Haven's own functions from dist/). Started as `node bench/conversations.mjs --bare`
 * (PORT, DATABASE_URL, JWT_SECRET from the environment).
 */
import http from 'node:http';
import pg from 'pg';
import { decodeCursor, encodeCursor, verifyAccessToken } from '../forum/views.mjs';
import { createHash } from 'node:crypto';
import { conversationView, HISTORY, LIST, messageView, PARTICIPATION_SQL, SESSION_SQL } from './haven-sql.mjs';

const ID = /^\d{1,18}$/;

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
  // Unnamed statements (parsed and planned on every call), as `pool.query(text, values)` runs them; or, with
  // BENCH_BARE_PREPARED=1, named ones (planned once per connection), as Haven runs its hot reads.
  const named = process.env.BENCH_BARE_PREPARED === '1';
  const nameOf = (sql) => `bare_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
  const q = async (sql, params) =>
    (await (named ? pool.query({ name: nameOf(sql), text: sql, values: params }) : pool.query(sql, params))).rows;
  const send = (res, status, value) => {
    const body = JSON.stringify(value);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const fail = (res, status, message) => send(res, status, { statusCode: status, message });

  async function viewer(req) {
    const header = req.headers.authorization ?? '';
    const claims = header.startsWith('Bearer ') ? verifyAccessToken(header.slice(7), secret) : undefined;
    if (!claims) return undefined;
    const [row] = await q(SESSION_SQL, [claims.sid, claims.sub]);
    return row;
  }

  const limitOf = (url, fallback) => {
    const text = url.searchParams.get('limit');
    const limit = text === null ? fallback : Number(text);
    return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : null;
  };

  async function list(res, me, url) {
    const limit = limitOf(url, 20);
    const key = decodeCursor(url.searchParams.get('cursor') ?? undefined, 'ui');
    if (limit === null || key === null) return fail(res, 400, 'bad query');
    const rows = await q(key ? LIST.after : LIST.first, [me.id, limit + 1, false, ...(key ? [key[0], key[1]] : [])]);
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    send(res, 200, {
      items: kept.map((r) => ({
        ...conversationView(r),
        lastMessage: r.last ? messageView({ ...r.last, createdAt: new Date(r.last.createdAt) }, me.id) : null,
      })),
      nextCursor: more && last ? encodeCursor([last.activityUs, last.id]) : null,
    });
  }

  async function history(res, me, id, url) {
    const limit = limitOf(url, 30);
    const before = url.searchParams.get('before') ?? undefined;
    const after = url.searchParams.get('after') ?? undefined;
    if (limit === null || [before, after].some((v) => v !== undefined && !ID.test(v)) || (before && after))
      return fail(res, 400, 'bad query');
    const [place] = await q(PARTICIPATION_SQL, [id, me.id]);
    if (!place) return fail(res, 404, 'Conversation not found');
    const forward = after !== undefined;
    const which = forward ? 'after' : before !== undefined ? 'before' : 'latest';
    const rows = await q(HISTORY[which], [
      id,
      me.id,
      false,
      place.leftAt,
      limit + 1,
      ...(which === 'latest' ? [] : [after ?? before]),
    ]);
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    if (!forward) kept.reverse();
    const items = kept.map((r) => messageView(r, me.id));
    const edge = forward ? items[items.length - 1] : items[0];
    send(res, 200, { items, nextCursor: more && edge ? edge.id : null, more });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://bare');
    const route = async () => {
      if (url.pathname === '/api/health') return send(res, 200, { status: 'ok' });
      if (req.method !== 'GET') return fail(res, 404, 'Not found');
      const me = await viewer(req);
      if (!me) return fail(res, 401, 'Sign in first');
      if (url.pathname === '/api/conversations') return list(res, me, url);
      const m = /^\/api\/conversations\/(\d{1,18})\/messages$/.exec(url.pathname);
      if (m) return history(res, me, m[1], url);
      return fail(res, 404, 'Not found');
    };
    route().catch((err) => {
      console.error(err);
      if (!res.headersSent) fail(res, 500, 'Internal error');
    });
  });
  server.keepAliveTimeout = 72_000;
  server.listen(port, '127.0.0.1');
}
