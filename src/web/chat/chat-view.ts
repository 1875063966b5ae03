import { readerZone, type ZoneClock } from '../core/dates';
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../common/auth/principal';
import type { ChatConnection } from '../../chat/chat-connection';
import type { ChatMessageView, RoomView } from '../../chat/chat-events';

/** A fresh id for one composed message: a form sent twice (a double click, a resend) stores one message. */
export function newClientId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Sending from the room page's form goes through the same MessagesService.send as the socket, with this stand-in
 * for a connection: the member is on the room's page, so "in" the room; a kick, a mute, a sanction, the session's
 * window, the publishing gate and the pacing are all checked by the service as for a socket. Its id names no socket,
 * so the broadcast reaches every socket in the room (the member's own open tabs too).
 */
export function pageConnection(me: Principal): ChatConnection {
  return {
    id: `page:${randomBytes(8).toString('hex')}`,
    member: {
      userId: me.id,
      username: me.username,
      displayName: me.displayName,
      role: me.role,
      sessionId: me.sessionId,
    },
    inRoom: () => true,
    join: () => undefined,
    leave: () => undefined,
  };
}

/** What the templates show of a message; withheld ones (deleted, or hidden from members) are left out. */
export interface MessageItem {
  id: string;
  author: string;
  own: boolean;
  createdAt: string;
  when: string;
  bodyHtml: string;
  status: ChatMessageView['status'];
}

/** Times read "3 Nov, 14:05 UTC" or in the reader's zone, named; the chat island writes the ones it adds alike. */
export function messageItems(messages: ChatMessageView[], me: Principal): MessageItem[] {
  const zone = readerZone(me);
  return messages
    .filter((m) => m.body !== null)
    .map((m) => ({
      id: m.id,
      author: m.author.displayName,
      own: m.author.username === me.username,
      createdAt: m.createdAt,
      when: zone.clock(m.createdAt),
      bodyHtml: m.bodyHtml,
      status: m.status,
    }));
}

/**
 * A room's times and state, in words: "Open any time", or a session's window in the reader's zone, named ("3 Dec,
 * 18:00 to 19:00 UTC"), and whether it is on now.
 */
export function roomSchedule(room: RoomView, zone: ZoneClock, now = new Date()): { label: string; open: boolean } {
  if (room.kind === 'open') return { label: 'Open any time', open: true };
  const starts = new Date(room.startsAt!);
  const ends = new Date(room.endsAt!);
  const window = zone.span(starts, ends);
  if (now < starts) return { label: `Session: ${window}. Opens then.`, open: false };
  if (now >= ends) return { label: `Session: ${window}. It has ended.`, open: false };
  return { label: `Session: ${window}. On now.`, open: true };
}
