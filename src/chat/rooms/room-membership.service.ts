import { Injectable } from '@nestjs/common';
import { forbidden } from '../../common/errors/domain-error';
import { ChatAccess } from '../chat-access';
import type { ChatConnection } from '../chat-connection';
import type { RoomJoined, TypingSent } from '../chat-events';
import { ChatHub } from '../chat-hub';
import { ChatPacing } from '../chat-pacing';
import { MessagesService } from '../messages/messages.service';
import { PresenceService } from '../presence/presence.service';
import type { RoomDto, RoomJoinDto, TypingDto } from './dto/room.dto';
import { roomView, RoomsService } from './rooms.service';

/** Joining and leaving rooms, and typing in them. */
@Injectable()
export class RoomMembership {
  constructor(
    private readonly rooms: RoomsService,
    private readonly access: ChatAccess,
    private readonly messages: MessagesService,
    private readonly presence: PresenceService,
    private readonly pacing: ChatPacing,
    private readonly hub: ChatHub,
  ) {}

  /**
   * Enters the room (again, when catching up after a reconnect: joining twice is harmless) and answers with who is
   * there and the messages: the latest, or exactly those after `sinceId`. The connection joins before the messages
   * are read, so a message sent meanwhile arrives live or in the answer (or both: clients keep messages by id).
   */
  async join(conn: ChatConnection, input: RoomJoinDto): Promise<RoomJoined> {
    const room = await this.rooms.bySlug(input.room);
    const standing = await this.access.standing(conn.member.userId, room.id);
    this.access.assertMayEnter(standing);
    conn.join(room.id);
    const [members, page] = await Promise.all([
      this.presence.enter(room, conn.id, {
        userId: standing.userId,
        username: standing.username,
        displayName: standing.displayName,
      }),
      this.messages.forJoin(room, standing, input.sinceId),
    ]);
    return { room: roomView(room, new Date()), members, messages: page.items, more: page.more };
  }

  async leave(conn: ChatConnection, input: RoomDto): Promise<object> {
    const room = await this.rooms.bySlug(input.room);
    conn.leave(room.id);
    return {};
  }

  /** Volatile and throttled; not shown to members who blocked the typist. Typing is writing: silence, a mute or a
   *  kick keeps it from the room, as they keep messages. */
  async typing(conn: ChatConnection, input: TypingDto): Promise<TypingSent> {
    const room = await this.rooms.bySlug(input.room);
    if (!conn.inRoom(room.id)) throw forbidden(`Join the room "${room.slug}" first`);
    this.access.assertMayWrite(await this.access.standing(conn.member.userId, room.id));
    if (input.typing && !this.pacing.mayTypeNow(conn.member.userId, room.id)) return { sent: false };
    const blockedBy = await this.access.blockersOf(conn.member.userId);
    this.hub.typing(
      room.id,
      { room: room.slug, username: conn.member.username, typing: input.typing },
      blockedBy,
      conn.id,
    );
    return { sent: true };
  }
}
