import type { EntityManager } from 'typeorm';
import { countApprovedContent } from '../users/member-counters';

/**
 * The forum's counters (a thread's replies, a category's threads and posts, last activity) move only here, inside
 * the transaction that changes a post's or thread's visibility; a member's count moves through the users feature's
 * counters in the same transaction. Increments are single UPDATEs, so concurrent writers never lose one.
 */
export async function countPublishedPost(
  m: EntityManager,
  post: { threadId: string; authorId: string; anonymous: boolean; isFirstPost: boolean; createdAt?: Date },
  delta: 1 | -1,
): Promise<void> {
  const rows = (await m.query(
    `UPDATE threads SET reply_count = reply_count + $2,
            last_post_at = CASE WHEN $2 > 0 THEN GREATEST(last_post_at, now()) ELSE last_post_at END
      WHERE id = $1 RETURNING category_id AS "categoryId"`,
    [post.threadId, post.isFirstPost ? 0 : delta],
  )) as [Array<{ categoryId: string }>, number];
  const categoryId = rows[0][0]?.categoryId;
  if (categoryId) {
    await m.query(
      `UPDATE categories SET post_count = post_count + $2,
              last_post_at = CASE WHEN $2 > 0 THEN GREATEST(coalesce(last_post_at, now()), now()) ELSE last_post_at END
        WHERE id = $1`,
      [categoryId, delta],
    );
  }
  await countApprovedContent(m, post.authorId, delta, { anonymous: post.anonymous });
}

/** A thread became visible (its opening post published) or stopped being so. */
export async function countPublishedThread(m: EntityManager, categoryId: string, delta: 1 | -1): Promise<void> {
  await m.query(`UPDATE categories SET thread_count = thread_count + $2 WHERE id = $1`, [categoryId, delta]);
}
