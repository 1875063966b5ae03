import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import {
  ChatClients,
  collect,
  createRoom,
  disconnection,
  emitAck,
  nextEvent,
  rawEmitAck,
  send,
  sentinel,
} from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { eventually } from './support/eventually';
import type { ChatMessageView } from '../src/chat/chat-events';
import { UsersService } from '../src/users/users.service';

describe('Live support chat (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  let admin: TestUser;
  const clients = new ChatClients();

  beforeAll(async () => {
    t = await startTestApp({ CHAT_MAX_LENGTH: '2000' });
    [mod, admin] = await Promise.all([createUser(t, { role: 'moderator' }), createUser(t, { role: 'admin' })]);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => t.close());

  describe('handshake', () => {
    it('refuses a connection without a token, saying so', async () => {
      await expect(clients.connect(t, { auth: {} })).rejects.toThrow(/Sign in to chat/);
    });

    it('refuses a bad token and an expired-looking one with the reason', async () => {
      await expect(clients.connect(t, { auth: { token: 'nonsense' } })).rejects.toThrow(/expired or is not valid/);
      const err = await clients.connect(t, { auth: { token: 'a.b.c' } }).catch((e: { data?: unknown }) => e);
      expect((err as { data?: { statusCode: number } }).data).toMatchObject({ statusCode: 401 });
    });

    it('refuses a banned member (403, with the reason) and lets a silenced one connect', async () => {
      const banned = await createUser(t);
      const silenced = await createUser(t);
      await t.http
        .post(`/api/moderation/users/${banned.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'ban', reason: 'spam links' })
        .expect(201);
      await t.http
        .post(`/api/moderation/users/${silenced.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'cool down' })
        .expect(201);
      const err = (await clients.connect(t, banned).catch((e: unknown) => e)) as Error & {
        data?: { statusCode: number };
      };
      expect(err.message).toMatch(/banned: spam links/);
      expect(err.data?.statusCode).toBe(403);
      await expect(clients.connect(t, silenced)).resolves.toBeDefined();
    });

    it('refuses a session that was signed out', async () => {
      const u = await createUser(t);
      await t.http
        .post('/api/auth/logout')
        .set(bearer(u.accessToken))
        .send({ refreshToken: u.refreshToken })
        .expect(204);
      await expect(clients.connect(t, u)).rejects.toThrow(/session has ended/);
    });
  });

  describe('rooms over REST', () => {
    it('has a starter lobby, lists rooms to anyone, and lets moderators create them', async () => {
      const list = (await t.http.get('/api/chat/rooms').expect(200)).body as Array<{ slug: string; kind: string }>;
      expect(list.find((r) => r.slug === 'lobby')).toMatchObject({ kind: 'open', acceptingMessages: true });
      const room = await createRoom(t, mod, { slowModeSeconds: 5 });
      expect(room).toMatchObject({ kind: 'open', slowModeSeconds: 5, startsAt: null, acceptingMessages: true });
      await t.http
        .post('/api/chat/rooms')
        .set(bearer(mod.accessToken))
        .send({ slug: room.slug, name: 'Again', kind: 'open' })
        .expect(409);
    });

    it('refuses members (403), guests (401) and bad rooms (400, naming the field)', async () => {
      const member = await createUser(t);
      const body = { slug: 'members-room', name: 'Members', kind: 'open' };
      await t.http.post('/api/chat/rooms').send(body).expect(401);
      await t.http.post('/api/chat/rooms').set(bearer(member.accessToken)).send(body).expect(403);
      const bad = async (b: object, field: RegExp) => {
        const res = await t.http.post('/api/chat/rooms').set(bearer(mod.accessToken)).send(b).expect(400);
        expect(String(res.body.message)).toMatch(field);
      };
      await bad({ ...body, slug: 'Bad Slug!' }, /slug/);
      await bad({ ...body, kind: 'party' }, /kind/);
      await bad({ ...body, kind: 'session' }, /startsAt/);
      const now = Date.now();
      await bad(
        {
          ...body,
          kind: 'session',
          startsAt: new Date(now + 3600e3).toISOString(),
          endsAt: new Date(now).toISOString(),
        },
        /endsAt/,
      );
      await bad({ ...body, startsAt: new Date(now).toISOString() }, /session rooms only/);
      await bad({ ...body, slowModeSeconds: -1 }, /slowModeSeconds/);
      await bad({ ...body, extra: 1 }, /extra/);
    });
  });

  describe('join, send and receive', () => {
    it('joins with presence and the latest messages, and delivers a message to the others in the room', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, room.slug);
      expect(a.joined.room.slug).toBe(room.slug);
      expect(a.joined.messages).toEqual([]);
      expect(a.joined.members.map((m) => m.username)).toEqual([ann.username]);
      const presence = nextEvent(a.socket, 'presence', (p) => p.members.some((m) => m.username === bob.username));
      const b = await clients.joined(t, bob, room.slug);
      expect(b.joined.members.map((m) => m.username).sort()).toEqual([ann.username, bob.username].sort());
      expect((await presence).count).toBe(2);

      const arriving = nextEvent(b.socket, 'message');
      const ownCopies = collect(a.socket, 'message');
      const sent = await send(a.socket, room.slug, 'Hello **everyone** <script>alert(1)</script>');
      expect(sent.status).toBe('published');
      expect(sent.message).toMatchObject({ room: room.slug, author: { username: ann.username }, status: 'published' });
      expect(sent.message.bodyHtml).toContain('<strong>everyone</strong>');
      expect(sent.message.bodyHtml).not.toContain('<script');
      const got = await arriving;
      expect(got).toEqual(sent.message);
      const last = await sentinel(a.socket, b.socket, room.slug);
      expect(ownCopies).toEqual([last]); // the sender has the ack, not an echo
    });

    it('stores a resent clientId once and answers with the same message', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, room.slug);
      const b = await clients.joined(t, bob, room.slug);
      const received = collect(b.socket, 'message');
      const clientId = randomUUID();
      const first = await send(a.socket, room.slug, 'Only once, please', clientId);
      const again = await send(a.socket, room.slug, 'Only once, please', clientId);
      const both = await Promise.all([
        emitAck(a.socket, 'message:send', { room: room.slug, body: 'Only once, please', clientId }),
        emitAck(a.socket, 'message:send', { room: room.slug, body: 'Only once, please', clientId }),
      ]);
      expect(again.message.id).toBe(first.message.id);
      expect(again.duplicate).toBe(true);
      for (const ack of both) expect(ack.ok && ack.message.id).toBe(first.message.id);
      const [{ count }] = (await t.db.query(
        `SELECT count(*)::int AS count FROM chat_messages WHERE room_id = $1 AND client_id = $2`,
        [room.id, clientId],
      )) as Array<{ count: number }>;
      expect(count).toBe(1);
      const last = await sentinel(b.socket, a.socket, room.slug);
      expect(received.map((m) => m.id)).toEqual([first.message.id, last.id]);
    });

    it('catches a reconnecting member up with sinceId: exactly what was missed, no gaps, no duplicates', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, room.slug);
      const b = await clients.joined(t, bob, room.slug);
      const seen: ChatMessageView[] = collect(b.socket, 'message');
      for (let i = 0; i < 3; i++) await send(a.socket, room.slug, `before ${i}`);
      await eventually(() => expect(seen).toHaveLength(3));
      b.socket.disconnect();
      for (let i = 0; i < 4; i++) await send(a.socket, room.slug, `while away ${i}`);
      const back = await clients.connect(t, bob);
      const live = collect(back, 'message');
      const sending = (async () => {
        for (let i = 0; i < 3; i++) await send(a.socket, room.slug, `during catch-up ${i}`);
      })();
      const rejoin = await emitAck(back, 'room:join', { room: room.slug, sinceId: seen[seen.length - 1].id });
      await sending;
      await sentinel(back, a.socket, room.slug); // every live message sent during the catch-up is in `live` now
      if (!rejoin.ok) throw new Error(rejoin.error.message);
      expect(rejoin.more).toBe(false);
      const view = new Map<string, string>();
      for (const m of [...seen, ...rejoin.messages, ...live]) view.set(m.id, m.body ?? '');
      const stored = (await t.db.query(`SELECT id, body FROM chat_messages WHERE room_id = $1 ORDER BY id`, [
        room.id,
      ])) as Array<{ id: string; body: string }>;
      expect([...view.entries()].sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(
        stored.map((r) => [r.id, r.body]),
      );
      expect(rejoin.messages.map((m) => m.body).slice(0, 4)).toEqual([0, 1, 2, 3].map((i) => `while away ${i}`));
    });

    it('returns at most 500 missed messages on a join, with more: true, and the rest over REST ?after=', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, room.slug);
      const first = await send(a.socket, room.slug, 'the last one bob saw');
      await t.db.query(
        `INSERT INTO chat_messages (room_id, author_id, client_id, body, body_html)
         SELECT $1, $2, 'bulk-' || g, 'missed ' || g, '<p>missed ' || g || '</p>' FROM generate_series(1, 520) g`,
        [room.id, ann.id],
      );
      const socket = await clients.connect(t, bob);
      const join = await emitAck(socket, 'room:join', { room: room.slug, sinceId: first.message.id });
      if (!join.ok) throw new Error(join.error.message);
      expect(join.messages).toHaveLength(500);
      expect(join.more).toBe(true);
      expect(join.messages[0].body).toBe('missed 1');
      const rest = await t.http
        .get(`/api/chat/rooms/${room.slug}/messages?after=${join.messages[499].id}&limit=100`)
        .set(bearer(bob.accessToken))
        .expect(200);
      expect(rest.body.items.map((m: ChatMessageView) => m.body)).toEqual(
        Array.from({ length: 20 }, (_, i) => `missed ${501 + i}`),
      );
      expect(rest.body).toMatchObject({ more: false, nextCursor: null });
    });

    it('pages the history over REST by id, oldest first, without repeats or gaps', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const a = await clients.joined(t, ann, room.slug);
      for (let i = 0; i < 12; i++) await send(a.socket, room.slug, `history ${i}`);
      const get = async (q: string) =>
        (await t.http.get(`/api/chat/rooms/${room.slug}/messages${q}`).set(bearer(ann.accessToken)).expect(200))
          .body as { items: ChatMessageView[]; nextCursor: string | null; more: boolean };
      const latest = await get('?limit=5');
      expect(latest.items.map((m) => m.body)).toEqual([7, 8, 9, 10, 11].map((i) => `history ${i}`));
      const older: string[] = [];
      let cursor = latest.nextCursor;
      while (cursor) {
        const page = await get(`?limit=5&before=${cursor}`);
        older.unshift(...page.items.map((m) => m.body!));
        cursor = page.nextCursor;
      }
      expect(older).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `history ${i}`));
      const forward: string[] = [];
      cursor = latest.items[0].id;
      do {
        const page = await get(`?limit=2&after=${cursor}`);
        forward.push(...page.items.map((m) => m.body!));
        cursor = page.nextCursor;
      } while (cursor);
      expect(forward).toEqual([8, 9, 10, 11].map((i) => `history ${i}`));
      await t.http.get(`/api/chat/rooms/${room.slug}/messages`).expect(401);
      await t.http.get(`/api/chat/rooms/no-such-room/messages`).set(bearer(ann.accessToken)).expect(404);
      await t.http
        .get(`/api/chat/rooms/${room.slug}/messages?before=1&after=2`)
        .set(bearer(ann.accessToken))
        .expect(400);
      await t.http.get(`/api/chat/rooms/${room.slug}/messages?limit=500`).set(bearer(ann.accessToken)).expect(400);
    });
  });

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

    it('takes messages in a session room only within its window (403 outside)', async () => {
      const now = Date.now();
      const iso = (ms: number) => new Date(now + ms).toISOString();
      const later = await createRoom(t, mod, { kind: 'session', startsAt: iso(3600e3), endsAt: iso(7200e3) });
      const past = await createRoom(t, mod, { kind: 'session', startsAt: iso(-7200e3), endsAt: iso(-3600e3) });
      const live = await createRoom(t, mod, { kind: 'session', startsAt: iso(-60e3), endsAt: iso(3600e3) });
      expect(later.acceptingMessages).toBe(false);
      expect(live.acceptingMessages).toBe(true);
      const ann = await createUser(t);
      const socket = await clients.connect(t, ann);
      for (const [room, reason] of [
        [later, /has not started yet/],
        [past, /has ended/],
      ] as const) {
        const joined = await emitAck(socket, 'room:join', { room: room.slug });
        expect(joined.ok).toBe(true);
        const ack = await emitAck(socket, 'message:send', { room: room.slug, body: 'anyone?', clientId: 'w1' });
        expect(ack).toMatchObject({ ok: false, error: { statusCode: 403 } });
        expect(!ack.ok && ack.error.message).toMatch(reason);
      }
      await emitAck(socket, 'room:join', { room: live.slug });
      await send(socket, live.slug, 'glad to be here');
    });

    it('refuses a silenced member’s messages (403) while they can still read', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, room.slug);
      const b = await clients.joined(t, bob, room.slug);
      await t.http
        .post(`/api/moderation/users/${ann.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'take a breath' })
        .expect(201);
      const refused = await emitAck(a.socket, 'message:send', { room: room.slug, body: 'hey', clientId: 'q1' });
      expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
      expect(!refused.ok && refused.error.message).toMatch(/silenced.*take a breath/);
      const arriving = nextEvent(a.socket, 'message');
      await send(b.socket, room.slug, 'you can still read this');
      expect((await arriving).body).toBe('you can still read this');
    });

    it('cuts a member’s sockets when they are suspended or banned', async () => {
      const ann = await createUser(t);
      const s1 = await clients.connect(t, ann);
      const s2 = await clients.connect(t, ann);
      const ended = nextEvent(s1, 'session:ended');
      const gone = [disconnection(s1), disconnection(s2)];
      await t.http
        .post(`/api/moderation/users/${ann.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'suspend', reason: 'a pause', until: new Date(Date.now() + 86400e3).toISOString() })
        .expect(201);
      expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
      expect((await ended).reason).toBe('suspend');
      await expect(clients.connect(t, ann)).rejects.toThrow(/suspended/);
    });

    it('does not deliver messages (or typing) from a member to those who blocked them', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob, cat] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
      await t.http.post(`/api/users/${ann.username}/block`).set(bearer(bob.accessToken)).expect(204);
      const a = await clients.joined(t, ann, room.slug);
      const b = await clients.joined(t, bob, room.slug);
      const c = await clients.joined(t, cat, room.slug);
      const bobSees = collect(b.socket, 'message');
      const bobTyping = collect(b.socket, 'typing');
      const catTyping = nextEvent(c.socket, 'typing', (e) => e.username === ann.username);
      expect(await emitAck(a.socket, 'typing', { room: room.slug, typing: true })).toMatchObject({
        ok: true,
        sent: true,
      });
      await catTyping;
      const catSees = nextEvent(c.socket, 'message', (m) => m.body === 'from ann');
      await send(a.socket, room.slug, 'from ann');
      await catSees;
      const fromCat = nextEvent(b.socket, 'message', (m) => m.body === 'from cat');
      await send(c.socket, room.slug, 'from cat');
      await fromCat;
      expect(bobSees.map((m) => m.body)).toEqual(['from cat']);
      expect(bobTyping).toEqual([]);
      const history = (
        await t.http.get(`/api/chat/rooms/${room.slug}/messages`).set(bearer(bob.accessToken)).expect(200)
      ).body.items as ChatMessageView[];
      expect(history.map((m) => m.body)).toEqual(['from cat']);
      const rejoin = await emitAck(b.socket, 'room:join', { room: room.slug });
      expect(rejoin.ok && rejoin.messages.map((m) => m.body)).toEqual(['from cat']);
    });

    it('alerts connected moderators at once when a message touches crisis words, and supports the author', async () => {
      const word = `crisisword${randomUUID().slice(0, 8)}`;
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: word, action: 'crisis' })
        .expect(201);
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const a = await clients.joined(t, ann, room.slug);
      const watching = await clients.connect(t, mod);
      const alert = nextEvent(watching, 'moderation:alert', (e) => e.kind === 'crisis');
      const sent = await send(a.socket, room.slug, `I keep thinking about ${word} tonight`);
      expect(sent.status).toBe('published');
      expect(sent.notice).toMatch(/not alone/);
      const got = await alert;
      expect(got).toMatchObject({ targetType: 'chat_message', targetId: sent.message.id });
      expect(got.excerpt).toContain(word);
    });

    it('holds messages in a pre-moderated room for a moderator: only author and moderators see them, until approved', async () => {
      const slug = `held-${randomUUID().slice(0, 8)}`;
      await t.http
        .post('/api/chat/rooms')
        .set(bearer(mod.accessToken))
        .send({ slug, name: 'Held room', kind: 'open', approval: 'all' })
        .expect(201);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, slug);
      const b = await clients.joined(t, bob, slug);
      const open = await createRoom(t, mod); // an unmoderated room for the sentinel
      for (const socket of [a.socket, b.socket]) {
        expect(await emitAck(socket, 'room:join', { room: open.slug })).toMatchObject({ ok: true });
      }
      const bobSees = collect(b.socket, 'message');
      const sent = await send(a.socket, slug, 'waiting for a moderator');
      expect(sent.status).toBe('pending');
      expect(sent.message.heldReason).toMatch(/approval/);
      const last = await sentinel(b.socket, a.socket, open.slug);
      expect(bobSees).toEqual([last]);
      const historyOf = async (u: TestUser) =>
        (
          (await t.http.get(`/api/chat/rooms/${slug}/messages`).set(bearer(u.accessToken)).expect(200)).body
            .items as ChatMessageView[]
        ).map((m) => m.status);
      expect(await historyOf(bob)).toEqual([]);
      expect(await historyOf(ann)).toEqual(['pending']);
      expect(await historyOf(mod)).toEqual(['pending']);
      const queue = (
        await t.http.get('/api/moderation/queue?type=chat_message&limit=100').set(bearer(mod.accessToken)).expect(200)
      ).body.items as Array<{ id: string; targetId: string; held: boolean }>;
      const item = queue.find((i) => i.targetId === sent.message.id);
      expect(item?.held).toBe(true);
      const published = nextEvent(b.socket, 'message', (m) => m.id === sent.message.id);
      await t.http
        .post(`/api/moderation/queue/${item!.id}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'approve' })
        .expect(200);
      expect(await published).toMatchObject({ status: 'published', body: 'waiting for a moderator' });
      expect(await historyOf(bob)).toEqual(['published']);
    });

    it('takes a report on a chat message into the one moderation queue', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const a = await clients.joined(t, ann, room.slug);
      const sent = await send(a.socket, room.slug, 'something unkind');
      const watching = await clients.connect(t, mod);
      const alert = nextEvent(watching, 'moderation:alert', (e) => e.targetId === sent.message.id);
      await t.http
        .post('/api/reports')
        .set(bearer(bob.accessToken))
        .send({ targetType: 'chat_message', targetId: sent.message.id, reason: 'abuse', note: 'in the chat' })
        .expect(201);
      expect(await alert).toMatchObject({ kind: 'report', targetType: 'chat_message' });
      const queue = (
        await t.http.get('/api/moderation/queue?type=chat_message&limit=100').set(bearer(mod.accessToken)).expect(200)
      ).body.items as Array<{
        id: string;
        targetId: string;
        reportCount: number;
        content: { body: string; context: Record<string, string> };
      }>;
      const item = queue.find((i) => i.targetId === sent.message.id);
      expect(item).toMatchObject({
        reportCount: 1,
        content: { body: 'something unkind', context: { room: room.slug } },
      });
      const gone = nextEvent(a.socket, 'message:deleted', (e) => e.id === sent.message.id);
      await t.http
        .post(`/api/moderation/queue/${item!.id}/resolve`)
        .set(bearer(mod.accessToken))
        .send({ action: 'hide' })
        .expect(200);
      expect(await gone).toMatchObject({ status: 'hidden' });
    });

    it('starts alerting a member promoted to moderator while connected, and stops on demotion', async () => {
      const [ann, bob, cat] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
      const socket = await clients.connect(t, ann);
      const room = await createRoom(t, mod); // the sentinel's way to ann's socket
      expect(await emitAck(socket, 'room:join', { room: room.slug })).toMatchObject({ ok: true });
      const bobIn = await clients.joined(t, bob, room.slug);
      const modSocket = await clients.connect(t, mod);
      const alerts = collect(socket, 'moderation:alert');
      const users = t.app.get(UsersService);
      await users.setRole(ann.username, 'moderator', 'cli');
      const report = async () =>
        t.http
          .post('/api/reports')
          .set(bearer(bob.accessToken))
          .send({ targetType: 'user', targetId: cat.username, reason: 'spam', note: randomUUID() })
          .expect(201);
      const first = nextEvent(socket, 'moderation:alert', (e) => e.targetType === 'user');
      await report();
      await first;
      await users.setRole(ann.username, 'member', 'cli');
      await sentinel(socket, bobIn.socket, room.slug); // whatever was on its way to ann has arrived
      const count = alerts.length;
      await t.db.query(`UPDATE reports SET resolved_at = now() WHERE reporter_id = $1`, [bob.id]);
      const raised = nextEvent(modSocket, 'moderation:alert', (e) => e.targetType === 'user');
      await report();
      await raised; // the alert went out, to moderators
      await sentinel(socket, bobIn.socket, room.slug);
      expect(alerts).toHaveLength(count);
    });

    it('pushes a new notification to the member’s own sockets', async () => {
      const ann = await createUser(t);
      const socket = await clients.connect(t, ann);
      const room = await createRoom(t, mod);
      const a = await clients.joined(t, ann, room.slug);
      const sent = await send(a.socket, room.slug, 'a message to report');
      const reporters = await Promise.all([1, 2, 3].map(() => createUser(t)));
      const pushed = nextEvent(socket, 'notification');
      for (const r of reporters) {
        await t.http
          .post('/api/reports')
          .set(bearer(r.accessToken))
          .send({ targetType: 'chat_message', targetId: sent.message.id, reason: 'spam' })
          .expect(201);
      }
      const n = await pushed;
      expect(n).toMatchObject({ kind: 'moderation', read: false, data: { targetType: 'chat_message' } });
    });
  });
});
