import type { EntityManager } from 'typeorm';

/**
 * The users feature's counters, moved by content features inside their own transaction (hence the caller's
 * EntityManager): a member's approved posts and comments, and when the first was approved. One single UPDATE each
 * time, so concurrent writers never lose one and the hot reply path keeps its number of statements.
 */
export async function countApprovedContent(
  m: EntityManager,
  userId: string,
  delta: 1 | -1,
  { anonymous = false }: { anonymous?: boolean } = {},
): Promise<void> {
  if (delta > 0) {
    // An anonymous post does not count on the profile, but it still proves the member was approved once.
    await m.query(
      `UPDATE users SET post_count = post_count + $2, first_approved_at = coalesce(first_approved_at, now()) WHERE id = $1`,
      [userId, anonymous ? 0 : 1],
    );
  } else if (!anonymous) {
    await m.query(`UPDATE users SET post_count = GREATEST(post_count - 1, 0) WHERE id = $1`, [userId]);
  }
}
