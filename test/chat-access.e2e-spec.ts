import { startTestApp, type TestApp } from './app';
import { ChatClients, collect, createRoom, emitAck, nextEvent } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';

/** Who may read a room and who may be heard in it: the same rules over the socket and over REST. */
describe('Chat access (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  const clients = new ChatClients();

  beforeAll(async () => {
    t = await startTestApp();
    mod = await createUser(t, { role: 'moderator' });
  });
  afterEach(() => clients.closeAll());
  afterAll(() => t.close());

  it('keeps a silenced member’s typing from the room', async () => {
    const room = await createRoom(t, mod);
    const [ann, bob, cat] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
    const a = await clients.joined(t, ann, room.slug);
    const b = await clients.joined(t, bob, room.slug);
    const c = await clients.joined(t, cat, room.slug);
    await t.http
      .post(`/api/moderation/users/${ann.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({ kind: 'silence', reason: 'take a breath' })
      .expect(201);
    const seenByBob = collect(b.socket, 'typing');

    const refused = await emitAck(a.socket, 'typing', { room: room.slug, typing: true });
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
    expect(!refused.ok && refused.error.message).toMatch(/silenced.*take a breath/);

    // the sentinel: cat's typing, sent after ann's, must reach bob; ann's must not have come before it
    const sentinel = nextEvent(b.socket, 'typing', (e) => e.username === cat.username);
    expect(await emitAck(c.socket, 'typing', { room: room.slug, typing: true })).toMatchObject({ sent: true });
    await sentinel;
    expect(seenByBob.map((e) => e.username)).toEqual([cat.username]);
  });

  it('shuts the room’s history over REST to a member kicked from it, as the socket does', async () => {
    const room = await createRoom(t, mod);
    const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
    await clients.joined(t, ann, room.slug);
    const history = (who: TestUser) => t.http.get(`/api/chat/rooms/${room.slug}/messages`).set(bearer(who.accessToken));
    await history(ann).expect(200);

    const m = await clients.joined(t, mod, room.slug);
    const kick = await emitAck(m.socket, 'room:kick', { room: room.slug, username: ann.username, minutes: 5 });
    expect(kick.ok).toBe(true);

    const refused = await history(ann).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, message: expect.stringMatching(/removed you/) });
    const rejoin = await clients.connect(t, ann).then((s) => emitAck(s, 'room:join', { room: room.slug }));
    expect(rejoin).toMatchObject({ ok: false, error: { statusCode: 403 } });
    // others still read it
    await history(bob).expect(200);
  });
});
