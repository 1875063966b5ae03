import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActiveSanctions, type SanctionColumns, toActiveSanction } from '../common/auth/active-sanctions';
import { type ActiveSanction, hasRole } from '../common/auth/principal';
import { sanctionRefusal } from '../common/auth/sanction-policy';
import { forbidden, notFound, unauthenticated } from '../common/errors/domain-error';
import type { Role } from '../common/auth/role';
import { newMemberSql } from '../publishing/publishing-gate';
import { blockersSql, UsersService } from '../users/users.service';
import { roomColumnsSql, type RoomRow } from './rooms/rooms.service';

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

/**
 * Users' columns and the room's restrictions (the room's id is `roomId`, SQL); the sanction comes from moderation's
 * reader, joined by the caller's query (`sanction.join`).
 */
function standingColumns(sanction: { columns: string }, roomId: string): string {
  return `u.id AS "userId", u.username, u.display_name AS "displayName", u.role, ${sanction.columns},
         (SELECT x.until FROM chat_restrictions x
           WHERE x.room_id = ${roomId} AND x.user_id = u.id AND x.kind = 'mute' AND x.until > now()) AS "mutedUntil",
         (SELECT x.until FROM chat_restrictions x
           WHERE x.room_id = ${roomId} AND x.user_id = u.id AND x.kind = 'kick' AND x.until > now()) AS "kickedUntil"`;
}

function standingSql(sanction: { join: string; columns: string }): string {
  return `SELECT ${standingColumns(sanction, '$2')} FROM users u ${sanction.join} WHERE u.id = $1`;
}

/** What sending a message needs, read at once: the room, the author's standing in it, and more (`forMessage`). */
export interface MessageContext {
  room: RoomRow;
  author: Standing;
  /** The gate's and pacing's question (moderators are never new). */
  isNewMember: boolean;
  /** This author stored a message with this clientId in this room already (a resend). */
  resent: boolean;
  /** Who blocked the author: their sockets do not get the message. */
  blockedBy: string[];
}

interface StandingRow extends SanctionColumns {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  mutedUntil: Date | null;
  kickedUntil: Date | null;
}

@Injectable()
export class ChatAccess {
  constructor(
    private readonly db: DataSource,
    private readonly sanctions: ActiveSanctions,
    private readonly users: UsersService,
  ) {}

  async standing(userId: string, roomId: string | null): Promise<Standing> {
    const rows = (await this.db.query(standingSql(this.sanctions.sql('u.id')), [userId, roomId])) as StandingRow[];
    const r = rows[0];
    if (!r) throw unauthenticated('This account no longer exists');
    return toStanding(r);
  }

  /**
   * Sending a message: the room by its slug (404), the member's standing in it (401 when the account is gone),
   * whether they are new, whether this clientId was stored already, and who blocked them, in one round trip.
   */
  async forMessage(userId: string, slug: string, clientId: string): Promise<MessageContext> {
    const sanction = this.sanctions.sql('u.id');
    const rows = (await this.db.query(
      `SELECT ${roomColumnsSql('r')}, ${standingColumns(sanction, 'r.id')},
              ${newMemberSql('u')} AS "isNewMember", ${blockersSql('u.id')} AS "blockedBy",
              EXISTS (SELECT 1 FROM chat_messages m
                       WHERE m.room_id = r.id AND m.author_id = u.id AND m.client_id = $3) AS resent
         FROM chat_rooms r LEFT JOIN users u ON u.id = $2 ${sanction.join}
        WHERE r.slug = $1`,
      [slug, userId, clientId],
    )) as Array<
      RoomRow & Omit<StandingRow, 'userId'> & { userId: string | null } & Omit<MessageContext, 'room' | 'author'>
    >;
    const r = rows[0];
    if (!r) throw notFound('Room');
    if (!r.userId) throw unauthenticated('This account no longer exists');
    const author = toStanding({ ...r, userId: r.userId });
    return {
      room: {
        id: r.id,
        slug: r.slug,
        name: r.name,
        description: r.description,
        kind: r.kind,
        startsAt: r.startsAt,
        endsAt: r.endsAt,
        slowModeSeconds: r.slowModeSeconds,
        approval: r.approval,
      },
      author,
      isNewMember: !hasRole(author, 'moderator') && r.isNewMember,
      resent: r.resent,
      blockedBy: r.blockedBy,
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

  /** Who blocked this author: their sockets do not receive the author's messages or typing (the users feature's). */
  blockersOf(authorId: string): Promise<string[]> {
    return this.users.blockersOf(authorId);
  }
}

/** Moderators act on members; admins on members and moderators; nobody on an admin or on themselves. */
export function outranks(actor: { role: Role }, target: { role: Role }): boolean {
  return target.role === 'member' ? hasRole(actor, 'moderator') : target.role === 'moderator' && actor.role === 'admin';
}

function toStanding(r: StandingRow): Standing {
  return {
    userId: r.userId,
    username: r.username,
    displayName: r.displayName,
    role: r.role,
    sanction: toActiveSanction(r),
    mutedUntil: r.mutedUntil,
    kickedUntil: r.kickedUntil,
  };
}
