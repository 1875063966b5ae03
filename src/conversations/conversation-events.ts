import type { AckCallback } from '../common/realtime/acks';
import type { ConversationMessageView, ConversationView } from './conversation-views';

/**
 * The conversations' events on the `/chat` namespace, both ways, with their payloads and acknowledgements: a
 * sibling of the chat's event map (src/chat/chat-events.ts), typed for the gateway's dispatch, the tests and the
 * page's island alike.
 */

export interface ConversationJoinPayload {
  id: string;
  /** The last message id the client has: the ack then carries exactly the messages after it (at most 500). */
  sinceId?: string;
}
export interface ConversationSendPayload {
  id: string;
  body: string;
  /** The client's own id for this message (1-64 of A-Z a-z 0-9 _ -): resending it never stores a second copy. */
  clientId: string;
}
export interface ConversationReadPayload {
  id: string;
  upToId: string;
}

export interface ConversationJoined {
  conversation: ConversationView;
  /** Oldest first: the latest ones, or all those after `sinceId` (at most 500). */
  messages: ConversationMessageView[];
  /** With `sinceId`: more were missed than these (REST `?after=<last id>`); without: older ones exist. */
  more: boolean;
}
export interface ConversationMessageSent {
  message: ConversationMessageView;
  status: 'published' | 'pending';
  /** Support resources, when the message touched on crisis. */
  notice?: string;
  /** This clientId had already been sent: this is the message stored then. */
  duplicate?: true;
}

export interface ConversationClientEvents {
  'conversation:join': (payload: ConversationJoinPayload, ack: AckCallback<ConversationJoined>) => void;
  'conversation:send': (payload: ConversationSendPayload, ack: AckCallback<ConversationMessageSent>) => void;
  'conversation:read': (payload: ConversationReadPayload, ack: AckCallback) => void;
}

/** `conversation:message` goes to every present participant's own room (a held one to its author's only). */
export interface ConversationMessageEvent {
  conversationId: string;
  message: ConversationMessageView;
}
export interface ConversationServerEvents {
  'conversation:message': (event: ConversationMessageEvent) => void;
  /** A participant left: the others see her marked as left. */
  'conversation:left': (event: { conversationId: string; username: string }) => void;
}
