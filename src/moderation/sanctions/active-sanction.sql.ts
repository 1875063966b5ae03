import type { ActiveSanctionReader } from '../../common/auth/active-sanctions';

/**
 * Moderation's read of a member's active sanction, composed into the auth and chat lookups (one query each):
 * not lifted and not past its end; the most severe first (ban, then suspend, then silence), the longest first.
 */
export const ACTIVE_SANCTION_SQL: ActiveSanctionReader = {
  lateralJoin: (userIdColumn, alias) => `LEFT JOIN LATERAL (
    SELECT x.kind, x.reason, x.ends_at FROM sanctions x
     WHERE x.user_id = ${userIdColumn} AND x.lifted_at IS NULL AND (x.ends_at IS NULL OR x.ends_at > now())
     ORDER BY CASE x.kind WHEN 'ban' THEN 0 WHEN 'suspend' THEN 1 ELSE 2 END, x.ends_at DESC NULLS FIRST
     LIMIT 1) ${alias} ON true`,
  columns: (alias) =>
    `${alias}.kind AS "sanctionKind", ${alias}.reason AS "sanctionReason", ${alias}.ends_at AS "sanctionUntil"`,
};
