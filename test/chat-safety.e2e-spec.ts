import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import { ChatClients, collect, createRoom, disconnection, emitAck, nextEvent, send, sentinel } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { startAppWithStaff } from './support/staff-app';
import type { ChatMessageView } from '../src/chat/chat-events';
import { UsersService } from '../src/users/users.service';

/** Live support chat: sessions, sanctions, blocks, crisis words, held messages, reports and alerts to moderators. */
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

  describe('moderation in chat', () => {
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
