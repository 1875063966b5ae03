import { randomBytes, randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients, collect, createRoom, disconnection, emitAck, nextEvent, send, sentinel } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';

/**
 * Two Havens on one database and one Redis, as two server processes behind a load balancer without sticky
 * sessions: members connected to different processes share rooms, presence, mutes, kicks and bans. Needs Redis
 * (CI sets REDIS_URL); without it each process is alone by design, and test/chat.e2e-spec.ts covers one process.
 */
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

withRedis('Live support chat on two server processes (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  let mod: TestUser;
  const clients = new ChatClients();
  const shared = { REDIS_PREFIX: `haven:test:chat-procs:${randomBytes(4).toString('hex')}:` };

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp(shared), startTestApp(shared)]);
    mod = await createUser(a, { role: 'moderator' });
  });
  afterEach(() => clients.closeAll());
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('delivers a message sent on one process to members on the other, except to those who blocked its author', async () => {
    const room = await createRoom(a, mod);
    const [ann, bob, cat] = await Promise.all([createUser(a), createUser(a), createUser(a)]);
    await b.http.post(`/api/users/${ann.username}/block`).set(bearer(cat.accessToken)).expect(204);
    const onA = await clients.joined(a, ann, room.slug);
    const onB = await clients.joined(b, bob, room.slug);
    const catOnB = await clients.joined(b, cat, room.slug);
    const catSees = collect(catOnB.socket, 'message');
    const arriving = nextEvent(onB.socket, 'message');
    const sent = await send(onA.socket, room.slug, 'Hello from process A');
    expect(await arriving).toEqual(sent.message);
    const back = nextEvent(onA.socket, 'message');
    const reply = await send(onB.socket, room.slug, 'And hello from process B');
    expect(await back).toEqual(reply.message);
    // Cat missed ann's message from process A: a sentinel from A, sent after it, has reached cat on B.
    const modOnA = await clients.joined(a, mod, room.slug);
    const last = await sentinel(catOnB.socket, modOnA.socket, room.slug);
    expect(catSees.map((m) => m.body)).toEqual(['And hello from process B', last.body]);
  });

  it('shares presence across both processes, and drops a member who disconnects from the other', async () => {
    const room = await createRoom(a, mod);
    const [ann, bob] = await Promise.all([createUser(a), createUser(a)]);
    const onA = await clients.joined(a, ann, room.slug);
    const both = nextEvent(onA.socket, 'presence', (p) => p.count === 2);
    const onB = await clients.joined(b, bob, room.slug);
    expect(onB.joined.members.map((m) => m.username).sort()).toEqual([ann.username, bob.username].sort());
    expect((await both).members.map((m) => m.username).sort()).toEqual([ann.username, bob.username].sort());
    const alone = nextEvent(onA.socket, 'presence', (p) => p.count === 1);
    onB.socket.disconnect();
    expect((await alone).members.map((m) => m.username)).toEqual([ann.username]);
  });

  it('holds a mute made on one process on the other', async () => {
    const room = await createRoom(a, mod);
    const ann = await createUser(a);
    const onB = await clients.joined(b, ann, room.slug);
    const modOnA = await clients.joined(a, mod, room.slug);
    const told = nextEvent(onB.socket, 'room:muted');
    expect(
      await emitAck(modOnA.socket, 'room:mute', { room: room.slug, username: ann.username, minutes: 15 }),
    ).toMatchObject({ ok: true });
    expect((await told).room).toBe(room.slug);
    const refused = await emitAck(onB.socket, 'message:send', { room: room.slug, body: 'hi', clientId: randomUUID() });
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
  });

  it('kicks a member connected to the other process out of the room', async () => {
    const room = await createRoom(a, mod);
    const [ann, bob] = await Promise.all([createUser(a), createUser(a)]);
    const annOnB = await clients.joined(b, ann, room.slug);
    const bobOnA = await clients.joined(a, bob, room.slug);
    const other = await createRoom(a, mod); // where ann stays: the sentinel's way to her socket
    for (const socket of [annOnB.socket, bobOnA.socket]) {
      expect(await emitAck(socket, 'room:join', { room: other.slug })).toMatchObject({ ok: true });
    }
    const modOnA = await clients.joined(a, mod, room.slug);
    const told = nextEvent(annOnB.socket, 'room:kicked');
    const gone = nextEvent(bobOnA.socket, 'presence', (p) => !p.members.some((m) => m.username === ann.username));
    expect(await emitAck(modOnA.socket, 'room:kick', { room: room.slug, username: ann.username })).toMatchObject({
      ok: true,
    });
    await told;
    await gone;
    const missed = collect(annOnB.socket, 'message');
    await send(bobOnA.socket, room.slug, 'ann has left');
    const last = await sentinel(annOnB.socket, bobOnA.socket, other.slug);
    expect(missed).toEqual([last]);
  });

  it('cuts, at once, a banned member’s socket connected to the other process', async () => {
    const ann = await createUser(a);
    const onB = await clients.connect(b, ann);
    const cut = disconnection(onB);
    await a.http
      .post(`/api/moderation/users/${ann.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({ kind: 'ban', reason: 'harassment' })
      .expect(201);
    expect(await cut).toBe('io server disconnect');
    await expect(clients.connect(b, ann)).rejects.toThrow(/banned: harassment/);
  });

  it('alerts a moderator connected to the other process about a crisis message', async () => {
    const admin = await createUser(a, { role: 'admin' });
    const word = `procscrisis${randomUUID().slice(0, 8)}`;
    await a.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: word, action: 'crisis' })
      .expect(201);
    const room = await createRoom(a, mod);
    const ann = await createUser(a);
    const modOnB = await clients.connect(b, mod);
    const alert = nextEvent(modOnB, 'moderation:alert', (e) => e.kind === 'crisis');
    const onA = await clients.joined(a, ann, room.slug);
    const sent = await send(onA.socket, room.slug, `tonight ${word} again`);
    expect(await alert).toMatchObject({ targetType: 'chat_message', targetId: sent.message.id });
  });

  it('counts the message rate limit across both processes', async () => {
    const [c, d] = await Promise.all([
      startTestApp({ ...shared, RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '100000' }),
      startTestApp({ ...shared, RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '100000' }),
    ]);
    try {
      const room = await createRoom(c, mod);
      const ann = await createUser(c); // a new member: 5 messages per 30 s
      const onC = await clients.joined(c, ann, room.slug);
      const onD = await clients.joined(d, ann, room.slug);
      for (let i = 0; i < 5; i++) await send(i % 2 ? onC.socket : onD.socket, room.slug, `message ${i}`);
      const refused = await emitAck(onC.socket, 'message:send', {
        room: room.slug,
        body: 'six',
        clientId: randomUUID(),
      });
      expect(refused).toMatchObject({ ok: false, error: { statusCode: 429 } });
      expect(!refused.ok && refused.error.retryAfter).toBeGreaterThan(0);
    } finally {
      clients.closeAll();
      await Promise.all([c.close(), d.close()]);
    }
  });

  it('catches up on a message approved after newer ones were sent, by sinceId and by ?after=, across processes', async () => {
    const admin = await createUser(a, { role: 'admin' });
    const word = `procshold${randomUUID().slice(0, 8)}`;
    await a.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: word, action: 'hold' })
      .expect(201);
    const room = await createRoom(a, mod);
    const [ann, cat] = await Promise.all([createUser(a), createUser(a)]);
    const annOnA = await clients.joined(a, ann, room.slug);
    const catOnB = await clients.joined(b, cat, room.slug);

    const held = await send(annOnA.socket, room.slug, `first, with ${word} in it`);
    expect(held.message.status).toBe('pending');
    const seen = nextEvent(catOnB.socket, 'message');
    const later = await send(annOnA.socket, room.slug, 'second, published at once');
    expect(await seen).toMatchObject({ id: later.message.id });
    expect(Number(held.message.id)).toBeLessThan(Number(later.message.id));
    catOnB.socket.disconnect();

    // While cat is away, a moderator on process B approves the older message.
    const queue = await b.http.get('/api/moderation/queue?status=open&type=chat_message').set(bearer(mod.accessToken));
    const item = (queue.body as { items: Array<{ id: string; targetId: string }> }).items.find(
      (i) => i.targetId === held.message.id,
    );
    expect(item).toBeDefined();
    await b.http
      .post(`/api/moderation/queue/${item!.id}/resolve`)
      .set(bearer(mod.accessToken))
      .send({ action: 'approve' })
      .expect(200);

    // Cat comes back on process A with the last message it saw: the approved message is in the catch-up.
    const back = await clients.connect(a, cat);
    const rejoined = await emitAck(back, 'room:join', { room: room.slug, sinceId: later.message.id });
    expect(rejoined.ok && rejoined.messages.map((m) => m.id)).toEqual([held.message.id]);
    const rest = await b.http
      .get(`/api/chat/rooms/${room.slug}/messages?after=${later.message.id}`)
      .set(bearer(cat.accessToken))
      .expect(200);
    expect((rest.body as { items: Array<{ id: string }> }).items.map((m) => m.id)).toEqual([held.message.id]);
    // And a client that had seen nothing yet gets both, in the order they became visible.
    const all = await b.http
      .get(`/api/chat/rooms/${room.slug}/messages?after=0`)
      .set(bearer(cat.accessToken))
      .expect(200);
    expect((all.body as { items: Array<{ id: string }> }).items.map((m) => m.id)).toEqual([
      later.message.id,
      held.message.id,
    ]);
  });
});
