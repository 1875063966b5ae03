import type { EntityManager } from 'typeorm';
import { SqlParams } from '../common/sql/sql-params';

/**
 * The users feature's counters, moved by content features with their own write (hence the caller's EntityManager,
 * or a fragment of the caller's own statement): a member's approved posts and comments, and when the first was
 * approved. One single UPDATE each time, so concurrent writers never lose one and the hot reply path keeps its
 * number of statements.
 */
export function approvedContentSql(
  params: SqlParams,
  userIdSql: string,
  delta: 1 | -1,
  { anonymous = false }: { anonymous?: boolean } = {},
): string | undefined {
  // An anonymous post does not count on the profile, but it still proves the member was approved once.
  if (delta > 0) {
    return `UPDATE users SET post_count = post_count + ${params.add(anonymous ? 0 : 1, 'int')},
              first_approved_at = coalesce(first_approved_at, now()) WHERE id = ${userIdSql}`;
  }
  if (anonymous) return undefined;
  return `UPDATE users SET post_count = GREATEST(post_count - 1, 0) WHERE id = ${userIdSql}`;
}

export async function countApprovedContent(
  m: EntityManager,
  userId: string,
  delta: 1 | -1,
  options: { anonymous?: boolean } = {},
): Promise<void> {
  const params = new SqlParams();
  const sql = approvedContentSql(params, params.add(userId, 'bigint'), delta, options);
  if (sql) await m.query(sql, params.values);
}
