import { randomBytes, randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients } from './factories/chat';
import {
  collectConversationMessages,
  connectConversations,
  convAck,
  conversationSentinel,
  convSend,
  nextConversationMessage,
  startConversation,
  trustedUser,
} from './factories/conversations';
import { bearer, createUser } from './factories/users';
import type { ConversationMessageView } from '../src/conversations/conversation-views';

/**
 * Private conversations live on two Havens sharing one database and one Redis (two server processes behind a load
 * balancer without sticky sessions): delivery to every participant's own room, the sender's other tabs, idempotent
 * resends, catch-up with sinceId, blocks at once both ways, and held messages that reach only their author.
 */
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

withRedis('Conversations on two server processes (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  const clients = new ChatClients();
  const shared = { REDIS_PREFIX: `haven:test:conv-procs:${randomBytes(4).toString('hex')}:` };

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp(shared), startTestApp(shared)]);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('delivers to the other participant and to the sender’s other tabs on the other process, not to the sending socket', async () => {
    const [ann, bea] = await Promise.all([trustedUser(a), createUser(a)]);
    const { conversation } = await startConversation(a, ann, [bea]);
    const annA = await connectConversations(clients, a, ann);
    const annB = await connectConversations(clients, b, ann);
    const beaB = await connectConversations(clients, b, bea);
    const onSender = collectConversationMessages(annA);
    const toBea = nextConversationMessage(beaB);
    const toOtherTab = nextConversationMessage(annB);
    const sent = await convSend(annA, conversation.id, 'Hello from process A');
    expect(sent.status).toBe('published');
    expect(await toBea).toEqual({ conversationId: conversation.id, message: sent.message });
    expect((await toOtherTab).message.id).toBe(sent.message.id);
    // Bea answers from B: once her answer reached ann's sending socket on A, ann's own message would have too.
    const back = await conversationSentinel(annA, beaB, conversation.id);
    expect(onSender.map((e) => e.message.id)).toEqual([back.message.id]);
  });

  it('stores a resent clientId once and answers with the same message, on either process', async () => {
    const [ann, bea] = await Promise.all([trustedUser(a), createUser(a)]);
    const { conversation } = await startConversation(a, ann, [bea]);
    const annA = await connectConversations(clients, a, ann);
    const annB = await connectConversations(clients, b, ann);
    const clientId = randomUUID();
    const first = await convSend(annA, conversation.id, 'only once', clientId);
    const again = await convSend(annB, conversation.id, 'only once (resent)', clientId);
    expect(again).toMatchObject({ duplicate: true, message: { id: first.message.id, body: 'only once' } });
    const history = await b.http
      .get(`/api/conversations/${conversation.id}/messages`)
      .set(bearer(bea.accessToken))
      .expect(200);
    expect(
      (history.body as { items: ConversationMessageView[] }).items.filter((m) => m.clientId === clientId),
    ).toHaveLength(1);
  });

  it('catches up with sinceId: exactly the messages after it, oldest first', async () => {
    const [ann, bea] = await Promise.all([trustedUser(a), createUser(a)]);
    const { conversation, message } = await startConversation(a, ann, [bea], 'first');
    const annA = await connectConversations(clients, a, ann);
    for (const body of ['second', 'third']) await convSend(annA, conversation.id, body);
    const beaB = await connectConversations(clients, b, bea);
    const joined = await convAck(beaB, 'conversation:join', { id: conversation.id, sinceId: message.id });
    expect(joined).toMatchObject({ ok: true, more: false, conversation: { id: conversation.id, unread: 3 } });
    expect(joined.ok && joined.messages.map((m) => m.body)).toEqual(['second', 'third']);
    const latest = await convAck(beaB, 'conversation:join', { id: conversation.id });
    expect(latest.ok && latest.messages.map((m) => m.body)).toEqual(['first', 'second', 'third']);
    const read = await convAck(beaB, 'conversation:read', {
      id: conversation.id,
      upToId: latest.ok ? latest.messages[2].id : '0',
    });
    expect(read.ok).toBe(true);
    const after = await a.http.get(`/api/conversations/${conversation.id}`).set(bearer(bea.accessToken)).expect(200);
    expect(after.body).toMatchObject({ unread: 0 });
  });

  it('stops a conversation at once when either member blocks the other, on both processes', async () => {
    const [ann, bea] = await Promise.all([trustedUser(a), trustedUser(a)]);
    const { conversation } = await startConversation(a, ann, [bea]);
    const annA = await connectConversations(clients, a, ann);
    await b.http.post(`/api/users/${ann.username}/block`).set(bearer(bea.accessToken)).expect(204);
    const refused = await convAck(annA, 'conversation:send', { id: conversation.id, body: 'hello?', clientId: 'b1' });
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
    const beaSends = await b.http
      .post(`/api/conversations/${conversation.id}/messages`)
      .set(bearer(bea.accessToken))
      .send({ body: 'bye', clientId: 'b2' });
    expect(beaSends.status).toBe(403);
    for (const [from, to, app] of [
      [ann, bea, a],
      [bea, ann, b],
    ] as const) {
      const res = await app.http
        .post('/api/conversations')
        .set(bearer(from.accessToken))
        .send({ usernames: [to.username], body: 'hi', clientId: randomUUID() })
        .expect(403);
      expect(JSON.stringify(res.body)).toContain(`@${to.username} is not taking new conversations from you`);
    }
  });

  it('tells the others at once when a member leaves, and sends her nothing more; non-participants get 404', async () => {
    const [ann, bea, cat] = await Promise.all([trustedUser(a), createUser(a), createUser(a)]);
    const group = await startConversation(a, ann, [bea, cat]);
    const aside = await startConversation(a, ann, [cat]);
    const annA = await connectConversations(clients, a, ann);
    const catB = await connectConversations(clients, b, cat);
    const left = new Promise<{ conversationId: string; username: string }>((resolve) =>
      annA.on('conversation:left', resolve),
    );
    await b.http
      .delete(`/api/conversations/${group.conversation.id}/participants/me`)
      .set(bearer(cat.accessToken))
      .expect(204);
    expect(await left).toEqual({ conversationId: group.conversation.id, username: cat.username });
    const catSees = collectConversationMessages(catB);
    await convSend(annA, group.conversation.id, 'cat is gone');
    const last = await conversationSentinel(catB, annA, aside.conversation.id);
    expect(catSees.map((e) => e.message.id)).toEqual([last.message.id]);
    const eve = await createUser(a);
    const eveB = await connectConversations(clients, b, eve);
    for (const [event, payload] of [
      ['conversation:join', { id: group.conversation.id }],
      ['conversation:send', { id: group.conversation.id, body: 'hi', clientId: 'e1' }],
      ['conversation:read', { id: group.conversation.id, upToId: '1' }],
    ] as const) {
      expect(await convAck(eveB, event, payload as never)).toMatchObject({ ok: false, error: { statusCode: 404 } });
    }
    expect(await convAck(eveB, 'conversation:send', { id: 'x' } as never)).toMatchObject({
      ok: false,
      error: { statusCode: 400 },
    });
  });

  it('shows a held message to its author only, and delivers it once a moderator approves it', async () => {
    const mod = await createUser(a, { role: 'admin' });
    const word = `holdword${randomUUID().slice(0, 8)}`;
    await a.http
      .post('/api/moderation/watched-words')
      .set(bearer(mod.accessToken))
      .send({ pattern: word, action: 'hold' })
      .expect(201);
    const [ann, bea] = await Promise.all([trustedUser(a), createUser(a)]);
    const { conversation } = await startConversation(a, ann, [bea]);
    const annA = await connectConversations(clients, a, ann);
    const annB = await connectConversations(clients, b, ann);
    const beaB = await connectConversations(clients, b, bea);
    const beaSees = collectConversationMessages(beaB);
    const otherTab = nextConversationMessage(annB);
    const held = await convSend(annA, conversation.id, `this has ${word} in it`);
    expect(held).toMatchObject({ status: 'pending', message: { status: 'pending' } });
    expect((await otherTab).message.id).toBe(held.message.id);
    const last = await conversationSentinel(beaB, annA, conversation.id);
    expect(beaSees.map((e) => e.message.id)).toEqual([last.message.id]);

    const queue = await a.http.get('/api/moderation/queue?limit=100').set(bearer(mod.accessToken)).expect(200);
    const item = (queue.body as { items: Array<{ id: string; targetType: string; targetId: string }> }).items.find(
      (i) => i.targetType === 'conversation_message' && i.targetId === held.message.id,
    );
    expect(item).toBeDefined();
    const approved = nextConversationMessage(beaB, (e) => e.message.id === held.message.id);
    await a.http
      .post(`/api/moderation/queue/${item!.id}/resolve`)
      .set(bearer(mod.accessToken))
      .send({ action: 'approve' })
      .expect(200);
    expect((await approved).message).toMatchObject({ status: 'published', body: `this has ${word} in it` });

    // A member who was away since the newer message catches up on the approved one, though its id is older.
    expect(Number(held.message.id)).toBeLessThan(Number(last.message.id));
    const beaAgain = await connectConversations(clients, a, bea);
    const caughtUp = await convAck(beaAgain, 'conversation:join', { id: conversation.id, sinceId: last.message.id });
    expect(caughtUp.ok && caughtUp.messages.map((m) => m.id)).toEqual([held.message.id]);
    const rest = await b.http
      .get(`/api/conversations/${conversation.id}/messages?after=${last.message.id}`)
      .set(bearer(bea.accessToken))
      .expect(200);
    expect((rest.body as { items: Array<{ id: string }> }).items.map((m) => m.id)).toEqual([held.message.id]);
  });
});
