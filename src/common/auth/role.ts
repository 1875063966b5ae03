/** A member's role, lowest first: every feature and the web edge ask `hasRole` (principal.ts) with it. */
export const ROLES = ['member', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
