/**
 * Haven's SQL, copied verbatim from the services (threads.service.ts, posts.service.ts, post-writes.service.ts,
 * counters.ts, users/member-counters.ts, categories.service.ts, auth.service.ts, publishing-gate.ts,
 * notifications.listener.ts, users.service.ts, notifications.service.ts, jobs/jobs.ts sendSql, subscriptions/fanout.ts),
 * with the content policy's fragments
 * (publishing/content-policy.ts: listedSql, visibleSql, notBlockedSql) and moderation's active-sanction reader
 * (moderation/sanctions/active-sanction.sql.ts, composed by common/auth/active-sanctions.ts with alias "active")
 * written out as they expand for these routes. The bare server runs these; the benchmark checks, through its
 * statement recorder, that Haven still runs the same (a stale copy fails the run). Haven works its own fan-out job
 * (the bare server's queue has no worker): when its worker takes the recorded reply's job within the check's settle
 * time, the job's statements show as "only Haven" (a poll's timing, not a stale copy).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../lib/util.mjs';

export const CATEGORY_SQL = `SELECT id, slug, name, description, thread_count AS "threadCount", post_count AS "postCount",
  last_post_at AS "lastPostAt", approval FROM categories WHERE slug = $1`;

export const THREAD_COLUMNS = `t.id, c.slug AS "categorySlug", c.name AS "categoryName", t.title, t.author_id AS "authorId",
  u.username AS "authorUsername", u.display_name AS "authorDisplayName", t.anonymous, t.pinned, t.locked, t.status,
  t.reply_count AS "replyCount", t.created_at AS "createdAt", t.last_post_at AS "lastPostAt",
  (extract(epoch FROM t.last_post_at) * 1000000)::bigint::text AS "lastPostUs"`;

export const POST_COLUMNS = `p.id, p.thread_id AS "threadId", p.author_id AS "authorId", u.username AS "authorUsername",
  u.display_name AS "authorDisplayName", p.body, p.body_html AS "bodyHtml", p.content_warning AS "contentWarning",
  p.reply_to_id AS "replyToId", p.anonymous, p.status, p.held_reason AS "heldReason", p.created_at AS "createdAt",
  p.edited_at AS "editedAt", p.held_reasons AS "heldReasons", p.pending_body AS "pendingBody",
  p.pending_body_html AS "pendingBodyHtml", p.pending_reasons AS "pendingReasons", p.pending_at AS "pendingAt"`;

export const ACTIVE_SANCTION_JOIN = `LEFT JOIN LATERAL (
    SELECT x.kind, x.reason, x.ends_at FROM sanctions x
     WHERE x.user_id = u.id AND x.lifted_at IS NULL AND (x.ends_at IS NULL OR x.ends_at > now())
     ORDER BY CASE x.kind WHEN 'ban' THEN 0 WHEN 'suspend' THEN 1 ELSE 2 END, x.ends_at DESC NULLS FIRST
     LIMIT 1) active ON true`;
export const SANCTION_COLUMNS = `active.kind AS "sanctionKind", active.reason AS "sanctionReason", active.ends_at AS "sanctionUntil"`;

export const SESSION_SQL = `SELECT u.id, u.username, u.display_name AS "displayName", u.role, ${SANCTION_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id ${ACTIVE_SANCTION_JOIN}
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`;

// post-writes.service.ts replyContext: the thread, its category's approval, the answered post, whether the author is
// new (publishing-gate.ts newMemberSql) and the thread's watchers, in one read.
export const REPLY_CONTEXT_SQL = `SELECT t.status, t.locked, t.title, c.approval, rp.id AS "replyToId", rp.author_id AS "replyToAuthorId",
              (SELECT u.first_approved_at IS NULL FROM users u WHERE u.id = $2) AS "authorIsNew",
              ARRAY(SELECT s.user_id FROM thread_subscriptions s WHERE s.thread_id = t.id) AS "watcherIds"
         FROM threads t JOIN categories c ON c.id = t.category_id
         LEFT JOIN posts rp ON rp.id = $3 AND rp.thread_id = t.id AND rp.status = 'published'
        WHERE t.id = $1`;

// post-writes.service.ts insertReply, as it expands for a published reply moderators need not see: the post, the
// forum's counters (counters.ts publishedPostCountSql), the member's count (users/member-counters.ts
// approvedContentSql) and the subscriptions' fan-out job (subscriptions/fanout.ts through Publications, queued by
// jobs/jobs.ts sendSql: pg-boss's own insert), one statement without BEGIN/COMMIT.
export const INSERT_REPLY_SQL = `WITH post AS (INSERT INTO posts (thread_id, author_id, body, body_html, reply_to_id, anonymous, status, held_reason,
                                   held_reasons, content_warning)
         VALUES ($1::bigint, $2::bigint, $3, $4,
                 $5::bigint, $6::boolean, $7,
                 $8,
                 $9::jsonb,
                 $10)
         RETURNING id, created_at),
counted_thread AS (UPDATE threads SET reply_count = reply_count + 1,
            last_post_at = GREATEST(last_post_at, now())
      WHERE id = $1::bigint RETURNING category_id),
counted_category AS (UPDATE categories SET post_count = post_count + 1,
            last_post_at = GREATEST(coalesce(last_post_at, now()), now())
      WHERE id IN (SELECT category_id FROM counted_thread)),
counted_author AS (UPDATE users SET post_count = post_count + $11::int,
              first_approved_at = coalesce(first_approved_at, now()) WHERE id = $2::bigint),
published_0 AS (INSERT INTO pgboss.job (id, name, data, priority, start_after, singleton_key, singleton_on,
        dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
      SELECT gen_random_uuid(), q.name, jsonb_build_object('type', $12::text, 'id', (SELECT id FROM post)::text,
        'at', $13::text), 0, now(), NULL, NULL, q.dead_letter,
             COALESCE(q.expire_seconds * interval '1s', interval '15 minutes'),
             now() + CAST(COALESCE((q.retention_minutes * 60)::text, '14 days') AS interval),
             COALESCE(q.retry_limit, 2),
             CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(q.retry_delay, 1) ELSE COALESCE(q.retry_delay, 0) END,
             COALESCE(q.retry_backoff, false), q.policy
        FROM pgboss.queue q WHERE q.name = $14::text
      ON CONFLICT DO NOTHING)
       SELECT id, created_at AS "createdAt" FROM post`;

// notifications.listener.ts onPostPublished, from post.published (built from what the reply had in hand: no read),
// asks UsersService (idsByUsername, blockersOf, nameOf), in parallel.
export const MENTIONED_IDS_SQL = `SELECT id FROM users WHERE username = ANY($1::text[])`;

export const BLOCKERS_SQL = `SELECT blocker_id AS id FROM user_blocks WHERE blocked_id = $1`;

export const AUTHOR_NAME_SQL = `SELECT username, display_name AS "displayName" FROM users WHERE id = $1`;

// notifications.service.ts create: in one transaction with their mail (notification-mail.ts immediately: who may get
// mail; a member without a confirmed address needs nothing more read); the rows come back whole, and
// chat.listener.ts pushes them from the event.
export const INSERT_NOTIFICATIONS_SQL = `INSERT INTO notifications (user_id, kind, data, mailable)
         SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::jsonb[], $4::boolean[])
         RETURNING id, user_id AS "userId", kind, data, mailable, created_at AS "createdAt"`;

export const MAIL_RECIPIENTS_SQL = `SELECT u.id, u.email, u.display_name AS "displayName", u.time_zone AS "timeZone",
              u.email_verified_at IS NOT NULL AS confirmed,
              ARRAY(SELECT b.blocked_id::text FROM user_blocks b WHERE b.blocker_id = u.id) AS blocked
         FROM users u
        WHERE u.id = ANY($1::bigint[])`;

/**
 * The prepared statements Haven runs for the measured GET routes, taken from the built dist/ (their plans are checked
 * in test/forums-plans.e2e-spec.ts): a category's list by slug, and a thread's page with its reactions, each in a
 * text for the first page and one for the page after a cursor. The bare server runs the same texts unnamed.
 */
const requireDist = createRequire(import.meta.url);
const dist = (file) => requireDist(path.join(ROOT, 'dist', ...file.split('/')));
const threads = dist('forums/threads/threads.service.js');
const posts = dist('forums/posts/posts.service.js');
export const THREAD_LIST = { first: threads.THREAD_LIST.first.text, after: threads.THREAD_LIST.after.text };
export const POSTS_PAGE = { first: posts.POSTS_PAGE.first.text, after: posts.POSTS_PAGE.after.text };
