import { randomBytes } from 'node:crypto';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import type {
  ConversationMessageView,
  ConversationSummary,
  ConversationView,
} from '../../conversations/conversation-views';
import type { ZoneClock } from '../core/dates';

/** A fresh id for one composed message: a form sent twice (a double click, a resend) stores one message. */
export function newClientId(): string {
  return randomBytes(12).toString('base64url');
}

/** A conversation's id from an address: anything but a number is a conversation that does not exist (404). */
export function knownId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw notFound('Conversation');
  return id;
}

/** What the people in a conversation are called on its pages: the others, by name; "the moderation team" for care. */
export interface Person {
  username: string;
  displayName: string;
  left: boolean;
}

/** The others in a conversation (she is not listed among the people she talks with). */
export function others(conversation: Pick<ConversationView, 'participants'>, me: Principal): Person[] {
  return conversation.participants
    .filter((p) => p.username !== me.username)
    .map((p) => ({ username: p.username, displayName: p.displayName, left: p.left === true }));
}

/** "Ann", "Ann and Bea", "Ann, Bea and Cat"; "Messages from the moderation team" for a care conversation. */
export function titleOf(conversation: Pick<ConversationView, 'participants' | 'fromTeam'>, me: Principal): string {
  if (conversation.fromTeam) return 'Messages from the moderation team';
  const names = others(conversation, me).map((p) => p.displayName);
  if (names.length === 0) return 'Just you now';
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One conversation in her list: who it is with, when it last moved, whether it holds messages she has not read. */
export function summaryItem(c: ConversationSummary, me: Principal, zone: ZoneClock) {
  const last = c.lastMessage;
  const lastBy = last && (last.author?.username === me.username ? 'You' : last.author?.displayName);
  return {
    id: c.id,
    title: titleOf(c, me),
    unread: c.unread > 0,
    unreadLabel:
      c.unread >= UNREAD_SHOWN
        ? `${UNREAD_SHOWN}+ new messages`
        : c.unread === 1
          ? '1 new message'
          : `${c.unread} new messages`,
    fromTeam: c.fromTeam,
    lastActivityAt: c.lastActivityAt,
    when: zone.ago(c.lastActivityAt),
    excerpt: last?.body ? `${lastBy ? `${lastBy}: ` : ''}${plainTextExcerpt(last.body, 120)}` : undefined,
  };
}

/** Unread counts are counted up to 99 by the service: more reads "99+". */
const UNREAD_SHOWN = 99;

/** What the templates show of a message; the island writes the ones it adds alike. */
export interface MessageItem {
  id: string;
  author: string;
  own: boolean;
  fromTeam: boolean;
  createdAt: string;
  when: string;
  bodyHtml: string;
  status: string;
  /** Why it waits for a moderator (to its author only). */
  heldReason?: string;
  /** Deleted, or hidden by a moderator: it keeps its place without its text. */
  withheld: boolean;
}

export function messageItem(m: ConversationMessageView, me: Principal, zone: ZoneClock): MessageItem {
  const own = m.author?.username === me.username;
  return {
    id: m.id,
    author: own ? 'You' : m.fromTeam && !m.author ? 'The moderation team' : (m.author?.displayName ?? 'Former member'),
    own,
    fromTeam: m.fromTeam,
    createdAt: m.createdAt,
    when: zone.clock(m.createdAt),
    bodyHtml: m.bodyHtml,
    status: m.status,
    heldReason: own ? m.heldReason : undefined,
    withheld: m.body === null,
  };
}

/** The usernames typed in the "To" field: separated by commas or spaces, an @ before a name forgiven. */
export function usernamesOf(typed: string): string[] {
  return typed
    .split(/[\s,;]+/)
    .map((u) => u.replace(/^@/, '').trim())
    .filter((u) => u !== '');
}
