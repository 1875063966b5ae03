import { randomUUID } from 'node:crypto';
import type { TestApp } from '../app';
import { bearer, createUser, type TestUser } from './users';
import { trust } from './forums';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/chat/chat-events';
import type {
  ConversationClientEvents,
  ConversationMessageEvent,
  ConversationServerEvents,
} from '../../src/conversations/conversation-events';
import type { ConversationMessageView, ConversationView } from '../../src/conversations/conversation-views';
import { type ChatClient, type ChatClients, rawEmitAck } from './chat';

/** A member with something approved already: she may start conversations. */
export async function trustedUser(t: TestApp): Promise<TestUser> {
  const user = await createUser(t);
  await trust(t, user);
  return user;
}

export interface StartedBody {
  conversation: ConversationView;
  message: ConversationMessageView;
  status: 'published' | 'pending';
  notice?: string;
}

/** Starts a conversation over HTTP and expects 201. */
export async function startConversation(
  t: TestApp,
  from: TestUser,
  to: TestUser[],
  body = 'Hello, how are you doing today?',
): Promise<StartedBody> {
  const res = await t.http
    .post('/api/conversations')
    .set(bearer(from.accessToken))
    .send({ usernames: to.map((u) => u.username), body, clientId: randomUUID() })
    .expect(201);
  return res.body as StartedBody;
}

/** Sends over HTTP and returns the answer (status code and body). */
export async function sendMessage(t: TestApp, from: TestUser, id: string, body: string, clientId = randomUUID()) {
  const res = await t.http
    .post(`/api/conversations/${id}/messages`)
    .set(bearer(from.accessToken))
    .send({ body, clientId });
  return { status: res.status, body: res.body as ConversationMessageView & { notice?: string; message?: string } };
}

/** A /chat socket that also speaks the conversations' events (their own typed map). */
export type ConversationClient = Socket<
  ServerToClientEvents & ConversationServerEvents,
  ClientToServerEvents & ConversationClientEvents
>;
type ConvEvent = keyof ConversationClientEvents;
type ConvAck<E extends ConvEvent> = Parameters<Parameters<ConversationClientEvents[E]>[1]>[0];

export async function connectConversations(clients: ChatClients, t: TestApp, who: TestUser) {
  return (await clients.connect(t, who)) as unknown as ConversationClient;
}

/** Emits a conversation event and resolves with its acknowledgement. */
export function convAck<E extends ConvEvent>(
  socket: ConversationClient,
  event: E,
  payload: Parameters<ConversationClientEvents[E]>[0],
): Promise<ConvAck<E>> {
  return rawEmitAck(socket as unknown as ChatClient, event, payload) as Promise<ConvAck<E>>;
}

/** Sends over the socket and expects it taken. */
export async function convSend(socket: ConversationClient, id: string, body: string, clientId = randomUUID()) {
  const ack = await convAck(socket, 'conversation:send', { id, body, clientId });
  if (!ack.ok) throw new Error(`send: ${ack.error.statusCode} ${ack.error.message}`);
  return ack;
}

/** The next `conversation:message` matching `accept` on this socket; rejects after 5 s. */
export function nextConversationMessage(
  socket: ConversationClient,
  accept: (e: ConversationMessageEvent) => boolean = () => true,
): Promise<ConversationMessageEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('conversation:message', listener);
      reject(new Error('no "conversation:message" within 5000 ms'));
    }, 5000);
    const listener = (e: ConversationMessageEvent) => {
      if (!accept(e)) return;
      clearTimeout(timer);
      socket.off('conversation:message', listener);
      resolve(e);
    };
    socket.on('conversation:message', listener);
  });
}

/** Every `conversation:message` from now on, in order of arrival. */
export function collectConversationMessages(socket: ConversationClient): ConversationMessageEvent[] {
  const seen: ConversationMessageEvent[] = [];
  socket.on('conversation:message', (e) => seen.push(e));
  return seen;
}

/**
 * To show that something did NOT reach `receiver`: `sender` sends a sentinel in the conversation afterwards, from
 * the process that would have sent the unwanted event; once the sentinel arrived, anything earlier would have too.
 */
export async function conversationSentinel(receiver: ConversationClient, sender: ConversationClient, id: string) {
  const body = `sentinel ${randomUUID()}`;
  const arrived = nextConversationMessage(receiver, (e) => e.message.body === body);
  await convSend(sender, id, body);
  return arrived;
}
