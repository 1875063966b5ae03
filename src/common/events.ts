import type { Role } from './auth/role';

/**
 * Typed events between features: one map, so a listener and its emitter cannot disagree on a name or a payload.
 * Emit with `TypedEvents.emit`, listen with `@OnEvent(EVENTS.x)` and the payload type from `EventPayload`.
 */
export const EVENTS = {
  userRegistered: 'user.registered',
  userRoleChanged: 'user.role_changed',
  sessionsRevoked: 'auth.sessions_revoked',
  postPublished: 'post.published',
  contentModerated: 'content.moderated',
  notificationCreated: 'notification.created',
  userSanctioned: 'user.sanctioned',
  moderationAlert: 'moderation.alert',
  chatMessageSent: 'chat.message_sent',
  chatModerated: 'chat.moderated',
} as const;

export interface EventPayloads {
  [EVENTS.userRegistered]: { userId: string; username: string };
  [EVENTS.userRoleChanged]: { userId: string; username: string; from: Role; to: Role; by: 'cli' | string };
  [EVENTS.sessionsRevoked]: { userId: string; sessionIds: string[] | 'all'; reason: string };
  /** A post became visible to members (on creation, or when a moderator approved it). */
  [EVENTS.postPublished]: {
    postId: string;
    threadId: string;
    threadTitle: string;
    authorId: string;
    /** The author as members see her: no name when the post is anonymous. */
    by: { username: string; displayName: string } | { username: null; displayName: string };
    anonymous: boolean;
    isFirstPost: boolean;
    replyToAuthorId: string | null;
    excerpt: string;
    mentions: string[];
    /** Crisis words were found in it (published, and queued first for moderators): never sent out by mail. */
    crisis: boolean;
    /** Who watches the thread (forums owns the subscriptions), read with the post in one query. */
    watcherIds: string[];
    /** Who blocked the author, read with the post (the users feature's column): their blocks apply unless anonymous. */
    blockerIds: string[];
  };
  /** A moderator acted on content (pin, lock, move, delete, edit...): the audit log listens. */
  [EVENTS.contentModerated]: {
    actorId: string;
    action: string;
    targetType: 'category' | 'page' | 'thread' | 'post' | 'comment' | 'chat_message' | 'site_page' | 'support_line';
    targetId: string;
    note?: string;
  };
  /** A notification was stored; it travels whole, so listeners (chat's live push) need not read the table. */
  [EVENTS.notificationCreated]: {
    userId: string;
    notificationId: string;
    kind: string;
    data: Record<string, unknown>;
    createdAt: string;
  };
  /** Takes effect at once: chat cuts the member's sockets on every process. */
  [EVENTS.userSanctioned]: { userId: string; kind: 'silence' | 'suspend' | 'ban'; until: string | null };
  /** For moderators online now: crisis words (sent by the publishing gate after the commit), new reports. */
  [EVENTS.moderationAlert]: {
    kind: 'crisis' | 'report';
    itemId: string;
    targetType: string;
    targetId: string;
    excerpt: string;
  };
  /** A chat message was stored (published, or held for review). */
  [EVENTS.chatMessageSent]: {
    messageId: string;
    roomId: string;
    authorId: string;
    status: 'published' | 'pending';
  };
  /**
   * A moderator acted in the live chat: a room created or changed, a member muted or kicked. (Deleting a chat
   * message is `content.moderated`.) For the audit log.
   */
  [EVENTS.chatModerated]: {
    actorId: string;
    action: string;
    targetType: 'chat_room' | 'user';
    targetId: string;
    note?: string;
  };
}
export type EventName = keyof EventPayloads;
export type EventPayload<E extends EventName> = EventPayloads[E];
