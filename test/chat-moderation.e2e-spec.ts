import { startTestApp, type TestApp } from './app';
import { ChatClients, collect, createRoom, emitAck, nextEvent, rawEmitAck, send, sentinel } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { startAppWithStaff } from './support/staff-app';
import type { ChatMessageView } from '../src/chat/chat-events';

/** Live support chat: malformed input, and what moderators do in a room (delete, mute, kick, slow mode, pace). */
describe('Live support chat (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  let admin: TestUser;
  const clients = new ChatClients();

  beforeAll(async () => {
    ({ t, mod, admin } = await startAppWithStaff({ CHAT_MAX_LENGTH: '2000' }));
  });
  afterEach(() => clients.closeAll());
  afterAll(() => t.close());

  describe('bad input', () => {
    it('answers malformed and over-long payloads in the ack, naming the field, and keeps the socket', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const { socket } = await clients.joined(t, ann, room.slug);
      const cases: Array<[string, unknown, RegExp]> = [
        ['message:send', 'not an object', /payload must be an object/],
        ['message:send', null, /payload must be an object/],
        ['message:send', [1, 2], /payload must be an object/],
        ['message:send', { room: room.slug, body: 42, clientId: 'x' }, /body/],
        ['message:send', { room: room.slug, body: 'hi' }, /clientId/],
        ['message:send', { room: room.slug, body: 'hi', clientId: 'has spaces' }, /clientId/],
        ['message:send', { room: room.slug, body: 'hi', clientId: 'ok', admin: true }, /admin should not exist/],
        ['message:send', { room: room.slug, body: '   ', clientId: 'blank' }, /body must not be empty/],
        ['message:send', { room: room.slug, body: 'x'.repeat(2001), clientId: 'long' }, /body must be at most 2000/],
        ['room:join', { room: 42 }, /room/],
        ['room:join', { room: room.slug, sinceId: 12 }, /sinceId/],
        ['typing', { room: room.slug, typing: 'yes' }, /typing/],
        ['room:mute', { room: room.slug, username: ann.username, minutes: 'ten' }, /minutes/],
        ['message:delete', { id: 'abc' }, /id must be a message id/],
      ];
      for (const [event, payload, message] of cases) {
        const ack = await rawEmitAck(socket, event, payload);
        expect(ack.ok).toBe(false);
        if (!ack.ok) {
          expect(ack.error.statusCode).toBe(400);
          expect(ack.error.message).toMatch(message);
        }
      }
      // No ack callback at all, and an unknown event: nothing breaks.
      (socket as unknown as { emit(e: string, p: unknown): void }).emit('message:send', { room: room.slug });
      (socket as unknown as { emit(e: string, p: unknown): void }).emit('no:such:event', {});
      const ok = await send(socket, room.slug, 'x'.repeat(2000));
      expect(ok.message.body).toHaveLength(2000);
      expect(socket.connected).toBe(true);
      const stranger = await rawEmitAck(socket, 'message:send', { room: 'no-such-room', body: 'hi', clientId: 'a' });
      expect(stranger).toMatchObject({ ok: false, error: { statusCode: 404 } });
      expect(await rawEmitAck(socket, 'no:such:event', {})).toMatchObject({ ok: false, error: { statusCode: 404 } });
      const bare = await new Promise((resolve) =>
        (socket as unknown as { emit(e: string, ack: (a: unknown) => void): void }).emit('room:leave', resolve),
      );
      expect(bare).toMatchObject({ ok: false, error: { statusCode: 400, message: 'payload must be an object' } });
    });

    it('refuses sending to a room the socket has not joined', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const socket = await clients.connect(t, ann);
      const ack = await emitAck(socket, 'message:send', { room: room.slug, body: 'hi', clientId: 'c1' });
      expect(ack).toMatchObject({ ok: false, error: { statusCode: 403 } });
    });
  });

  describe('moderation in chat', () => {
    it('lets the author or a moderator delete, tells the room, and refuses others', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, room.slug);
      const b = await clients.joined(t, bob, room.slug);
      const m = await clients.joined(t, mod, room.slug);
      const first = await send(a.socket, room.slug, 'I regret this');
      const second = await send(a.socket, room.slug, 'Moderators will remove this');
      const refused = await emitAck(b.socket, 'message:delete', { id: first.message.id });
      expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });

      const told = nextEvent(b.socket, 'message:deleted', (e) => e.id === first.message.id);
      expect(await emitAck(a.socket, 'message:delete', { id: first.message.id })).toMatchObject({
        ok: true,
        id: first.message.id,
        room: room.slug,
      });
      expect(await told).toMatchObject({ id: first.message.id, room: room.slug });
      const toldAgain = nextEvent(a.socket, 'message:deleted', (e) => e.id === second.message.id);
      expect(await emitAck(m.socket, 'message:delete', { id: second.message.id })).toMatchObject({ ok: true });
      await toldAgain;
      expect(await emitAck(a.socket, 'message:delete', { id: first.message.id })).toMatchObject({
        ok: false,
        error: { statusCode: 404 },
      });
      const history = (
        await t.http.get(`/api/chat/rooms/${room.slug}/messages`).set(bearer(bob.accessToken)).expect(200)
      ).body.items as ChatMessageView[];
      expect(history.map((h) => [h.status, h.body, h.bodyHtml])).toEqual([
        ['deleted', null, ''],
        ['deleted', null, ''],
      ]);
      const audit = (await t.http.get('/api/moderation/audit-log').set(bearer(mod.accessToken)).expect(200)).body
        .items as Array<{ action: string; targetId: string }>;
      expect(audit.some((e) => e.action === 'chat_message.delete' && e.targetId === second.message.id)).toBe(true);
    });

    it('mutes a member for minutes: their sends are refused, they are told, others are not; unmute lifts it', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const a = await clients.joined(t, ann, room.slug);
      const m = await clients.joined(t, mod, room.slug);
      const told = nextEvent(a.socket, 'room:muted');
      const mute = await emitAck(m.socket, 'room:mute', { room: room.slug, username: ann.username, minutes: 10 });
      expect(mute.ok).toBe(true);
      const event = await told;
      expect(event.room).toBe(room.slug);
      expect(new Date(event.until!).getTime()).toBeGreaterThan(Date.now() + 9 * 60e3);
      const refused = await emitAck(a.socket, 'message:send', { room: room.slug, body: 'hello?', clientId: 'm1' });
      expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
      expect(!refused.ok && refused.error.message).toMatch(/muted in this room until/);
      const elsewhere = await createRoom(t, mod);
      await emitAck(a.socket, 'room:join', { room: elsewhere.slug });
      await send(a.socket, elsewhere.slug, 'I can still talk here');
      expect(
        await emitAck(m.socket, 'room:mute', { room: room.slug, username: ann.username, minutes: 0 }),
      ).toMatchObject({ ok: true, until: null });
      await send(a.socket, room.slug, 'back again');
    });

    it('refuses mute and kick from members, and on moderators from moderators', async () => {
      const room = await createRoom(t, mod);
      const [ann, otherMod] = await Promise.all([createUser(t), createUser(t, { role: 'moderator' })]);
      const a = await clients.joined(t, ann, room.slug);
      const m = await clients.joined(t, mod, room.slug);
      expect(
        await emitAck(a.socket, 'room:mute', { room: room.slug, username: mod.username, minutes: 5 }),
      ).toMatchObject({ ok: false, error: { statusCode: 403 } });
      expect(await emitAck(a.socket, 'room:kick', { room: room.slug, username: mod.username })).toMatchObject({
        ok: false,
        error: { statusCode: 403 },
      });
      expect(
        await emitAck(m.socket, 'room:mute', { room: room.slug, username: otherMod.username, minutes: 5 }),
      ).toMatchObject({ ok: false, error: { statusCode: 403 } });
      expect(await emitAck(m.socket, 'room:kick', { room: room.slug, username: 'nobody_here_at_all' })).toMatchObject({
        ok: false,
        error: { statusCode: 404 },
      });
      const ad = await clients.joined(t, admin, room.slug);
      expect(
        await emitAck(ad.socket, 'room:mute', { room: room.slug, username: otherMod.username, minutes: 5 }),
      ).toMatchObject({ ok: true });
    });

    it('kicks a member: all their sockets leave the room, they are told, and may not rejoin for a while', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a1 = await clients.joined(t, ann, room.slug);
      const a2 = await clients.joined(t, ann, room.slug);
      const b = await clients.joined(t, bob, room.slug);
      const m = await clients.joined(t, mod, room.slug);
      const other = await createRoom(t, mod); // where ann still is: the sentinel's way to her socket
      for (const socket of [a1.socket, b.socket]) {
        expect(await emitAck(socket, 'room:join', { room: other.slug })).toMatchObject({ ok: true });
      }
      const told = [nextEvent(a1.socket, 'room:kicked'), nextEvent(a2.socket, 'room:kicked')];
      const presence = nextEvent(b.socket, 'presence', (p) => !p.members.some((x) => x.username === ann.username));
      const kick = await emitAck(m.socket, 'room:kick', { room: room.slug, username: ann.username, minutes: 5 });
      expect(kick.ok).toBe(true);
      for (const e of await Promise.all(told)) expect(e.room).toBe(room.slug);
      await presence;
      const afterKick = collect(a1.socket, 'message');
      await send(b.socket, room.slug, 'ann should not see this');
      const refused = await emitAck(a1.socket, 'message:send', { room: room.slug, body: 'hey', clientId: 'k1' });
      expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
      const rejoin = await emitAck(a1.socket, 'room:join', { room: room.slug });
      expect(rejoin).toMatchObject({ ok: false, error: { statusCode: 403 } });
      expect(!rejoin.ok && rejoin.error.message).toMatch(/removed you from this room/);
      const last = await sentinel(a1.socket, b.socket, other.slug);
      expect(afterKick).toEqual([last]);
      expect(a1.socket.connected && a2.socket.connected).toBe(true);
    });

    it('holds members to slow mode (429 with retryAfter) but not moderators', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const a = await clients.joined(t, ann, room.slug);
      await send(a.socket, room.slug, 'no slow mode yet');
      await send(a.socket, room.slug, 'still none');
      const patched = await t.http
        .patch(`/api/chat/rooms/${room.slug}`)
        .set(bearer(mod.accessToken))
        .send({ slowModeSeconds: 30 })
        .expect(200);
      expect(patched.body).toMatchObject({ slug: room.slug, slowModeSeconds: 30 });
      const m = await clients.joined(t, mod, room.slug);
      await send(a.socket, room.slug, 'first');
      const second = await emitAck(a.socket, 'message:send', { room: room.slug, body: 'second', clientId: 's2' });
      expect(second).toMatchObject({ ok: false, error: { statusCode: 429 } });
      if (!second.ok) {
        expect(second.error.message).toMatch(/slow mode/);
        expect(second.error.retryAfter).toBeGreaterThan(20);
      }
      await send(m.socket, room.slug, 'moderators are not slowed');
      await send(m.socket, room.slug, 'at all');
    });

    it('limits how fast members send, type and emit, when rate limits are on (429 with retryAfter)', async () => {
      const paced = await startTestApp({ RATE_LIMITS: 'on', GLOBAL_RATE_LIMIT_PER_MINUTE: '100000' });
      try {
        const modHere = await createUser(paced, { role: 'moderator' });
        const room = await createRoom(paced, modHere);
        const [ann, bob] = await Promise.all([createUser(paced), createUser(paced)]);
        await paced.db.query(`UPDATE users SET first_approved_at = now() WHERE id = $1`, [bob.id]);
        const a = await clients.joined(paced, ann, room.slug);
        for (let i = 0; i < 5; i++) await send(a.socket, room.slug, `new member message ${i}`);
        const sixth = await emitAck(a.socket, 'message:send', { room: room.slug, body: 'six', clientId: 'n6' });
        expect(sixth).toMatchObject({ ok: false, error: { statusCode: 429 } });
        expect(!sixth.ok && sixth.error.retryAfter).toBeGreaterThan(0);
        const b = await clients.joined(paced, bob, room.slug);
        for (let i = 0; i < 20; i++) await send(b.socket, room.slug, `member message ${i}`);
        expect(await emitAck(b.socket, 'message:send', { room: room.slug, body: '21', clientId: 'm21' })).toMatchObject(
          { ok: false, error: { statusCode: 429 } },
        );
        expect(await emitAck(b.socket, 'typing', { room: room.slug, typing: true })).toMatchObject({ sent: true });
        expect(await emitAck(b.socket, 'typing', { room: room.slug, typing: true })).toMatchObject({ sent: false });
        const flood = await Promise.all(
          Array.from({ length: 60 }, () => emitAck(b.socket, 'typing', { room: room.slug, typing: false })),
        );
        expect(flood.filter((f) => !f.ok && f.error.statusCode === 429).length).toBeGreaterThan(0);
        expect(b.socket.connected).toBe(true);
      } finally {
        clients.closeAll();
        await paced.close();
      }
    });
  });
});
