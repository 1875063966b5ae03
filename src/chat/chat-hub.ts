import { Injectable } from '@nestjs/common';
import { hasRole } from '../common/auth/principal';
import type {
  ChatMessageView,
  ChatNamespace,
  ChatSocket,
  ModerationAlertView,
  NotificationPush,
  PresenceView,
} from './chat-events';
import { socketRooms } from './chat-events';

/**
 * Everything the chat sends to clients, in one place. Every broadcast addresses Socket.IO rooms (a chat room, a
 * member's sockets, a session's, the moderators), never a socket object, so with the Redis streams adapter it reaches
 * the sockets of every server process, and what one process decides (a kick, a ban) acts on all of them.
 *
 * In a process without the gateway (the admin CLI builds the same modules) nothing is attached and every call is a
 * no-op.
 */
@Injectable()
export class ChatHub {
  private nsp?: ChatNamespace;

  attach(nsp: ChatNamespace): void {
    this.nsp = nsp;
  }

  get attached(): boolean {
    return this.nsp !== undefined;
  }

  /** A new connection joins its member's room, its session's room and, for moderators, theirs. */
  welcome(socket: ChatSocket): void {
    const { userId, sessionId, role } = socket.data;
    const rooms = [socketRooms.user(userId), socketRooms.session(sessionId)];
    if (hasRole({ role }, 'moderator')) rooms.push(socketRooms.moderators);
    void socket.join(rooms);
  }

  /**
   * A message to everyone in the room but the members who blocked its author (each member's sockets sit in
   * `user:<id>`, so `except` filters them on every process) and the socket that sent it (it has its ack).
   */
  message(roomId: string, message: ChatMessageView, blockedBy: string[], exceptSocketId?: string): void {
    this.nsp
      ?.to(socketRooms.room(roomId))
      .except([...blockedBy.map(socketRooms.user), ...(exceptSocketId ? [exceptSocketId] : [])])
      .emit('message', message);
  }

  /** A held message, to its author's other sockets only. */
  messageToAuthor(authorId: string, message: ChatMessageView, exceptSocketId?: string): void {
    this.nsp
      ?.to(socketRooms.user(authorId))
      .except(exceptSocketId ? [exceptSocketId] : [])
      .emit('message', message);
  }

  messageGone(roomId: string, event: { id: string; room: string; status?: string }): void {
    this.nsp?.to(socketRooms.room(roomId)).emit('message:deleted', event);
  }

  presence(roomId: string, presence: PresenceView): void {
    this.nsp?.to(socketRooms.room(roomId)).emit('presence', presence);
  }

  /** Typing signals are volatile: dropped rather than queued for a slow or reconnecting client. */
  typing(
    roomId: string,
    event: { room: string; username: string; typing: boolean },
    blockedBy: string[],
    exceptSocketId: string,
  ): void {
    this.nsp?.volatile
      .to(socketRooms.room(roomId))
      .except([...blockedBy.map(socketRooms.user), exceptSocketId])
      .emit('typing', event);
  }

  muted(userId: string, event: { room: string; until: string | null }): void {
    this.nsp?.to(socketRooms.user(userId)).emit('room:muted', event);
  }

  /** Tells the member, then takes every socket of theirs, on every process, out of the room. */
  kicked(userId: string, roomId: string, event: { room: string; until: string | null }): void {
    this.nsp?.to(socketRooms.user(userId)).emit('room:kicked', event);
    this.nsp?.in(socketRooms.user(userId)).socketsLeave(socketRooms.room(roomId));
  }

  alertModerators(alert: ModerationAlertView): void {
    this.nsp?.to(socketRooms.moderators).emit('moderation:alert', alert);
  }

  notify(userId: string, notification: NotificationPush): void {
    this.nsp?.to(socketRooms.user(userId)).emit('notification', notification);
  }

  /** A promotion or demotion: the member's sockets join or leave the moderators' room, on every process. */
  setModerator(userId: string, moderator: boolean): void {
    const sockets = this.nsp?.in(socketRooms.user(userId));
    if (moderator) sockets?.socketsJoin(socketRooms.moderators);
    else sockets?.socketsLeave(socketRooms.moderators);
  }

  /** Says why, then cuts the connections of a member (every session) or of some sessions, on every process. */
  endSessions(target: { userId: string } | { sessionIds: string[] }, reason: string, message: string): void {
    if (!this.nsp) return;
    const rooms =
      'userId' in target ? [socketRooms.user(target.userId)] : target.sessionIds.map((id) => socketRooms.session(id));
    if (rooms.length === 0) return;
    this.nsp.to(rooms).emit('session:ended', { reason, message });
    this.nsp.in(rooms).disconnectSockets(true);
  }
}
