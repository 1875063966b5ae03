import { randomUUID } from 'node:crypto';
import type { TestApp } from '../app';
import { bearer, createUser, type TestUser } from './users';
import { trust } from './forums';
import type { ConversationMessageView, ConversationView } from '../../src/conversations/conversation-views';

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
