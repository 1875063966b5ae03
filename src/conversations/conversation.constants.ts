/** The vocabulary of conversations, kept apart from the entity classes (others may import it). */
import { CONTENT_STATUSES, type ContentStatus } from '../publishing/content-policy';

/** Two members, a small group, or a care conversation a moderator opened from the queue. */
export const CONVERSATION_KINDS = ['direct', 'group', 'care'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

/** Who may start a conversation with a member: anyone, members she has talked with, or nobody. */
export const ACCEPT_SETTINGS = ['everyone', 'known', 'nobody'] as const;
export type AcceptSetting = (typeof ACCEPT_SETTINGS)[number];
export const DEFAULT_ACCEPT: AcceptSetting = 'everyone';

export const CONVERSATION_MESSAGE_STATUSES = CONTENT_STATUSES;
export type ConversationMessageStatus = ContentStatus;

/** Everyone in one conversation, the starter included. */
export const MAX_PARTICIPANTS = 8;
/** The longest message, in characters. */
export const MESSAGE_MAX_LENGTH = 20000;
