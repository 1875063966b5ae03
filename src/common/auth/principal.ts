import type { Role } from './role';

/** Who is making a request, as checked on this very request (not as the token remembers). */
export interface Principal {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  sessionId: string;
  /** The member's active sanction, the most severe one, if any. */
  sanction?: ActiveSanction;
  /** The member's IANA time zone, read with a browser session (pages write times in it); absent on the API. */
  timeZone?: string | null;
}

export interface ActiveSanction {
  kind: 'silence' | 'suspend' | 'ban';
  reason: string;
  until: string | null;
}

const RANK: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };

/** Moderators may do what members may; admins what moderators may. */
export function hasRole(principal: Pick<Principal, 'role'>, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}

/**
 * The one question the guard asks of the auth feature: which principal does this bearer token stand for, right
 * now? Implemented by AuthService; a token that is expired, revoked or otherwise dead gives an unauthenticated error.
 */
export interface PrincipalResolver {
  resolve(accessToken: string): Promise<Principal>;
}
export const PRINCIPAL_RESOLVER = Symbol('PRINCIPAL_RESOLVER');
