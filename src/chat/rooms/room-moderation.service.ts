import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { badInput, forbidden } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { TypedEvents } from '../../common/typed-events';
import { ChatAccess, outranks } from '../chat-access';
import type { ChatConnection } from '../chat-connection';
import type { Restricted } from '../chat-events';
import { ChatHub } from '../chat-hub';
import type { RestrictionKind } from './chat-restriction.constants';
import type { RoomKickDto, RoomMuteDto } from './dto/room.dto';
import { RoomsService } from './rooms.service';

/** A kick keeps the member out this long unless the moderator says otherwise. */
export const DEFAULT_KICK_MINUTES = 10;

/**
 * Mutes and kicks, by moderators, in one room. Both are rows in chat_restrictions, read on every join and send by
 * every process; a kick also takes the member's sockets out of the room on every process at once.
 */
@Injectable()
export class RoomModeration {
  constructor(
    private readonly db: DataSource,
    private readonly rooms: RoomsService,
    private readonly access: ChatAccess,
    private readonly hub: ChatHub,
    private readonly events: TypedEvents,
  ) {}

  async mute(conn: ChatConnection, input: RoomMuteDto): Promise<Restricted> {
    const { room, target } = await this.prepare(conn, input.room, input.username, 'mute members');
    const until = await this.restrict(room.id, target.id, 'mute', input.minutes, conn.member.userId);
    this.hub.muted(target.id, { room: room.slug, until });
    this.audit(conn, until ? 'mute' : 'unmute', target.username, `${room.slug}${until ? ` until ${until}` : ''}`);
    return { until };
  }

  async kick(conn: ChatConnection, input: RoomKickDto): Promise<Restricted> {
    const { room, target } = await this.prepare(conn, input.room, input.username, 'remove members');
    const minutes = input.minutes ?? DEFAULT_KICK_MINUTES;
    const until = await this.restrict(room.id, target.id, 'kick', minutes, conn.member.userId);
    this.hub.kicked(target.id, room.id, { room: room.slug, until });
    this.audit(conn, 'kick', target.username, `${room.slug}${until ? ` until ${until}` : ''}`);
    return { until };
  }

  private async prepare(conn: ChatConnection, slug: string, username: string, what: string) {
    const room = await this.rooms.bySlug(slug);
    const actor = await this.access.standing(conn.member.userId, room.id);
    this.access.assertModerator(actor, what);
    const target = await this.access.target(username);
    if (target.id === actor.userId) throw badInput('username', 'is you');
    if (!outranks(actor, target)) throw forbidden(`A ${actor.role} cannot do this to a ${target.role}`);
    return { room, target };
  }

  /** Sets (or, with 0 minutes, lifts) the restriction; returns its end, or null when none is left. */
  private async restrict(
    roomId: string,
    userId: string,
    kind: RestrictionKind,
    minutes: number,
    by: string,
  ): Promise<string | null> {
    if (minutes === 0) {
      await this.db.query(`DELETE FROM chat_restrictions WHERE room_id = $1 AND user_id = $2 AND kind = $3`, [
        roomId,
        userId,
        kind,
      ]);
      return null;
    }
    const rows = (await this.db.query(
      `INSERT INTO chat_restrictions (room_id, user_id, kind, until, created_by)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4), $5)
       ON CONFLICT (room_id, user_id, kind) DO UPDATE
         SET until = EXCLUDED.until, created_by = EXCLUDED.created_by, created_at = now()
       RETURNING until`,
      [roomId, userId, kind, minutes, by],
    )) as Array<{ until: Date }>;
    return rows[0].until.toISOString();
  }

  private audit(conn: ChatConnection, action: string, username: string, note: string): void {
    this.events.emit(EVENTS.chatModerated, {
      actorId: conn.member.userId,
      action: `chat.${action}`,
      targetType: 'user',
      targetId: username,
      note,
    });
  }
}
