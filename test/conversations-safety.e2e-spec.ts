import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import { ChatClients, nextEvent } from './factories/chat';
import { trust } from './factories/forums';
import { sendMessage, startConversation, trustedUser } from './factories/conversations';
import { bearer, createUser, type TestUser } from './factories/users';
import { startAppWithStaff } from './support/staff-app';
import { MemberDataRegistry } from '../src/common/member-data/member-data';
import { ConversationsService } from '../src/conversations/conversations.service';
import { HISTORY, LIST_AFTER, LIST_FIRST } from '../src/conversations/conversations.store';
import { genericPlan } from './support/plans';
import type { ConversationMessageView } from '../src/conversations/conversation-views';
import { ContentRegistry } from '../src/publishing/content-registry';

/**
 * Consent and safety in private conversations: who may start one (her setting, blocks, new members, the daily
 * limit), the publishing gate on every message (watched words, a new member's links), sanctions, the moderation
 * handler (queue, reported context, visibility), care conversations, member data, and the hot reads' plans.
 */
describe('Conversations: consent and safety (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  let admin: TestUser;
  const clients = new ChatClients();

  beforeAll(async () => {
    ({ t, mod, admin } = await startAppWithStaff({ CONVERSATIONS_PER_DAY: '3' }));
  });
  afterEach(() => clients.closeAll());
  afterAll(() => t.close());

  const start = (from: TestUser, to: TestUser[], body = 'hello there') =>
    t.http
      .post('/api/conversations')
      .set(bearer(from.accessToken))
      .send({ usernames: to.map((u) => u.username), body, clientId: randomUUID() });
  const setAccept = (who: TestUser, accept: string) =>
    t.http.patch('/api/me/conversation-settings').set(bearer(who.accessToken)).send({ accept }).expect(200);
  const watch = async (action: 'block' | 'hold' | 'flag' | 'crisis') => {
    const word = `${action}word${randomUUID().slice(0, 8)}`;
    await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: word, action })
      .expect(201);
    return word;
  };

  it('follows her consent setting: nobody refuses everyone, known only members she has talked with', async () => {
    const [ann, bea, cat] = await Promise.all([trustedUser(t), trustedUser(t), trustedUser(t)]);
    await setAccept(bea, 'nobody');
    const refused = await start(ann, [bea]).expect(403);
    expect(JSON.stringify(refused.body)).toContain(`@${bea.username} is not taking new conversations from you`);
    await setAccept(bea, 'known');
    await start(ann, [bea]).expect(403);
    // Once bea has written to ann herself, they have talked: now ann may start another with her.
    await startConversation(t, bea, [ann]);
    await start(ann, [bea]).expect(201);
    // A group with one refusing member is refused whole, naming her.
    const dan = await createUser(t);
    await setAccept(dan, 'nobody');
    const group = await start(ann, [cat, dan]).expect(403);
    expect(JSON.stringify(group.body)).toContain(`@${dan.username}`);
  });

  it('refuses a new member (nothing approved yet) kindly, saying why and when it opens; she can still answer', async () => {
    const [newbie, ann] = await Promise.all([createUser(t), trustedUser(t)]);
    const refused = await start(newbie, [ann]).expect(403);
    expect(JSON.stringify(refused.body)).toMatch(/once a moderator has approved your first post/);
    const { conversation } = await startConversation(t, ann, [newbie]);
    expect((await sendMessage(t, newbie, conversation.id, 'thank you for writing')).status).toBe(201);
    await trust(t, newbie);
    await start(newbie, [ann]).expect(201);
  });

  it('holds a new member’s links for a moderator, and lets a trusted member’s through', async () => {
    const [ann, newbie] = await Promise.all([trustedUser(t), createUser(t)]);
    const { conversation } = await startConversation(t, ann, [newbie]);
    const held = await sendMessage(t, newbie, conversation.id, 'see https://example.org/cure for more');
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: 'pending', heldReason: expect.stringMatching(/links/) as string });
    const fine = await sendMessage(t, ann, conversation.id, 'and https://example.org/help from me');
    expect(fine.status).toBe(201);
    const seen = await t.http
      .get(`/api/conversations/${conversation.id}/messages`)
      .set(bearer(ann.accessToken))
      .expect(200);
    expect((seen.body as { items: ConversationMessageView[] }).items.map((m) => m.id)).not.toContain(held.body.id);
  });

  it('limits new conversations a day, counted in PostgreSQL (429 with a kind word)', async () => {
    const ann = await trustedUser(t);
    const others = await Promise.all([1, 2, 3, 4].map(() => createUser(t)));
    const answers = await Promise.all(others.map((o) => start(ann, [o])));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 201, 429]);
    const over = answers.find((r) => r.status === 429)!;
    expect(JSON.stringify(over.body)).toMatch(/started 3 new conversations today/);
    const { conversation } = answers.find((r) => r.status === 201)!.body as { conversation: { id: string } };
    expect((await sendMessage(t, ann, conversation.id, 'still here')).status).toBe(201);
  });

  it('applies watched words: block refuses (422), hold waits (202), crisis publishes, queues first, alerts and supports', async () => {
    const [ann, bea] = await Promise.all([trustedUser(t), createUser(t)]);
    const { conversation } = await startConversation(t, ann, [bea]);
    const blocked = await sendMessage(t, ann, conversation.id, `buy ${await watch('block')} now`);
    expect(blocked.status).toBe(422);
    const held = await sendMessage(t, ann, conversation.id, `about ${await watch('hold')} here`);
    expect(held.status).toBe(202);
    const crisisWord = await watch('crisis');
    const watching = await clients.connect(t, mod);
    const alert = nextEvent(watching, 'moderation:alert', (e) => e.kind === 'crisis');
    const crisis = await sendMessage(t, bea, conversation.id, `I keep thinking about ${crisisWord} tonight`);
    expect(crisis.status).toBe(201);
    expect(crisis.body.status).toBe('published');
    expect(crisis.body.notice).toMatch(/not alone/);
    expect(await alert).toMatchObject({ targetType: 'conversation_message', targetId: crisis.body.id });
    const queue = await t.http.get('/api/moderation/queue?limit=100').set(bearer(mod.accessToken)).expect(200);
    const items = (queue.body as { items: Array<{ targetType: string; targetId: string }> }).items;
    // Other test files share the queue: what matters is that this crisis comes before this held message.
    const crisisAt = items.findIndex((i) => i.targetId === crisis.body.id && i.targetType === 'conversation_message');
    const heldAt = items.findIndex((i) => i.targetId === held.body.id && i.targetType === 'conversation_message');
    expect(crisisAt).toBeGreaterThanOrEqual(0);
    expect(heldAt).toBeGreaterThan(crisisAt);
  });

  it('refuses a silenced member’s messages (403) while she can still read', async () => {
    const [ann, bea] = await Promise.all([trustedUser(t), createUser(t)]);
    const { conversation } = await startConversation(t, ann, [bea]);
    await t.http
      .post(`/api/moderation/users/${bea.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({ kind: 'silence', reason: 'take a breath' })
      .expect(201);
    const refused = await sendMessage(t, bea, conversation.id, 'hello');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/silenced/);
    await t.http.get(`/api/conversations/${conversation.id}/messages`).set(bearer(bea.accessToken)).expect(200);
  });

  it('gives moderation a message only with its participants’ view and its context, nothing more', async () => {
    const [ann, bea, eve] = await Promise.all([trustedUser(t), createUser(t), createUser(t)]);
    const { conversation } = await startConversation(t, ann, [bea], 'one');
    const ids = [];
    for (const body of ['two', 'three', 'four', 'five'])
      ids.push((await sendMessage(t, bea, conversation.id, body)).body.id);
    const handler = t.app.get(ContentRegistry).get('conversation_message');
    expect(await handler.visibleTo!(bea.id, ids[1])).toBe(true);
    expect(await handler.visibleTo!(eve.id, ids[1])).toBe(false);
    const context = await handler.contextAround!(ids[1], 2);
    expect(context.map((m) => [m.body, m.isTarget])).toEqual([
      ['one', false],
      ['two', false],
      ['three', true],
      ['four', false],
      ['five', false],
    ]);
    expect(context[2].author).toEqual({ username: bea.username, displayName: expect.any(String) as string });
    expect(await handler.load(ids[1])).toMatchObject({ targetType: 'conversation_message', body: 'three' });
  });

  it('opens a care conversation from the team whatever her setting; she can answer, leave or block', async () => {
    const bea = await createUser(t);
    await setAccept(bea, 'nobody');
    const care = await t.app.get(ConversationsService).startCare({
      moderatorId: mod.id,
      memberId: bea.id,
      body: 'We saw your post and wanted to check in. How are you?',
      itemId: '1',
    });
    expect(care.conversation).toMatchObject({ kind: 'care', fromTeam: true });
    expect(care.message).toMatchObject({ fromTeam: true, status: 'published' });
    const list = await t.http.get('/api/conversations').set(bearer(bea.accessToken)).expect(200);
    expect((list.body as { items: Array<{ id: string; unread: number }> }).items[0]).toMatchObject({
      id: care.conversation.id,
      unread: 1,
    });
    expect((await sendMessage(t, bea, care.conversation.id, 'thank you, I am ok')).status).toBe(201);
    await t.http
      .post(`/api/users/${(await t.http.get('/api/me').set(bearer(mod.accessToken))).body.username}/block`)
      .set(bearer(bea.accessToken))
      .expect(204);
    expect((await sendMessage(t, mod, care.conversation.id, 'are you there?')).status).toBe(403);
  });

  it('puts her own messages in her archive, and anonymises or deletes them as she chose', async () => {
    const [ann, bea] = await Promise.all([trustedUser(t), createUser(t)]);
    const { conversation, message } = await startConversation(t, ann, [bea], 'from ann');
    const reply = (await sendMessage(t, bea, conversation.id, 'from bea')).body;
    const part = t.app
      .get(MemberDataRegistry)
      .all()
      .find((p) => p.section === 'conversationMessages')!;
    const archive = await part.exportBatch!(ann.id, null, 100);
    expect(archive.map((r) => String(r.id))).toEqual([message.id]);
    const [former] = (await t.db.query(
      `INSERT INTO users (username, email, password_hash, display_name) VALUES ($1, $2, '!', 'Former member') RETURNING id`,
      [`former_${randomUUID().slice(0, 8)}`, `${randomUUID()}@former.invalid`],
    )) as Array<{ id: string }>;
    await t.db.transaction((m) =>
      part.forget!(m, {
        userId: ann.id,
        username: ann.username,
        content: 'anonymise',
        formerMemberId: former.id,
        pseudonym: 'x',
      }),
    );
    await t.db.transaction((m) =>
      part.forget!(m, {
        userId: bea.id,
        username: bea.username,
        content: 'delete',
        formerMemberId: former.id,
        pseudonym: 'y',
      }),
    );
    const rows = (await t.db.query(
      `SELECT id, author_id AS "authorId" FROM conversation_messages WHERE conversation_id = $1`,
      [conversation.id],
    )) as Array<{ id: string; authorId: string }>;
    expect(rows).toEqual([{ id: message.id, authorId: former.id }]);
    expect(rows.map((r) => r.id)).not.toContain(reply.id);
  });

  it('reads her list and a conversation’s history through their indexes, without sorting (EXPLAIN)', async () => {
    const ann = await trustedUser(t);
    const bea = await createUser(t);
    // Enough rows for the planner to prefer the indexes: 400 conversations of hers, one with 300 messages.
    await t.db.query(
      `WITH c AS (INSERT INTO conversations (kind, created_by, created_at)
              SELECT 'direct', $1, now() - interval '40 days' FROM generate_series(1, 400) RETURNING id)
       INSERT INTO conversation_participants (conversation_id, user_id, last_activity_at)
       SELECT c.id, u.id, now() - random() * interval '30 days' FROM c, unnest(ARRAY[$1, $2]::bigint[]) AS u(id)`,
      [ann.id, bea.id],
    );
    const { conversation } = await startConversation(t, ann, [bea]);
    await t.db.query(
      `INSERT INTO conversation_messages (conversation_id, author_id, client_id, body, body_html)
       SELECT $1, $2, 'bulk-' || n, 'message ' || n, '<p>message ' || n || '</p>' FROM generate_series(1, 300) n`,
      [conversation.id, bea.id],
    );
    // And 20,000 in her other conversations: one conversation is a small part of the table, as it will be.
    await t.db.query(
      `INSERT INTO conversation_messages (conversation_id, author_id, client_id, body, body_html)
       SELECT p.conversation_id, $2, 'other-' || n, 'other ' || n, '<p>other</p>'
         FROM conversation_participants p, generate_series(1, 50) n
        WHERE p.user_id = $1 AND p.conversation_id <> $3`,
      [ann.id, bea.id, conversation.id],
    );
    await t.db.query(`ANALYZE conversation_participants; ANALYZE conversation_messages; ANALYZE conversations`);
    // Each prepared text is checked with the plan PostgreSQL keeps for it once it stops planning per call.
    const list = await genericPlan(t.db, LIST_FIRST, [ann.id, 21, false]);
    expect(list).toMatch(/Index Scan Backward using ix_conversation_participants_list/);
    expect(list.split('\n')[1] ?? '').not.toMatch(/Sort/);
    const next = await genericPlan(t.db, LIST_AFTER, [ann.id, 21, false, String(Date.now() * 1000), '999999999']);
    expect(next).toMatch(/Index Cond: .*last_activity_at/);
    for (const which of ['latest', 'before', 'after'] as const) {
      const history = await genericPlan(t.db, HISTORY[which], [
        conversation.id,
        ann.id,
        false,
        null,
        31,
        ...(which === 'latest' ? [] : ['150']),
      ]);
      expect(history).toMatch(/Index Scan (Backward )?using (ix_conversation_messages_conversation|uq_conversation)/);
      expect(history).not.toMatch(/Sort\b/);
      if (which === 'before') expect(history).toMatch(/Index Cond: .*id < /);
    }
  });
});
