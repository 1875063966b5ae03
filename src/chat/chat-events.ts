import type { Namespace, Socket } from 'socket.io';
import type { Role } from '../common/auth/role';
import { userRoom } from '../common/realtime/realtime';
import type { MessageStatus } from './messages/chat-message.constants';
import type { RoomKind } from './rooms/chat-room.constants';

/**
 * The one map of the live chat's events, both ways, with their payloads and acknowledgements. The gateway, the
 * services that broadcast and the clients (tests, the benchmark, the web page) all type their sockets with it, so a
 * name or a payload cannot drift between them. `docs/api.md` (Live events) describes them for clients.
 */

/** Every acknowledgement: `{ok: true, ...}` or `{ok: false, error}` (shared by every feature on /chat). */
export type { Ack, AckCallback, AckError } from '../common/realtime/acks';
import type { AckCallback } from '../common/realtime/acks';

export interface AuthorView {
  username: string;
  displayName: string;
}

export interface ChatMessageView {
  id: string;
  /** The room's slug. */
  room: string;
  author: AuthorView;
  /** Null once deleted (or hidden, for members): the message keeps its place without its text. */
  body: string | null;
  bodyHtml: string;
  clientId: string;
  status: MessageStatus;
  createdAt: string;
  /** For the author and moderators, while it waits: why the publishing gate held it. */
  heldReason?: string;
}

export interface RoomView {
  id: string;
  slug: string;
  name: string;
  description: string;
  kind: RoomKind;
  startsAt: string | null;
  endsAt: string | null;
  slowModeSeconds: number;
  /** Whether the room takes messages now (always for open rooms; within its window for a session). */
  acceptingMessages: boolean;
}

export interface PresenceMember {
  username: string;
  displayName: string;
}

export interface PresenceView {
  room: string;
  /** Members online in the room (each once, however many tabs), by display name; at most PRESENCE_LIST_MAX. */
  members: PresenceMember[];
  /** How many members are online, also when `members` is cut short. */
  count: number;
}

// ---- client -> server ------------------------------------------------------------------------------------------

export interface RoomJoinPayload {
  room: string;
  /** The last message id the client has: the ack then carries exactly the messages after it. */
  sinceId?: string;
}
export interface RoomPayload {
  room: string;
}
export interface MessageSendPayload {
  room: string;
  body: string;
  /** The client's own id for this message (1-64 of A-Z a-z 0-9 _ -): resending it never stores a second copy. */
  clientId: string;
}
export interface MessageDeletePayload {
  id: string;
}
export interface TypingPayload {
  room: string;
  typing: boolean;
}
export interface RoomMutePayload {
  room: string;
  username: string;
  /** 1 to 10080 (a week); 0 lifts the mute. */
  minutes: number;
}
export interface RoomKickPayload {
  room: string;
  username: string;
  /** How long they may not rejoin: 0 to 10080 minutes, default 10. */
  minutes?: number;
}

export interface RoomJoined {
  room: RoomView;
  members: PresenceMember[];
  /** Oldest first: the latest ones, or all those after `sinceId` (at most 500). */
  messages: ChatMessageView[];
  /**
   * With `sinceId`: more were missed than these, fetch the rest with REST `?after=<last id>`. Without: there are
   * older messages, REST `?before=<first id>`.
   */
  more: boolean;
}
export interface MessageSent {
  message: ChatMessageView;
  status: MessageStatus;
  /** Support resources, when the message touched on crisis. */
  notice?: string;
  /** This clientId had already been sent: this is the message stored then. */
  duplicate?: true;
}
export interface TypingSent {
  /** False when throttled (one typing signal per member and room every 2 s): nothing was sent. */
  sent: boolean;
}
export interface Restricted {
  until: string | null;
}

export interface ClientToServerEvents {
  'room:join': (payload: RoomJoinPayload, ack: AckCallback<RoomJoined>) => void;
  'room:leave': (payload: RoomPayload, ack: AckCallback) => void;
  'message:send': (payload: MessageSendPayload, ack: AckCallback<MessageSent>) => void;
  'message:delete': (payload: MessageDeletePayload, ack: AckCallback<{ id: string; room: string }>) => void;
  typing: (payload: TypingPayload, ack: AckCallback<TypingSent>) => void;
  'room:mute': (payload: RoomMutePayload, ack: AckCallback<Restricted>) => void;
  'room:kick': (payload: RoomKickPayload, ack: AckCallback<Restricted>) => void;
}

// ---- server -> client ------------------------------------------------------------------------------------------

export interface ModerationAlertView {
  kind: 'crisis' | 'report';
  itemId: string;
  targetType: string;
  targetId: string;
  excerpt: string;
}

export interface NotificationPush {
  id: string;
  kind: string;
  data: Record<string, unknown>;
  read: boolean;
  createdAt: string;
}

export interface ServerToClientEvents {
  message: (message: ChatMessageView) => void;
  'message:deleted': (event: { id: string; room: string }) => void;
  presence: (presence: PresenceView) => void;
  typing: (event: { room: string; username: string; typing: boolean }) => void;
  /** To the muted member: `until` null when a mute is lifted. */
  'room:muted': (event: { room: string; until: string | null }) => void;
  /** To the kicked member, whose sockets have left the room; they may rejoin after `until`. */
  'room:kicked': (event: { room: string; until: string | null }) => void;
  'moderation:alert': (alert: ModerationAlertView) => void;
  notification: (notification: NotificationPush) => void;
  /** Just before a sanction or a sign-out cuts the connection: why. */
  'session:ended': (event: { reason: string; message: string }) => void;
}

/** Nothing is sent between server processes but Socket.IO's own adapter traffic. */
export type InterServerEvents = Record<string, never>;

/** Who the socket belongs to, as resolved at the handshake. Rights are checked afresh on every write. */
export interface ChatSocketData {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  sessionId: string;
}

export type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, ChatSocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, ChatSocketData>;

/** Socket.IO rooms, by id: a member's sockets, a session's, the moderators online, a chat room. */
export const socketRooms = {
  user: userRoom,
  session: (sessionId: string) => `session:${sessionId}`,
  moderators: 'moderators',
  room: (roomId: string) => `room:${roomId}`,
  /** The chat room id of a Socket.IO room name, or undefined for the other kinds. */
  roomIdOf: (name: string): string | undefined => (name.startsWith('room:') ? name.slice(5) : undefined),
} as const;
