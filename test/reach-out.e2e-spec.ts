import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients, createRoom, send } from './factories/chat';
import { connectConversations, convAck, convSend, nextConversationMessage } from './factories/conversations';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { signInBrowser } from './factories/web';
import { commentHelpers } from './support/comments-app';
import { ownDatabase, type OwnDatabase } from './support/own-database';

/**
 * A moderator sees a crisis item and reaches out privately in one click; the member answers live. The starter
 * text is the admin's (a global setting): this file has a database of its own.
 */
describe('Reaching out from the queue (e2e)', () => {
  let own: OwnDatabase;
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let slug: string;
  let crisisWord: string;
  const clients = new ChatClients();
  const { newPage, guestComment } = commentHelpers(() => ({ t, admin, mod }));

  /** A second process on the same database and Redis, as behind a load balancer (when the run has Redis). */
  let t2: TestApp | undefined;

  beforeAll(async () => {
    own = await ownDatabase();
    const shared = { DATABASE_URL: own.url, REDIS_PREFIX: `haven:test:reach-out:${randomUUID().slice(0, 8)}:` };
    t = await startTestApp(shared);
    if (process.env.REDIS_URL) t2 = await startTestApp(shared);
    admin = await createUser(t, { role: 'admin' });
    mod = await createUser(t, { role: 'moderator' });
    slug = (await createCategory(t, admin)).slug;
    crisisWord = `nowayout${randomUUID().slice(0, 6)}`;
    await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: crisisWord, action: 'crisis' })
      .expect(201);
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await t2?.close();
    await t.close();
    await own.drop();
  });

  async function itemFor(targetType: string, targetId: string): Promise<{ id: string; crisis: boolean } & object> {
    const res = await t.http.get('/api/moderation/queue?limit=100').set(bearer(mod.accessToken)).expect(200);
    const item = (res.body.items as Array<{ id: string; crisis: boolean; targetType: string; targetId: string }>).find(
      (i) => i.targetType === targetType && i.targetId === targetId,
    );
    if (!item) throw new Error(`no queue item for ${targetType} ${targetId}`);
    return item;
  }

  const reachOut = (itemId: string, who: TestUser | null = mod, body?: Record<string, unknown>) => {
    const req = t.http.post(`/api/moderation/queue/${itemId}/reach-out`);
    return (who ? req.set(bearer(who.accessToken)) : req).send(body ?? {});
  };

  /** A crisis reply in a thread, by `author`: its queue item. */
  async function crisisReply(author: TestUser, extra: Record<string, unknown> = {}) {
    const { threadId } = await createThread(t, author, slug);
    const res = await reply(t, author, threadId, `Tonight I feel there is ${crisisWord} for me`, extra).expect(201);
    return itemFor('post', res.body.id as string);
  }

  it('opens a care conversation from a crisis chat message in one click: she gets it live, even accepting nobody, and answers', async () => {
    const ann = await createUser(t);
    await t.http
      .patch('/api/me/conversation-settings')
      .set(bearer(ann.accessToken))
      .send({ accept: 'nobody' })
      .expect(200);
    const room = await createRoom(t, mod);
    const a = await clients.joined(t, ann, room.slug);
    const sent = await send(a.socket, room.slug, `I can't see a way on, ${crisisWord}`);
    const item = await itemFor('chat_message', sent.message.id);
    expect(item.crisis).toBe(true);

    const modSocket = await connectConversations(clients, t, mod);
    const annSocket = a.socket as unknown as Parameters<typeof nextConversationMessage>[0];
    const arrives = nextConversationMessage(annSocket, (d) => d.message.fromTeam);
    const opened = await reachOut(item.id).expect(201);
    expect(opened.body).toMatchObject({
      conversation: { kind: 'care', fromTeam: true },
      message: { fromTeam: true, body: expect.stringContaining('moderation team') },
    });
    const conversationId = opened.body.conversation.id as string;
    const got = await arrives;
    expect(got).toMatchObject({ conversationId, message: { id: opened.body.message.id, fromTeam: true } });
    expect(got.message.body).toContain('support lines');

    // She answers over the socket; the moderator receives it live.
    const answerSeen = nextConversationMessage(
      modSocket,
      (d) => d.conversationId === conversationId && !d.message.fromTeam,
    );
    expect(await convAck(annSocket, 'conversation:join', { id: conversationId })).toMatchObject({ ok: true });
    await convSend(annSocket, conversationId, 'Thank you. I am scared.');
    expect((await answerSeen).message).toMatchObject({
      body: 'Thank you. I am scared.',
      author: { username: ann.username },
    });

    // The audit log says who reached out, from which item, to which conversation.
    const audit = await t.http.get('/api/moderation/audit-log?limit=50').set(bearer(mod.accessToken)).expect(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        actor: mod.username,
        action: 'queue.reach_out',
        targetType: 'chat_message',
        targetId: sent.message.id,
        details: expect.objectContaining({ itemId: item.id, conversationId }),
      }),
    );

    // A second click opens the same conversation; the queue item names it.
    const again = await reachOut(item.id).expect(200);
    expect(again.body).toMatchObject({ conversation: { id: conversationId }, message: null });
    const list = await t.http.get('/api/conversations').set(bearer(ann.accessToken)).expect(200);
    expect((list.body.items as Array<{ kind: string }>).filter((c) => c.kind === 'care')).toHaveLength(1);
    const queue = await t.http.get('/api/moderation/queue?limit=100').set(bearer(mod.accessToken)).expect(200);
    expect((queue.body.items as Array<{ id: string }>).find((i) => i.id === item.id)).toMatchObject({
      reachOut: { conversationId },
    });
    // Another moderator is not let into a conversation that is not hers: she hears who has it instead.
    const other = await createUser(t, { role: 'moderator' });
    const refused = await reachOut(item.id, other).expect(409);
    expect(refused.body.message).toMatch(/already reached out/);
  });

  const withTwoProcesses = process.env.REDIS_URL ? it : it.skip;
  withTwoProcesses('delivers the care message to her socket on the other process, and her answer back', async () => {
    const other = t2!;
    const eve = await createUser(t);
    const room = await createRoom(t, mod);
    const e = await clients.joined(other, eve, room.slug);
    const sent = await send(e.socket, room.slug, `Everything feels like ${crisisWord} tonight`);
    const item = await itemFor('chat_message', sent.message.id);
    const eveSocket = e.socket as unknown as Parameters<typeof nextConversationMessage>[0];
    const modSocket = await connectConversations(clients, t, mod);
    const arrives = nextConversationMessage(eveSocket, (d) => d.message.fromTeam);
    const opened = await reachOut(item.id).expect(201);
    const conversationId = opened.body.conversation.id as string;
    expect((await arrives).conversationId).toBe(conversationId);
    const answerSeen = nextConversationMessage(modSocket, (d) => d.conversationId === conversationId);
    await convSend(eveSocket, conversationId, 'I am here. Thank you for writing.');
    expect((await answerSeen).message).toMatchObject({ author: { username: eve.username }, fromTeam: false });
  });

  it('opens one conversation when two clicks arrive at once', async () => {
    const fay = await createUser(t);
    await trust(t, fay);
    const item = await crisisReply(fay);
    const answers = await Promise.all([reachOut(item.id), reachOut(item.id), reachOut(item.id)]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true);
    const list = await t.http.get('/api/conversations').set(bearer(fay.accessToken)).expect(200);
    expect((list.body.items as Array<{ kind: string }>).filter((c) => c.kind === 'care')).toHaveLength(1);
  });

  it('opens a new conversation when the moderator left the one she opened from the item', async () => {
    const gil = await createUser(t);
    await trust(t, gil);
    const item = await crisisReply(gil);
    const first = await reachOut(item.id).expect(201);
    await t.http
      .delete(`/api/conversations/${first.body.conversation.id}/participants/me`)
      .set(bearer(mod.accessToken))
      .expect((res) => expect([200, 204]).toContain(res.status));
    const second = await reachOut(item.id).expect(201);
    expect(second.body.conversation.id).not.toBe(first.body.conversation.id);
    expect(await reachOut(item.id).expect(200)).toMatchObject({
      body: { conversation: { id: second.body.conversation.id } },
    });
  });

  it('reaches the real author of an anonymous crisis post, without naming her to anyone else', async () => {
    const bea = await createUser(t);
    await trust(t, bea);
    const item = await crisisReply(bea, { anonymous: true });
    const opened = await reachOut(item.id, mod, { body: 'Hello from the moderation team. We are here.' }).expect(201);
    expect(opened.body.message.body).toBe('Hello from the moderation team. We are here.');
    const usernames = (opened.body.conversation.participants as Array<{ username: string }>).map((p) => p.username);
    expect(usernames.sort()).toEqual([bea.username, mod.username].sort());
    const list = await t.http.get('/api/conversations').set(bearer(bea.accessToken)).expect(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: opened.body.conversation.id, kind: 'care' }));
    // Members still read the post as anonymous; the audit entry names the post, never her.
    const post = await t.http.get(`/api/moderation/audit-log?limit=20`).set(bearer(mod.accessToken)).expect(200);
    const entry = (post.body.items as Array<Record<string, unknown>>).find(
      (e) => e.action === 'queue.reach_out' && (e.details as { itemId: string }).itemId === item.id,
    );
    expect(entry).toMatchObject({ targetType: 'post' });
    expect(JSON.stringify(entry)).not.toContain(bea.username);
  });

  it('reaches out from a self-harm report, and starts with the text the admin set', async () => {
    const text = `We are the moderators. We read your words and we care. ${randomUUID().slice(0, 6)}`;
    await t.http
      .put('/api/moderation/reach-out-settings')
      .set(bearer(admin.accessToken))
      .send({ starterText: text })
      .expect(200);
    const cat = await createUser(t);
    await trust(t, cat);
    const { threadId } = await createThread(t, cat, slug);
    const post = await reply(t, cat, threadId, 'I have stopped taking my medicine on purpose').expect(201);
    const reporter = await createUser(t);
    await t.http
      .post('/api/reports')
      .set(bearer(reporter.accessToken))
      .send({ targetType: 'post', targetId: post.body.id, reason: 'self_harm' })
      .expect(201);
    const item = await itemFor('post', post.body.id as string);
    expect(item.crisis).toBe(true);
    const opened = await reachOut(item.id).expect(201);
    expect(opened.body.message.body).toBe(text);
    const settings = await t.http.get('/api/moderation/reach-out-settings').set(bearer(mod.accessToken)).expect(200);
    expect(settings.body).toMatchObject({ starterText: text, custom: true });
    const audit = await t.http.get('/api/moderation/audit-log?limit=20').set(bearer(mod.accessToken)).expect(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ actor: admin.username, action: 'reach_out.starter_text' }),
    );
  });

  it('refuses members (403), guests (401), unknown items (404), items that are not crisis (409) and bad input (400)', async () => {
    const dan = await createUser(t);
    await trust(t, dan);
    const item = await crisisReply(dan);
    await reachOut(item.id, dan).expect(403);
    await reachOut(item.id, null).expect(401);
    await reachOut('999999999999').expect(404);
    await reachOut('abc').expect(400);
    const tooLong = await reachOut(item.id, mod, { body: 'x'.repeat(4001) }).expect(400);
    expect(JSON.stringify(tooLong.body.message)).toContain('body');

    const { threadId } = await createThread(t, dan, slug);
    const calm = await reply(t, dan, threadId, 'Just a calm reply').expect(201);
    const reporter = await createUser(t);
    await t.http
      .post('/api/reports')
      .set(bearer(reporter.accessToken))
      .send({ targetType: 'post', targetId: calm.body.id, reason: 'spam' })
      .expect(201);
    const plain = await itemFor('post', calm.body.id as string);
    const refused = await reachOut(plain.id).expect(409);
    expect(refused.body.message).toMatch(/crisis and self-harm/);

    await t.http.get('/api/moderation/reach-out-settings').set(bearer(dan.accessToken)).expect(403);
    await t.http
      .put('/api/moderation/reach-out-settings')
      .set(bearer(mod.accessToken))
      .send({ starterText: 'Hello' })
      .expect(403);
    const empty = await t.http
      .put('/api/moderation/reach-out-settings')
      .set(bearer(admin.accessToken))
      .send({ starterText: '   ' })
      .expect(400);
    expect(JSON.stringify(empty.body.message)).toContain('starterText');
  });

  it('answers 409 with a clear message for a guest with no account, and opens nothing', async () => {
    const key = await newPage();
    const guest = await guestComment(key, { body: `I am only a guest, and ${crisisWord}` }, 202);
    const item = await itemFor('comment', guest.body.id as string);
    expect(item.crisis).toBe(true);
    const refused = await reachOut(item.id).expect(409);
    expect(refused.body.message).toMatch(/guest who has no account/);
    // On the queue page the card says so beside its button, in the queue as it was.
    const browser = await signInBrowser(t, mod);
    const page = await t.http
      .post(`/mod/queue/${item.id}/reach-out`)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, back: '/mod' })
      .expect(409);
    expect(page.text).toContain(`id="item-${item.id}-reach-error"`);
    expect(page.text).toContain('guest who has no account');
    const again = await t.http.get('/api/moderation/queue?limit=100').set(bearer(mod.accessToken)).expect(200);
    expect((again.body.items as Array<{ id: string; reachOut: unknown }>).find((i) => i.id === item.id)).toMatchObject({
      reachOut: null,
    });
  });
});
