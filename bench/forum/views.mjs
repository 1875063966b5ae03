/**
 * What the forum benchmark's bare server shares with Haven's behaviour, in plain functions: access-token checks
 * (src/auth/access-token.ts), cursors (src/common/pagination.ts), the JSON views of threads and posts, held-reason
 * texts (publishing/review-sink.ts, publishing-gate.ts) and a trivial HTML renderer (NOT Haven's: the report says so).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const hmac = (data, secret) => createHmac('sha256', secret).update(data).digest('base64url');

/** src/auth/access-token.ts verifyAccessToken, same steps. */
export function verifyAccessToken(token, secret) {
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

export const encodeCursor = (key) => Buffer.from(JSON.stringify(key)).toString('base64url');

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
export function decodeCursor(cursor, shape) {
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

export const emptyReactions = () => ({ support: 0, hug: 0, same: 0, thanks: 0, mine: [] });
export const isModerator = (viewer) => !!viewer && (viewer.role === 'moderator' || viewer.role === 'admin');

function authorView(row, viewer) {
  if (!row.anonymous) return { username: row.authorUsername, displayName: row.authorDisplayName };
  if (isModerator(viewer)) return { username: row.authorUsername, displayName: row.authorDisplayName, anonymous: true };
  return { username: null, displayName: 'Anonymous member' };
}

export function threadView(r, viewer) {
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
export const heldReasonText = (reasons) => reasons.map(reasonText).join('; ');

/** The content policy's TRUTH for items (content-policy.ts): who reads an item's text, by its status. */
const TEXT_FOR = {
  published: ['public', 'author', 'moderator'],
  pending: ['author', 'moderator'],
  hidden: ['moderator'],
  deleted: [],
  rejected: ['moderator'],
};

export function postView(r, viewer, reactions) {
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

export function toPage(rows, limit, view, keyOf) {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(view), nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1])) : null };
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
/** NOT Haven's renderer (marked + sanitize-html): paragraphs and escaping only. The report says so. */
export const trivialHtml = (body) =>
  body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
export const MENTION = /(?<![\p{L}\p{N}_.+\-@/\\:])@([A-Za-z0-9_]{3,32})(?![A-Za-z0-9_@]|\.[\p{L}\p{N}])/gu;
