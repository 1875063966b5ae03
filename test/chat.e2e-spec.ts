import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import { ChatClients, collect, createRoom, emitAck, nextEvent, send, sentinel } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { startAppWithStaff } from './support/staff-app';
import { eventually } from './support/eventually';
import type { ChatMessageView } from '../src/chat/chat-events';

describe('Live support chat (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  const clients = new ChatClients();

  beforeAll(async () => {
    ({ t, mod } = await startAppWithStaff({ CHAT_MAX_LENGTH: '2000' }));
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
});
