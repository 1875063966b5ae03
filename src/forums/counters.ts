import type { EntityManager } from 'typeorm';
import { SqlParams } from '../common/sql/sql-params';
import { approvedContentSql } from '../users/member-counters';

/** A post whose visibility changes, as a statement names it: `threadId` and `authorId` are SQL (placeholders). */
export interface CountedPostSql {
  threadId: string;
  authorId: string;
  anonymous: boolean;
  isFirstPost: boolean;
}

/**
 * The forum's counters (a thread's replies, a category's threads and posts, last activity) move only here, with the
 * write that changes a post's or thread's visibility; a member's count moves through the users feature's counters
 * in the same statement. Increments are single UPDATEs, so concurrent writers never lose one. These are the
 * data-modifying CTEs (`counted_*`) for the caller's own statement: a reply puts them beside its INSERT, so the whole
 * reply is one statement.
 */
export function publishedPostCountSql(params: SqlParams, post: CountedPostSql, delta: 1 | -1): string[] {
  // `delta` is a typed literal: written into the SQL, it keeps the CASE a constant for the planner.
  const replies = post.isFirstPost ? 0 : delta;
  const author = approvedContentSql(params, post.authorId, delta, { anonymous: post.anonymous });
  return [
    `counted_thread AS (UPDATE threads SET reply_count = reply_count + ${replies},
            last_post_at = ${delta > 0 ? 'GREATEST(last_post_at, now())' : 'last_post_at'}
      WHERE id = ${post.threadId} RETURNING category_id)`,
    `counted_category AS (UPDATE categories SET post_count = post_count + ${delta},
            last_post_at = ${delta > 0 ? 'GREATEST(coalesce(last_post_at, now()), now())' : 'last_post_at'}
      WHERE id IN (SELECT category_id FROM counted_thread))`,
    ...(author ? [`counted_author AS (${author})`] : []),
  ];
}

/** The same counters moved on their own, in the caller's transaction (moderation, deletion, a thread's opening). */
export async function countPublishedPost(
  m: EntityManager,
  post: { threadId: string; authorId: string; anonymous: boolean; isFirstPost: boolean },
  delta: 1 | -1,
): Promise<void> {
  const params = new SqlParams();
  const ctes = publishedPostCountSql(
    params,
    {
      threadId: params.add(post.threadId, 'bigint'),
      authorId: params.add(post.authorId, 'bigint'),
      anonymous: post.anonymous,
      isFirstPost: post.isFirstPost,
    },
    delta,
  );
  await m.query(`WITH ${ctes.join(',\n')} SELECT 1`, params.values);
}

/** A thread became visible (its opening post published) or stopped being so. */
export async function countPublishedThread(m: EntityManager, categoryId: string, delta: 1 | -1): Promise<void> {
  await m.query(`UPDATE categories SET thread_count = thread_count + $2 WHERE id = $1`, [categoryId, delta]);
}
