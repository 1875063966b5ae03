import { withholdsText } from '../publishing/content-policy';
import type { ConversationKind, ConversationMessageStatus } from './conversation.constants';

/** What clients see of conversations and their messages: the contract's views, built from raw rows. */

export interface ConversationAuthor {
  username: string;
  displayName: string;
}

export interface ParticipantView extends ConversationAuthor {
  /** She left the conversation. */
  left?: true;
}

export interface ConversationView {
  id: string;
  kind: ConversationKind;
  /** Everyone in it, in the order they joined (the reader included); those who left are marked. */
  participants: ParticipantView[];
  createdAt: string;
  lastActivityAt: string;
  /** Published messages from others after her read mark (at most UNREAD_CAP). */
  unread: number;
  /** A care conversation a moderator opened from the moderation queue. */
  fromTeam: boolean;
}

export interface ConversationMessageView {
  id: string;
  conversationId: string;
  /** Null when nothing names the author any more. */
  author: ConversationAuthor | null;
  /** Written for the moderation team. */
  fromTeam: boolean;
  /** Null once deleted (or hidden, for members): the message keeps its place without its text. */
  body: string | null;
  bodyHtml: string;
  clientId: string;
  status: ConversationMessageStatus;
  createdAt: string;
  /** For the author, while it waits: why the publishing gate held it. */
  heldReason?: string;
}

/** A conversation in her list: the view and its latest message she can see (null: none yet). */
export interface ConversationSummary extends ConversationView {
  lastMessage: ConversationMessageView | null;
}

/** Unread counts stop here ("99+" on a page); counting further costs reads nobody needs. */
export const UNREAD_CAP = 99;

export interface MessageRow {
  id: string;
  conversationId: string;
  authorId: string;
  username: string;
  displayName: string;
  fromTeam: boolean;
  body: string;
  bodyHtml: string;
  clientId: string;
  status: ConversationMessageStatus;
  heldReason: string | null;
  createdAt: Date;
}

export const MESSAGE_COLUMNS = `m.id, m.conversation_id AS "conversationId", m.author_id AS "authorId", u.username,
  u.display_name AS "displayName", m.from_team AS "fromTeam", m.body, m.body_html AS "bodyHtml",
  m.client_id AS "clientId", m.status, m.held_reason AS "heldReason", m.created_at AS "createdAt"`;

/** A message as this participant sees it: deleted and hidden ones keep their place without their text. */
export function messageView(r: MessageRow, viewerId: string): ConversationMessageView {
  const withheld = withholdsText(r, { id: viewerId, moderator: false });
  const own = r.authorId === viewerId;
  return {
    id: r.id,
    conversationId: r.conversationId,
    author: { username: r.username, displayName: r.displayName },
    fromTeam: r.fromTeam,
    body: withheld ? null : r.body,
    bodyHtml: withheld ? '' : r.bodyHtml,
    clientId: r.clientId,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    ...(r.status === 'pending' && own && r.heldReason ? { heldReason: r.heldReason } : {}),
  };
}

export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  fromTeam: boolean;
  createdAt: Date;
  lastActivityAt: Date;
  unread: number;
  participants: Array<{ username: string; displayName: string; left: boolean }>;
}

export function conversationView(r: ConversationRow): ConversationView {
  return {
    id: r.id,
    kind: r.kind,
    participants: r.participants.map((p) => ({
      username: p.username,
      displayName: p.displayName,
      ...(p.left ? { left: true as const } : {}),
    })),
    createdAt: r.createdAt.toISOString(),
    lastActivityAt: new Date(r.lastActivityAt).toISOString(),
    unread: r.unread,
    fromTeam: r.fromTeam,
  };
}
