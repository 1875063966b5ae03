import type { Role } from '../users/user.entity';

/**
 * Typed events between features: one map, so a listener and its emitter cannot disagree on a name or a payload.
 * Emit with `TypedEvents.emit`, listen with `@OnEvent(EVENTS.x)` and the payload type from `EventPayload`.
 */
export const EVENTS = {
  userRegistered: 'user.registered',
  userRoleChanged: 'user.role_changed',
  sessionsRevoked: 'auth.sessions_revoked',
} as const;

export interface EventPayloads {
  [EVENTS.userRegistered]: { userId: string; username: string };
  [EVENTS.userRoleChanged]: { userId: string; username: string; from: Role; to: Role; by: 'cli' | string };
  [EVENTS.sessionsRevoked]: { userId: string; sessionIds: string[] | 'all'; reason: string };
}
export type EventName = keyof EventPayloads;
export type EventPayload<E extends EventName> = EventPayloads[E];
