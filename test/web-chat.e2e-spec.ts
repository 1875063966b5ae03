import { type TestApp } from './app';
import { ChatClients, createRoom, emitAck, send } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { browserAt, signInBrowser } from './factories/web';
import { startAppWithStaff } from './support/staff-app';

/** The ids of the messages in a room page's log, in page order. */
const loggedIds = (html: string) => [...html.matchAll(/<li class="chat-msg[^"]*" id="m-(\d+)"/g)].map((m) => m[1]);

/** Chat pages (web): the room list, a room's page, and the socket token. */
describe('Chat and notifications pages (web)', () => {
  let t: TestApp;
  let mod: TestUser;
  const clients = new ChatClients();
  beforeAll(async () => {
    ({ t, mod } = await startAppWithStaff());
  });
  afterEach(() => clients.closeAll());
  afterAll(() => t.close());

  describe('/chat', () => {
    it('lists the rooms to a guest, with how many are here, and invites them to sign in', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      await clients.joined(t, ann, room.slug);
      const res = await t.http.get('/chat').expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<h1>Chat rooms</h1>');
      expect(res.text).toContain(`<a href="/chat/${room.slug}">Room ${room.slug}</a>`);
      expect(res.text).toContain('<a href="/chat/lobby">Lobby</a>');
      expect(res.text).toMatch(/Sign in<\/a> or <a href="\/signup">join Haven/);
      const card = res.text.slice(res.text.indexOf(`/chat/${room.slug}"`)).split('</li>')[0];
      expect(card).toContain('1 member here now');
      expect(card).toContain('Open any time');
    });

    it('shows a member the same list without the invitation', async () => {
      const ann = await signInBrowser(t, await createUser(t));
      const res = await t.http.get('/chat').set('Cookie', ann.cookie).expect(200);
      expect(res.text).toContain('<a href="/chat/lobby">Lobby</a>');
      expect(res.text).not.toContain('Sign in</a> or');
    });
  });

  describe('/chat/:slug', () => {
    it('shows a guest the room but not what is said in it, and where to sign in', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const { socket } = await clients.joined(t, ann, room.slug);
      await send(socket, room.slug, 'members only words');
      const res = await t.http.get(`/chat/${room.slug}`).expect(200);
      expect(res.text).toContain(`<h1>Room ${room.slug}</h1>`);
      expect(res.text).not.toContain('members only words');
      expect(res.text).not.toContain('role="log"');
      expect(res.text).not.toContain(`action="/chat/${room.slug}/messages"`);
      expect(res.text).toContain(`href="/signin?next=${encodeURIComponent(`/chat/${room.slug}`)}"`);
      expect(res.text).toContain('1 member is here now.');
      await t.http.get('/chat/no-such-room').expect(404);
    });

    it('renders the recent history oldest first in a polite log, who is here, and the composer', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const { socket } = await clients.joined(t, ann, room.slug);
      const sent = [];
      for (const body of ['first **hello**', 'second', 'third <script>alert(1)</script>']) {
        sent.push((await send(socket, room.slug, body)).message.id);
      }
      const b = await signInBrowser(t, bob);
      const res = await t.http.get(`/chat/${room.slug}`).set('Cookie', b.cookie).expect(200);
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(res.text).toContain('<meta name="robots" content="noindex">');
      expect(loggedIds(res.text)).toEqual(sent);
      expect(res.text).toMatch(
        /<div class="chat-log" role="log" aria-live="polite" aria-labelledby="messages-heading"/,
      );
      expect(res.text).toContain('<strong>hello</strong>');
      expect(res.text).not.toContain('<script>alert');
      expect(res.text).toContain(`data-chat-room="${room.slug}" data-me="${bob.username}"`);
      expect(res.text).toMatch(/Here now \(<span data-count>1<\/span>\)/);
      expect(res.text).toContain(`<li>${ann.username}</li>`);
      expect(res.text).toContain(`<form method="post" action="/chat/${room.slug}/messages#chat-error"`);
      expect(res.text).toContain(`name="_csrf" value="${b.csrf}"`);
      expect(res.text).toMatch(/name="clientId" value="[A-Za-z0-9_-]{16}"/);
      expect(res.text).toMatch(/<label for="chat-body">Your message<\/label>/);
      expect(res.text).toMatch(/<time datetime="[^"]+">\d{1,2} \w{3}, \d\d:\d\d UTC<\/time>/);
    });

    it('pages back through older messages with real links', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const { socket } = await clients.joined(t, ann, room.slug);
      const ids: string[] = [];
      for (let i = 0; i < 55; i++) ids.push((await send(socket, room.slug, `message ${i}`)).message.id);
      const b = await signInBrowser(t, ann);
      const res = await t.http.get(`/chat/${room.slug}`).set('Cookie', b.cookie).expect(200);
      expect(loggedIds(res.text)).toEqual(ids.slice(5));
      const older = /<a href="(\/chat\/[^"]+\?before=\d+)">Earlier messages<\/a>/.exec(res.text);
      expect(older?.[1]).toBe(`/chat/${room.slug}?before=${ids[5]}`);
      const archive = await t.http.get(older![1]).set('Cookie', b.cookie).expect(200);
      expect(loggedIds(archive.text)).toEqual(ids.slice(0, 5));
      expect(archive.text).toContain(`<h1>Earlier in Room ${room.slug}</h1>`);
      expect(archive.text).toContain('Back to the live room');
      expect(archive.text).not.toContain('data-chat-room');
      expect(archive.text).not.toContain('Earlier messages');
      await t.http.get(`/chat/${room.slug}?before=nope`).set('Cookie', b.cookie).expect(400);
    });

    it('hides the messages of members you block, as the server does', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob, cat] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
      await t.http.post(`/api/users/${ann.username}/block`).set(bearer(bob.accessToken)).expect(204);
      const a = await clients.joined(t, ann, room.slug);
      const c = await clients.joined(t, cat, room.slug);
      await send(a.socket, room.slug, 'from the blocked one');
      await send(c.socket, room.slug, 'from a friend');
      const b = await signInBrowser(t, bob);
      const res = await t.http.get(`/chat/${room.slug}`).set('Cookie', b.cookie).expect(200);
      expect(res.text).toContain('from a friend');
      expect(res.text).not.toContain('from the blocked one');
    });

    it('keeps a kicked member out, and tells a muted or silenced one they can only read', async () => {
      const room = await createRoom(t, mod);
      const [kicked, muted, silenced] = await Promise.all([createUser(t), createUser(t), createUser(t)]);
      const m = await clients.connect(t, mod);
      await emitAck(m, 'room:join', { room: room.slug });
      expect(await emitAck(m, 'room:kick', { room: room.slug, username: kicked.username })).toMatchObject({ ok: true });
      expect(await emitAck(m, 'room:mute', { room: room.slug, username: muted.username, minutes: 30 })).toMatchObject({
        ok: true,
      });
      await t.http
        .post(`/api/moderation/users/${silenced.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'take a breath' })
        .expect(201);

      const k = await signInBrowser(t, kicked);
      const away = await t.http.get(`/chat/${room.slug}`).set('Cookie', k.cookie).expect(403);
      expect(away.text).toContain('A moderator removed you from this room');

      const mu = await signInBrowser(t, muted);
      const quiet = await t.http.get(`/chat/${room.slug}`).set('Cookie', mu.cookie).expect(200);
      expect(quiet.text).toContain('A moderator has muted you in this room until');
      expect(quiet.text).not.toContain('data-composer');

      const s = await signInBrowser(t, silenced);
      const reading = await t.http.get(`/chat/${room.slug}`).set('Cookie', s.cookie).expect(200);
      expect(reading.text).toContain('you cannot write here while you are silenced');
      expect(reading.text).not.toContain('data-composer');
      // Reading live is still allowed: the page's socket token is given (the socket refuses their sends).
      const token = await t.http.post('/chat/socket-token').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
      expect(token.status).toBe(200);
      expect(token.body.accessToken).toEqual(expect.any(String));
    });

    it('shows a session room’s times, and no composer while it is closed', async () => {
      const startsAt = new Date(Date.now() + 3 * 3600e3).toISOString();
      const endsAt = new Date(Date.now() + 4 * 3600e3).toISOString();
      const room = await createRoom(t, mod, { kind: 'session', startsAt, endsAt });
      const b = await signInBrowser(t, await createUser(t));
      const res = await t.http.get(`/chat/${room.slug}`).set('Cookie', b.cookie).expect(200);
      expect(res.text).toMatch(/Session: .* UTC\. Opens then\./);
      expect(res.text).toContain('This session takes messages only while it is on.');
      expect(res.text).not.toContain('data-composer');
    });
  });

  describe('POST /chat/socket-token', () => {
    it('gives a member a token for the chat socket, with the page’s CSRF header', async () => {
      const ann = await createUser(t);
      const a = await signInBrowser(t, ann);
      const res = await t.http
        .post('/chat/socket-token')
        .set('Cookie', a.cookie)
        .set('X-CSRF-Token', a.csrf)
        .set('Content-Type', 'application/json')
        .send('{}')
        .expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ accessToken: expect.any(String), accessTokenExpiresAt: expect.any(String) });
      expect(Date.parse(res.body.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
      const room = await createRoom(t, mod);
      const socket = await clients.connect(t, { auth: { token: res.body.accessToken } });
      const joined = await emitAck(socket, 'room:join', { room: room.slug });
      expect(joined.ok && joined.members.map((m) => m.username)).toEqual([ann.username]);
    });

    it('refuses a request without the token (403) and a guest (401)', async () => {
      const a = await signInBrowser(t, await createUser(t));
      await t.http.post('/chat/socket-token').set('Cookie', a.cookie).send({}).expect(403);
      const guest = await browserAt(t, '', '/signin');
      await t.http.post('/chat/socket-token').set('Cookie', guest.cookie).set('X-CSRF-Token', guest.csrf).expect(401);
    });
  });
});
