import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ActiveSanction, hasRole } from '../common/auth/principal';
import { sanctionRefusal } from '../common/auth/sanction-policy';
import { forbidden, notFound, unauthenticated } from '../common/errors/domain-error';
import type { Role } from '../common/auth/role';

/**
 * A member's standing in one room, read afresh for every write. The socket keeps who connected; what they may do
 * now (their role, an active sanction, a mute or kick in this room) is read here, so a change made on any process,
 * or by the admin CLI, counts from the next message on every process without any state to keep in step.
 */
export interface Standing {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  sanction?: ActiveSanction;
  mutedUntil: Date | null;
  kickedUntil: Date | null;
}

/** Sanctions are moderation's table, read here as data, the way the auth feature reads them. */
const STANDING_SQL = `
  SELECT u.id AS "userId", u.username, u.display_name AS "displayName", u.role,
         active.kind AS "sanctionKind", active.reason AS "sanctionReason", active.ends_at AS "sanctionUntil",
         (SELECT r.until FROM chat_restrictions r
           WHERE r.room_id = $2 AND r.user_id = u.id AND r.kind = 'mute' AND r.until > now()) AS "mutedUntil",
         (SELECT r.until FROM chat_restrictions r
           WHERE r.room_id = $2 AND r.user_id = u.id AND r.kind = 'kick' AND r.until > now()) AS "kickedUntil"
    FROM users u
    LEFT JOIN LATERAL (
      SELECT kind, reason, ends_at FROM sanctions x
       WHERE x.user_id = u.id AND x.lifted_at IS NULL AND (x.ends_at IS NULL OR x.ends_at > now())
       ORDER BY CASE x.kind WHEN 'ban' THEN 0 WHEN 'suspend' THEN 1 ELSE 2 END, x.ends_at DESC NULLS FIRST
       LIMIT 1) active ON true
   WHERE u.id = $1`;

interface StandingRow {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  sanctionKind: ActiveSanction['kind'] | null;
  sanctionReason: string | null;
  sanctionUntil: Date | null;
  mutedUntil: Date | null;
  kickedUntil: Date | null;
}

@Injectable()
export class ChatAccess {
  constructor(private readonly db: DataSource) {}

  async standing(userId: string, roomId: string | null): Promise<Standing> {
    const rows = (await this.db.query(STANDING_SQL, [userId, roomId])) as StandingRow[];
    const r = rows[0];
    if (!r) throw unauthenticated('This account no longer exists');
    return {
      userId: r.userId,
      username: r.username,
      displayName: r.displayName,
      role: r.role,
      sanction: r.sanctionKind
        ? { kind: r.sanctionKind, reason: r.sanctionReason ?? '', until: r.sanctionUntil?.toISOString() ?? null }
        : undefined,
      mutedUntil: r.mutedUntil,
      kickedUntil: r.kickedUntil,
    };
  }

  /** Reading a room: a suspension or a ban refuses it (their sockets are cut anyway); a kick keeps them out. */
  assertMayEnter(s: Standing): void {
    const refusal = sanctionRefusal(s.sanction, 'read');
    if (refusal) throw refusal;
    if (s.kickedUntil) {
      throw forbidden(`A moderator removed you from this room; you may come back after ${s.kickedUntil.toISOString()}`);
    }
  }

  /** Any write (deleting one's own message too): silence refuses it, as on HTTP. */
  assertNotSanctioned(s: Standing): void {
    const refusal = sanctionRefusal(s.sanction, 'write');
    if (refusal) throw refusal;
  }

  /** Writing in a room: a sanction refuses it, and so do a kick and a mute. */
  assertMayWrite(s: Standing): void {
    this.assertNotSanctioned(s);
    this.assertMayEnter(s);
    if (s.mutedUntil) throw forbidden(`You are muted in this room until ${s.mutedUntil.toISOString()}`);
  }

  /** Moderating in a room: the role as it is now, not as it was at the handshake. */
  assertModerator(s: Standing, what: string): void {
    this.assertNotSanctioned(s);
    if (!hasRole(s, 'moderator')) throw forbidden(`Only a moderator may ${what}`);
  }

  /** The member a moderator acts on, by username (404 when there is none). */
  async target(username: string): Promise<{ id: string; username: string; role: Role }> {
    const rows = (await this.db.query(`SELECT id, username, role FROM users WHERE username = $1`, [
      username,
    ])) as Array<{ id: string; username: string; role: Role }>;
    if (!rows[0]) throw notFound('User');
    return rows[0];
  }

  /** Who blocked this author: their sockets do not receive the author's messages or typing. */
  async blockersOf(authorId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT blocker_id AS id FROM user_blocks WHERE blocked_id = $1`, [
      authorId,
    ])) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
}

/** Moderators act on members; admins on members and moderators; nobody on an admin or on themselves. */
export function outranks(actor: { role: Role }, target: { role: Role }): boolean {
  return target.role === 'member' ? hasRole(actor, 'moderator') : target.role === 'moderator' && actor.role === 'admin';
}
