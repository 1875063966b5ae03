import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { sendMessage, startConversation, trustedUser } from './factories/conversations';
import { bearer, createUser } from './factories/users';
import { HeaderCounts } from '../src/common/auth/header-counts';
import type { ConversationMessageView, ConversationSummary } from '../src/conversations/conversation-views';

/** Private conversations over HTTP: starting, sending, history, read marks, the list, leaving, settings. */
describe('Conversations (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('starts a conversation, sends idempotently, pages history and counts unread', async () => {
    const [ann, bea] = await Promise.all([trustedUser(t), createUser(t)]);
    const started = await startConversation(t, ann, [bea], 'Hi **Bea**');
    expect(started.status).toBe('published');
    expect(started.conversation).toMatchObject({ kind: 'direct', fromTeam: false, unread: 0 });
    expect(started.conversation.participants.map((p) => p.username)).toEqual([ann.username, bea.username]);
    expect(started.message).toMatchObject({
      author: { username: ann.username },
      body: 'Hi **Bea**',
      bodyHtml: expect.stringContaining('<p>Hi <strong>Bea</strong></p>') as string,
      status: 'published',
      fromTeam: false,
    });
    const id = started.conversation.id;

    const clientId = randomUUID();
    const first = await sendMessage(t, bea, id, 'Hello Ann', clientId);
    const again = await sendMessage(t, bea, id, 'Hello Ann (resent)', clientId);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.body).toBe('Hello Ann');

    // The header's count, as a signed-in page reads it with her session (the feature's registered HeaderCounts SQL).
    const headerCount = async (userId: string) => {
      const columns = t.app.get(HeaderCounts).columns('u.id');
      const [row] = (await t.db.query(`SELECT u.id ${columns} FROM users u WHERE u.id = $1`, [userId])) as Array<{
        unreadConversations: number;
      }>;
      return row.unreadConversations;
    };
    expect(await headerCount(ann.id)).toBe(1);
    expect(await headerCount(bea.id)).toBe(1); // ann's opening message
    const list = await t.http.get('/api/conversations').set(bearer(ann.accessToken)).expect(200);
    const mine = (list.body as { items: ConversationSummary[] }).items.find((c) => c.id === id);
    expect(mine).toMatchObject({ unread: 1, lastMessage: { id: first.body.id, body: 'Hello Ann' } });

    for (let i = 0; i < 3; i++) await sendMessage(t, bea, id, `note ${i}`);
    const latest = await t.http
      .get(`/api/conversations/${id}/messages?limit=2`)
      .set(bearer(ann.accessToken))
      .expect(200);
    const page = latest.body as { items: ConversationMessageView[]; nextCursor: string; more: boolean };
    expect(page.items.map((m) => m.body)).toEqual(['note 1', 'note 2']);
    expect(page.more).toBe(true);
    const older = await t.http
      .get(`/api/conversations/${id}/messages?limit=10&before=${page.nextCursor}`)
      .set(bearer(ann.accessToken))
      .expect(200);
    expect((older.body as { items: ConversationMessageView[] }).items.map((m) => m.body)).toEqual([
      'Hi **Bea**',
      'Hello Ann',
      'note 0',
    ]);

    await t.http
      .post(`/api/conversations/${id}/read`)
      .set(bearer(ann.accessToken))
      .send({ upToId: page.items[1].id })
      .expect(204);
    const read = await t.http.get(`/api/conversations/${id}`).set(bearer(ann.accessToken)).expect(200);
    expect(read.body).toMatchObject({ id, unread: 0 });
    expect(await headerCount(ann.id)).toBe(0);
  });

  it('answers 404 on every route to a member who is not in the conversation', async () => {
    const [ann, bea, eve] = await Promise.all([trustedUser(t), createUser(t), createUser(t)]);
    const { conversation } = await startConversation(t, ann, [bea]);
    const auth = bearer(eve.accessToken);
    const id = conversation.id;
    await t.http.get(`/api/conversations/${id}`).set(auth).expect(404);
    await t.http.get(`/api/conversations/${id}/messages`).set(auth).expect(404);
    await t.http.post(`/api/conversations/${id}/messages`).set(auth).send({ body: 'hi', clientId: 'x1' }).expect(404);
    await t.http.post(`/api/conversations/${id}/read`).set(auth).send({ upToId: '1' }).expect(404);
    await t.http.delete(`/api/conversations/${id}/participants/me`).set(auth).expect(404);
    await t.http.get('/api/conversations/999999999999/messages').set(auth).expect(404);
    await t.http.get(`/api/conversations/${id}`).expect(401);
  });

  it('refuses unknown usernames, yourself and duplicates (400), and more than 8 in all', async () => {
    const [ann, bea] = await Promise.all([trustedUser(t), createUser(t)]);
    const start = (usernames: string[]) =>
      t.http
        .post('/api/conversations')
        .set(bearer(ann.accessToken))
        .send({ usernames, body: 'hello', clientId: randomUUID() });
    const unknown = await start([bea.username, 'nobody_by_that_name']).expect(400);
    expect(JSON.stringify(unknown.body)).toMatch(/usernames.*nobody_by_that_name/);
    expect(JSON.stringify((await start([ann.username]).expect(400)).body)).toMatch(/usernames must not include you/);
    expect(JSON.stringify((await start([bea.username, bea.username]).expect(400)).body)).toMatch(/twice/);
    expect(JSON.stringify((await start(Array.from({ length: 8 }, (_, i) => `m${i}_x`)).expect(400)).body)).toMatch(
      /at most 7/,
    );
    await start([]).expect(400);
  });

  it('lets a member leave: the others see her as left, and she reads nothing new', async () => {
    const [ann, bea, cat] = await Promise.all([trustedUser(t), createUser(t), createUser(t)]);
    const { conversation } = await startConversation(t, ann, [bea, cat]);
    expect(conversation.kind).toBe('group');
    const id = conversation.id;
    await t.http.delete(`/api/conversations/${id}/participants/me`).set(bearer(cat.accessToken)).expect(204);
    await sendMessage(t, ann, id, 'after cat left');
    const seen = await t.http.get(`/api/conversations/${id}`).set(bearer(ann.accessToken)).expect(200);
    expect((seen.body as { participants: unknown[] }).participants).toEqual([
      expect.not.objectContaining({ left: true }),
      expect.not.objectContaining({ left: true }),
      expect.objectContaining({ username: cat.username, left: true }),
    ]);
    const hers = await t.http.get(`/api/conversations/${id}/messages`).set(bearer(cat.accessToken)).expect(200);
    expect((hers.body as { items: ConversationMessageView[] }).items.map((m) => m.body)).not.toContain(
      'after cat left',
    );
    const refused = await sendMessage(t, cat, id, 'back again?');
    expect(refused.status).toBe(403);
    const list = await t.http.get('/api/conversations').set(bearer(cat.accessToken)).expect(200);
    expect((list.body as { items: ConversationSummary[] }).items.map((c) => c.id)).not.toContain(id);
  });

  it('pages her list by latest activity with a keyset cursor, and refuses a forged cursor (400)', async () => {
    const ann = await trustedUser(t);
    const others = await Promise.all([1, 2, 3].map(() => createUser(t)));
    const ids: string[] = [];
    for (const other of others) ids.push((await startConversation(t, ann, [other])).conversation.id);
    await sendMessage(t, others[0], ids[0], 'the oldest one moves to the top');
    const auth = bearer(ann.accessToken);
    const first = (await t.http.get('/api/conversations?limit=2').set(auth).expect(200)).body as {
      items: ConversationSummary[];
      nextCursor: string;
    };
    expect(first.items.map((c) => c.id)).toEqual([ids[0], ids[2]]);
    const second = (await t.http.get(`/api/conversations?limit=2&cursor=${first.nextCursor}`).set(auth).expect(200))
      .body as { items: ConversationSummary[]; nextCursor: string | null };
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[1] })], nextCursor: null });
    const forged = await t.http.get('/api/conversations?cursor=bm9wZQ').set(auth).expect(400);
    expect(JSON.stringify(forged.body)).toMatch(/cursor/);
  });

  it('keeps her consent setting', async () => {
    const ann = await createUser(t);
    const auth = bearer(ann.accessToken);
    expect((await t.http.get('/api/me/conversation-settings').set(auth).expect(200)).body).toEqual({
      accept: 'everyone',
    });
    await t.http.patch('/api/me/conversation-settings').set(auth).send({ accept: 'known' }).expect(200);
    expect((await t.http.get('/api/me/conversation-settings').set(auth).expect(200)).body).toEqual({
      accept: 'known',
    });
    const bad = await t.http.patch('/api/me/conversation-settings').set(auth).send({ accept: 'friends' }).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/accept must be everyone, known or nobody/);
  });
});
