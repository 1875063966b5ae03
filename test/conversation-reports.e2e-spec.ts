import { randomUUID } from 'node:crypto';
import { MemberDataRegistry } from '../src/common/member-data/member-data';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { csrfOf, signInBrowser } from './factories/web';

interface ContextAnswer {
  itemId: string;
  targetType: string;
  targetId: string;
  capturedAt: string | null;
  messages: Array<{ id: string; author: { username: string } | null; body: string; isTarget: boolean }>;
}

/**
 * A private message reported by its receiver reaches the one queue with the few messages around it, copied at
 * the report; moderators read that context only on a deliberate, audited request, and have no other way in.
 */
describe('Reports of private messages (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ AUTO_HIDE_REPORTS: '3' });
    mod = await createUser(t, { role: 'moderator' });
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  /** A member who may start conversations (her first post approved). */
  async function member(): Promise<TestUser> {
    const who = await createUser(t);
    await trust(t, who);
    return who;
  }

  async function start(from: TestUser, to: TestUser[], body: string): Promise<{ id: string; firstId: string }> {
    const res = await t.http
      .post('/api/conversations')
      .set(bearer(from.accessToken))
      .send({ usernames: to.map((u) => u.username), body, clientId: randomUUID() })
      .expect(201);
    return { id: res.body.conversation.id as string, firstId: res.body.message.id as string };
  }

  async function say(who: TestUser, conversationId: string, body: string): Promise<string> {
    const res = await t.http
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(who.accessToken))
      .send({ body, clientId: randomUUID() })
      .expect(201);
    return (res.body.message ?? res.body).id as string;
  }

  const report = (who: TestUser, messageId: string, reason = 'spam') =>
    t.http
      .post('/api/reports')
      .set(bearer(who.accessToken))
      .send({ targetType: 'conversation_message', targetId: messageId, reason, note: 'asked me for money' });

  async function queueItem(messageId: string) {
    const res = await t.http
      .get('/api/moderation/queue?type=conversation_message&limit=100')
      .set(bearer(mod.accessToken))
      .expect(200);
    return (res.body.items as Array<Record<string, unknown>>).find((i) => i.targetId === messageId);
  }

  /** A scammer and her mark, a conversation of nine messages, the scam in the middle; the receiver reports it. */
  async function reportedScam() {
    const scammer = await member();
    const receiver = await member();
    const convo = await start(scammer, [receiver], 'Hello dear, I saw your post and felt we are alike.');
    const before = [convo.firstId];
    before.push(await say(receiver, convo.id, 'Hello, thank you for writing.'));
    before.push(await say(scammer, convo.id, 'I am a doctor abroad and I can help with a new treatment.'));
    before.push(await say(receiver, convo.id, 'Oh? What treatment?'));
    const scam = await say(scammer, convo.id, 'Send 500 dollars by gift card and I will post the medicine to you.');
    const after = [
      await say(receiver, convo.id, 'That sounds like a lot of money.'),
      await say(scammer, convo.id, 'Hurry, the offer ends tonight.'),
      await say(receiver, convo.id, 'Let me think.'),
      await say(scammer, convo.id, 'Do not tell anyone, they would be jealous.'),
    ];
    const created = await report(receiver, scam).expect(201);
    expect(created.body).toMatchObject({ status: 'open' });
    return { scammer, receiver, convo, scam, before, after };
  }

  it('brings a reported private message into the one queue, the message only, with its context held apart', async () => {
    const { scam, scammer } = await reportedScam();
    const item = await queueItem(scam);
    expect(item).toMatchObject({
      targetType: 'conversation_message',
      hasContext: true,
      reportCount: 1,
      reports: { count: 1, byReason: { spam: 1 } },
      content: { body: expect.stringContaining('gift card') },
      author: { username: scammer.username },
    });
    // The queue shows the reported message alone: the rest of the conversation is not in the listing.
    expect(JSON.stringify(item)).not.toContain('Hurry, the offer ends tonight');
    expect(JSON.stringify(item)).not.toContain('What treatment?');
  });

  it('opens the three messages before and after on request, as the reporter saw them, and audits each opening', async () => {
    const { scam, scammer, convo, before, after } = await reportedScam();
    const item = (await queueItem(scam))!;
    // The scammer covers her tracks: she leaves the conversation. The copy made at the report still holds.
    await t.http
      .delete(`/api/conversations/${convo.id}/participants/me`)
      .set(bearer(scammer.accessToken))
      .expect((res) => expect([200, 204]).toContain(res.status));

    const opened = await t.http
      .get(`/api/moderation/queue/${String(item.id)}/context`)
      .set(bearer(mod.accessToken))
      .expect(200);
    const context = opened.body as ContextAnswer;
    expect(context.capturedAt).not.toBeNull();
    expect(context.messages.map((m) => m.id)).toEqual([...before.slice(-3), scam, ...after.slice(0, 3)]);
    expect(context.messages.filter((m) => m.isTarget).map((m) => m.id)).toEqual([scam]);
    expect(context.messages.find((m) => m.isTarget)).toMatchObject({ author: { username: scammer.username } });
    expect(context.messages[0]).toMatchObject({ body: 'Hello, thank you for writing.' });
    expect(context.messages.map((m) => m.body)).not.toContain('Do not tell anyone, they would be jealous.');

    await t.http
      .get(`/api/moderation/queue/${String(item.id)}/context`)
      .set(bearer(admin.accessToken))
      .expect(200);
    const audit = await t.http.get('/api/moderation/audit-log?limit=50').set(bearer(mod.accessToken)).expect(200);
    const openings = (audit.body.items as Array<Record<string, unknown>>).filter(
      (e) => e.action === 'queue.context' && e.targetId === scam,
    );
    expect(openings).toHaveLength(2);
    expect(openings.map((e) => e.actor).sort()).toEqual([mod.username, admin.username].sort());
    expect(openings[0]).toMatchObject({
      targetType: 'conversation_message',
      details: { itemId: String(item.id), messages: 7 },
      createdAt: expect.any(String),
    });
  });

  it('refuses the context to members (403), guests (401), and for items that are not private messages (404)', async () => {
    const { scam, receiver } = await reportedScam();
    const item = (await queueItem(scam))!;
    const path = `/api/moderation/queue/${String(item.id)}/context`;
    await t.http.get(path).set(bearer(receiver.accessToken)).expect(403);
    await t.http.get(path).expect(401);
    await t.http.get('/api/moderation/queue/999999999999/context').set(bearer(mod.accessToken)).expect(404);
    await t.http.get('/api/moderation/queue/abc/context').set(bearer(mod.accessToken)).expect(400);

    // A reported forum reply is an item too, but it has no private context to open.
    const slug = (await createCategory(t, admin)).slug;
    const writer = await member();
    const { threadId } = await createThread(t, writer, slug);
    const post = await reply(t, writer, threadId, 'A public reply someone dislikes').expect(201);
    await t.http
      .post('/api/reports')
      .set(bearer(receiver.accessToken))
      .send({ targetType: 'post', targetId: post.body.id, reason: 'other' })
      .expect(201);
    const queue = await t.http.get('/api/moderation/queue?type=post&limit=100').set(bearer(mod.accessToken));
    const postItem = (queue.body.items as Array<Record<string, unknown>>).find((i) => i.targetId === post.body.id)!;
    expect(postItem.hasContext).toBe(false);
    await t.http
      .get(`/api/moderation/queue/${String(postItem.id)}/context`)
      .set(bearer(mod.accessToken))
      .expect(404);
    const audit = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(mod.accessToken));
    expect(
      (audit.body.items as Array<Record<string, unknown>>).filter(
        (e) => e.action === 'queue.context' && (e.targetId === scam || e.targetId === post.body.id),
      ),
    ).toEqual([]);
  });

  it('lets only a participant who can see the message report it; everyone else gets 404', async () => {
    const sender = await member();
    const receiver = await member();
    const stranger = await member();
    const convo = await start(sender, [receiver], 'A private hello');
    const message = await say(sender, convo.id, 'Something unkind');
    await report(stranger, message).expect(404);
    await report(mod, message).expect(404);
    await report(receiver, '999999999999').expect(404);
    await report(sender, message).expect(400);
    await t.http
      .post('/api/reports')
      .send({ targetType: 'conversation_message', targetId: message, reason: 'spam' })
      .expect(401);
    expect(await queueItem(message)).toBeUndefined();
    await report(receiver, message).expect(201);
    await report(receiver, message).expect(409);
    expect(await queueItem(message)).toMatchObject({ reportCount: 1 });
  });

  it('gives moderators no other way into a private conversation: its routes answer 404', async () => {
    const { convo, scam } = await reportedScam();
    const asMod = (req: ReturnType<typeof t.http.get>) => req.set(bearer(mod.accessToken));
    await asMod(t.http.get(`/api/conversations/${convo.id}/messages`)).expect(404);
    await asMod(t.http.get(`/api/conversations/${convo.id}/messages?after=0`)).expect(404);
    await asMod(t.http.post(`/api/conversations/${convo.id}/messages`))
      .send({ body: 'Moderator here', clientId: randomUUID() })
      .expect(404);
    await asMod(t.http.post(`/api/conversations/${convo.id}/read`))
      .send({ upToId: scam })
      .expect(404);
    await asMod(t.http.delete(`/api/conversations/${convo.id}/participants/me`)).expect(404);
    const list = await asMod(t.http.get('/api/conversations')).expect(200);
    expect((list.body.items as Array<{ id: string }>).map((c) => c.id)).not.toContain(convo.id);
  });

  it('lets the receiver report from a page and block the sender in the same step; others get 404', async () => {
    const sender = await member();
    const receiver = await member();
    const stranger = await member();
    const convo = await start(sender, [receiver], 'Hi there');
    const message = await say(sender, convo.id, 'Buy my miracle cure, only today');
    const asStranger = await signInBrowser(t, stranger);
    await t.http.get(`/report/message/${message}`).set('Cookie', asStranger.cookie).expect(404);
    const asSender = await signInBrowser(t, sender);
    await t.http.get(`/report/message/${message}`).set('Cookie', asSender.cookie).expect(404);

    const browser = await signInBrowser(t, receiver);
    const form = await t.http.get(`/report/message/${message}`).set('Cookie', browser.cookie).expect(200);
    expect(form.text).toContain('Buy my miracle cure');
    expect(form.text).toContain('Also block');
    const refused = await t.http
      .post(`/report/message/${message}`)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: csrfOf(form.text), reason: '', note: '', block: 'yes' })
      .expect(422);
    expect(refused.text).toContain('There is a problem');
    const sent = await t.http
      .post(`/report/message/${message}`)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: csrfOf(form.text), reason: 'spam', note: 'selling fake cures', block: 'yes' })
      .expect(303);
    expect(sent.headers.location).toBe(`/messages/${convo.id}#m-${message}`);
    expect(await queueItem(message)).toMatchObject({ reports: { count: 1, byReason: { spam: 1 } } });
    const blocks = await t.http.get('/api/me/blocks').set(bearer(receiver.accessToken));
    expect(JSON.stringify(blocks.body)).toContain(sender.username);
    // The block works at once: the sender can no longer write to her.
    const after = await t.http
      .post(`/api/conversations/${convo.id}/messages`)
      .set(bearer(sender.accessToken))
      .send({ body: 'Hello?', clientId: randomUUID() });
    expect([403, 404]).toContain(after.status);
  });

  it('shows the context on the queue page only after a deliberate POST, audited; members are refused', async () => {
    const { scam, receiver } = await reportedScam();
    const item = (await queueItem(scam))!;
    const asMod = await signInBrowser(t, mod);
    const queue = await t.http.get('/mod?type=conversation_message').set('Cookie', asMod.cookie).expect(200);
    expect(queue.text).toContain('gift card');
    expect(queue.text).toContain('Show the conversation around it');
    expect(queue.text).not.toContain('What treatment?');
    const before = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(mod.accessToken));
    const openingsOf = (items: Array<Record<string, unknown>>) =>
      items.filter((e) => e.action === 'queue.context' && e.targetId === scam).length;
    expect(openingsOf(before.body.items)).toBe(0);

    const opened = await t.http
      .post(`/mod/queue/${String(item.id)}/context`)
      .set('Cookie', asMod.cookie)
      .type('form')
      .send({ _csrf: csrfOf(queue.text) })
      .expect(200);
    expect(opened.text).toContain('What treatment?');
    expect(opened.text).toContain('The reported message');
    const after = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(mod.accessToken));
    expect(openingsOf(after.body.items)).toBe(1);

    const asMember = await signInBrowser(t, receiver);
    await t.http
      .post(`/mod/queue/${String(item.id)}/context`)
      .set('Cookie', asMember.cookie)
      .type('form')
      .send({ _csrf: asMember.csrf })
      .expect(403);
  });

  it("keeps the copy when the sender's account goes, without her name, and without her words if she deleted them", async () => {
    const { scam, scammer } = await reportedScam();
    const item = (await queueItem(scam))!;
    const moderation = t.app
      .get(MemberDataRegistry)
      .all()
      .find((part) => part.section === 'reports')!;
    await t.db.transaction((m) =>
      moderation.forget!(m, {
        userId: scammer.id,
        username: scammer.username,
        content: 'delete',
        formerMemberId: '0',
        pseudonym: `former-member-${scammer.id}`,
      }),
    );
    const opened = await t.http
      .get(`/api/moderation/queue/${String(item.id)}/context`)
      .set(bearer(mod.accessToken))
      .expect(200);
    const context = opened.body as ContextAnswer & { messages: Array<{ removed?: boolean }> };
    expect(context.messages).toHaveLength(7);
    expect(JSON.stringify(context)).not.toContain(scammer.username);
    expect(JSON.stringify(context)).not.toContain('gift card');
    expect(context.messages.find((m) => m.isTarget)).toMatchObject({ author: null, body: '', removed: true });
    // The receiver's own messages stay as she reported them.
    expect(context.messages.map((m) => m.body)).toContain('Oh? What treatment?');
  });

  it('reads the context as it is now for an item no member reported (a crisis word in a private message)', async () => {
    const word = `darkplace${randomUUID().slice(0, 6)}`;
    await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: word, action: 'crisis' })
      .expect(201);
    const ann = await member();
    const bea = await member();
    const convo = await start(ann, [bea], 'Can we talk?');
    await say(bea, convo.id, 'Of course, I am here.');
    const crisis = await say(ann, convo.id, `I am in a ${word} and cannot go on`);
    const item = await queueItem(crisis);
    expect(item).toMatchObject({ crisis: true, hasContext: true, reportCount: 0 });
    const opened = await t.http
      .get(`/api/moderation/queue/${String(item!.id)}/context`)
      .set(bearer(mod.accessToken))
      .expect(200);
    const context = opened.body as ContextAnswer;
    expect(context.capturedAt).toBeNull();
    expect(context.messages.map((m) => m.body)).toEqual([
      'Can we talk?',
      'Of course, I am here.',
      `I am in a ${word} and cannot go on`,
    ]);
  });
});
