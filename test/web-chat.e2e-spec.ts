import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients, createRoom, emitAck, nextEvent, send } from './factories/chat';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { links } from '../src/web/core/links';
import { browserAt, cookiesOf, signInBrowser } from './factories/web';
import { NotificationsService } from '../src/notifications/notifications.service';

type Browser = { cookie: string; csrf: string };

/** The ids of the messages in a room page's log, in page order. */
const loggedIds = (html: string) => [...html.matchAll(/<li class="chat-msg[^"]*" id="m-(\d+)"/g)].map((m) => m[1]);

describe('Chat and notifications pages (web)', () => {
  let t: TestApp;
  let mod: TestUser;
  let admin: TestUser;
  const clients = new ChatClients();
  beforeAll(async () => {
    t = await startTestApp();
    [mod, admin] = await Promise.all([createUser(t, { role: 'moderator' }), createUser(t, { role: 'admin' })]);
  });
  afterEach(() => clients.closeAll());
  afterAll(() => t.close());

  /** Sends the room page's form as this browser. */
  const postMessage = (b: Browser, slug: string, fields: Record<string, string>, withCsrf = true) =>
    t.http
      .post(`/chat/${slug}/messages`)
      .set('Cookie', b.cookie)
      .type('form')
      .send({ ...(withCsrf ? { _csrf: b.csrf } : {}), ...fields });

  const stored = async (roomId: string, clientId: string) =>
    (await t.db.query(`SELECT id, body, status FROM chat_messages WHERE room_id = $1 AND client_id = $2`, [
      roomId,
      clientId,
    ])) as Array<{ id: string; body: string; status: string }>;

  /** Follows a POST's redirect as the browser would: with the cookies it set (the flash line). */
  const follow = (res: { headers: Record<string, string | string[]> }, b: Browser) =>
    t.http
      .get(String(res.headers.location).split('#')[0])
      .set('Cookie', cookiesOf(res.headers['set-cookie'], b.cookie))
      .expect(200);

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
      expect(res.text).toContain(`<form method="post" action="/chat/${room.slug}/messages"`);
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

  describe('sending from the form (no JavaScript)', () => {
    it('stores the message, tells the room live, and goes back to the room at the new message', async () => {
      const room = await createRoom(t, mod);
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      const listener = await clients.joined(t, bob, room.slug);
      const arriving = nextEvent(listener.socket, 'message', (m) => m.body === 'hello from a form');
      const a = await signInBrowser(t, ann);
      const clientId = `form-${randomUUID().slice(0, 8)}`;
      const res = await postMessage(a, room.slug, { body: 'hello from a form', clientId }).expect(303);
      const [row] = await stored(room.id, clientId);
      expect(row).toMatchObject({ body: 'hello from a form', status: 'published' });
      expect(res.headers.location).toBe(`/chat/${room.slug}#m-${row.id}`);
      expect(await arriving).toMatchObject({ id: row.id, author: { username: ann.username } });
      // The same form sent again (a double click, a resend) stores nothing new.
      const again = await postMessage(a, room.slug, { body: 'hello from a form', clientId }).expect(303);
      expect(again.headers.location).toBe(res.headers.location);
      expect(await stored(room.id, clientId)).toHaveLength(1);
      const page = await t.http.get(`/chat/${room.slug}`).set('Cookie', a.cookie).expect(200);
      expect(page.text).toContain(`id="m-${row.id}"`);
      expect(page.text).toMatch(new RegExp(`class="chat-msg chat-own" id="m-${row.id}"`));
    });

    it('refuses a form without its token (403), a guest (401), and an unknown room (404)', async () => {
      const room = await createRoom(t, mod);
      const a = await signInBrowser(t, await createUser(t));
      const clientId = `nocsrf-${randomUUID().slice(0, 8)}`;
      const refused = await postMessage(a, room.slug, { body: 'sneaky', clientId }, false).expect(403);
      expect(refused.text).toContain('reload it and send again');
      const wrong = await postMessage({ ...a, csrf: 'x'.repeat(43) }, room.slug, { body: 'sneaky', clientId }).expect(
        403,
      );
      expect(wrong.text).toContain('reload it and send again');
      const guest = await browserAt(t, '', '/signin');
      await postMessage(guest, room.slug, { body: 'sneaky', clientId }).expect(401);
      await postMessage(a, 'no-such-room', { body: 'hello', clientId }).expect(404);
      expect(await stored(room.id, clientId)).toEqual([]);
    });

    it('keeps what was typed, with the reason, when the message is refused (422, 429, 403)', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const a = await signInBrowser(t, ann);

      const empty = await postMessage(a, room.slug, { body: '   ', clientId: 'c-empty' }).expect(422);
      expect(empty.text).toMatch(/<p class="form-error" role="alert" id="chat-error">body must not be empty<\/p>/);

      const long = 'a'.repeat(t.config.chatMaxLength + 1);
      const tooLong = await postMessage(a, room.slug, { body: long, clientId: 'c-long' }).expect(422);
      expect(tooLong.text).toContain(`must be at most ${t.config.chatMaxLength} characters`);
      expect(tooLong.text).toContain(`>${long}</textarea>`);
      expect(tooLong.text).toContain('aria-describedby="chat-hint chat-error"');
      expect(tooLong.text).toContain('name="clientId" value="c-long"');

      const word = `blockword${randomUUID().slice(0, 6)}`;
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: word, action: 'block' })
        .expect(201);
      const refused = await postMessage(a, room.slug, {
        body: `I said ${word} & <b>more</b>`,
        clientId: 'c-word',
      }).expect(422);
      expect(refused.text).toContain('please rephrase it');
      expect(refused.text).toContain(`I said ${word} &amp; &lt;b&gt;more&lt;/b&gt;</textarea>`);

      const slow = await createRoom(t, mod, { slowModeSeconds: 60 });
      await postMessage(a, slow.slug, { body: 'one', clientId: 'c-slow-1' }).expect(303);
      const tooFast = await postMessage(a, slow.slug, { body: 'two, too soon', clientId: 'c-slow-2' }).expect(429);
      expect(tooFast.headers['retry-after']).toMatch(/^\d+$/);
      expect(tooFast.text).toContain('slow mode');
      expect(tooFast.text).toContain('>two, too soon</textarea>');

      const m = await clients.connect(t, mod);
      await emitAck(m, 'room:join', { room: room.slug });
      await emitAck(m, 'room:mute', { room: room.slug, username: ann.username, minutes: 5 });
      const muted = await postMessage(a, room.slug, { body: 'can you hear me', clientId: 'c-muted' }).expect(403);
      expect(muted.text).toMatch(/role="alert" id="chat-error"><p>You are muted in this room until/);
      expect(muted.text).toContain('>can you hear me</textarea>');
      expect(muted.text).toContain('A moderator has muted you in this room');
      expect(await stored(room.id, 'c-muted')).toEqual([]);
    });

    it('refuses a sanctioned member: silenced (403, the page says why) and suspended', async () => {
      const room = await createRoom(t, mod);
      const [silenced, suspended] = await Promise.all([createUser(t), createUser(t)]);
      const s = await signInBrowser(t, silenced);
      const u = await signInBrowser(t, suspended);
      await t.http
        .post(`/api/moderation/users/${silenced.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'take a breath' })
        .expect(201);
      await t.http
        .post(`/api/moderation/users/${suspended.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'suspend', reason: 'a pause', until: new Date(Date.now() + 86400e3).toISOString() })
        .expect(201);
      const quiet = await postMessage(s, room.slug, { body: 'let me speak', clientId: 'c-silenced' }).expect(403);
      expect(quiet.text).toMatch(/You are silenced.*take a breath/);
      await postMessage(u, room.slug, { body: 'let me speak', clientId: 'c-suspended' }).expect(403);
      expect(await stored(room.id, 'c-silenced')).toEqual([]);
      expect(await stored(room.id, 'c-suspended')).toEqual([]);
    });

    it('answers a held message with a flash, and a crisis message with the support lines', async () => {
      const held = `held-${randomUUID().slice(0, 8)}`;
      await t.http
        .post('/api/chat/rooms')
        .set(bearer(mod.accessToken))
        .send({ slug: held, name: 'Held room', kind: 'open', approval: 'all' })
        .expect(201);
      const ann = await createUser(t);
      await trust(t, ann);
      const a = await signInBrowser(t, ann);
      const res = await postMessage(a, held, { body: 'please approve me', clientId: 'c-held' }).expect(303);
      const page = await follow(res, a);
      expect(page.text).toContain('<p class="flash" role="status">Your message is waiting for a moderator');
      expect(page.text).toMatch(/please approve me/);
      expect(page.text).toContain('Waiting for a moderator</span>');

      const word = `crisisword${randomUUID().slice(0, 6)}`;
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: word, action: 'crisis' })
        .expect(201);
      const room = await createRoom(t, mod);
      const crisis = await postMessage(a, room.slug, { body: `so much ${word} tonight`, clientId: 'c-crisis' }).expect(
        303,
      );
      expect(crisis.headers.location).toMatch(new RegExp(`^/chat/${room.slug}\\?support=1#m-\\d+$`));
      const support = await follow(crisis, a);
      expect(support.text).toMatch(/role="alert"><p>It sounds like things are very hard right now/);
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

  describe('/notifications', () => {
    it('sends a guest to sign in first', async () => {
      const res = await t.http.get('/notifications').expect(303);
      expect(res.headers.location).toBe('/signin?next=%2Fnotifications');
    });

    it('lists a mention with a link to the post, marked unread, with the badge; "Mark all as read" clears them', async () => {
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      await Promise.all([trust(t, ann), trust(t, bob)]);
      const cat = await createCategory(t, admin, 'none');
      const { threadId } = await createThread(t, bob, cat.slug, { title: 'Scan days' });
      const waiting = clients.connect(t, bob).then((s) => nextEvent(s, 'notification'));
      const posted = await reply(t, ann, threadId, `Thinking of you @${bob.username}`).expect(201);
      await waiting;
      const b = await signInBrowser(t, bob);
      const res = await t.http.get('/notifications').set('Cookie', b.cookie).expect(200);
      expect(res.text).toContain('<h1>Notifications</h1>');
      expect(res.text).toContain(
        `<a href="${links.post(threadId, posted.body.id)}">${ann.username} mentioned you in “Scan days”</a>`,
      );
      expect(res.text).toContain(`Thinking of you @${bob.username}`);
      expect(res.text).toMatch(/class="card notification unread"/);
      expect(res.text).toContain('<span class="new-mark">New</span>');
      expect(res.text).toMatch(
        /<span class="badge" data-unread>1<span class="visually-hidden"> unread<\/span><\/span>/,
      );
      expect(res.text).toContain('You have 1 unread notification.');
      expect(res.text).toContain('<form method="post" action="/notifications/read"');

      await t.http.post('/notifications/read').set('Cookie', b.cookie).type('form').send({}).expect(403);
      const done = await t.http
        .post('/notifications/read')
        .set('Cookie', b.cookie)
        .type('form')
        .send({ _csrf: b.csrf })
        .expect(303);
      expect(done.headers.location).toBe('/notifications');
      const after = await follow(done, b);
      expect(after.text).toContain('<p class="flash" role="status">All your notifications are marked as read.');
      expect(after.text).toContain('You are all caught up.');
      expect(after.text).not.toContain('class="card notification unread"');
      expect(after.text).not.toContain('data-unread');
    });

    it('words each kind and links to what it is about; pages with keyset links', async () => {
      const ann = await createUser(t);
      const service = t.app.get(NotificationsService);
      await service.create([
        {
          userId: ann.id,
          kind: 'moderation',
          data: {
            action: 'approve',
            targetType: 'comment',
            targetId: '77',
            pageKey: 'breast-cancer-stage-four',
            message: 'Your comment was approved and is now visible.',
          },
        },
        {
          userId: ann.id,
          kind: 'reply',
          data: {
            reason: 'watch',
            threadId: '5',
            threadTitle: 'Tea & <biscuits>',
            postId: '9',
            by: { username: null, displayName: 'Anonymous member' },
          },
        },
      ]);
      const a = await signInBrowser(t, ann);
      const first = await t.http.get('/notifications').set('Cookie', a.cookie).expect(200);
      expect(first.text).toContain(
        `<a href="${links.post('5', '9')}">Anonymous member replied in “Tea &amp; &lt;biscuits&gt;”, a thread you follow</a>`,
      );
      expect(first.text).toContain(
        '<a href="/articles/breast-cancer-stage-four#comment-77">Your comment was approved and is now visible.</a>',
      );
      expect(first.text).not.toContain('Older notifications');

      await service.create(
        Array.from({ length: 21 }, (_, i) => ({
          userId: ann.id,
          kind: 'mention' as const,
          data: { threadId: '1', postId: String(100 + i), threadTitle: `T${i}`, by: { displayName: 'Cat' } },
        })),
      );
      const page1 = await t.http.get('/notifications').set('Cookie', a.cookie).expect(200);
      const ids1 = [...page1.text.matchAll(/id="n-(\d+)"/g)].map((m) => m[1]);
      expect(ids1).toHaveLength(20);
      expect(page1.text).toContain('data-notifications data-first');
      const next = /<a href="(\/notifications\?cursor=[^"]+)">Older notifications<\/a>/.exec(page1.text);
      const page2 = await t.http.get(next![1]).set('Cookie', a.cookie).expect(200);
      const ids2 = [...page2.text.matchAll(/id="n-(\d+)"/g)].map((m) => m[1]);
      expect(ids2).toHaveLength(3);
      expect(ids2.filter((id) => ids1.includes(id))).toEqual([]);
      expect(page2.text).toContain('<a href="/notifications">Newest notifications</a>');
      expect(page2.text).not.toContain('data-first');
      await t.http.get('/notifications?cursor=not-a-cursor').set('Cookie', a.cookie).expect(400);
    });

    it('shows each member only their own notifications', async () => {
      const [ann, bob] = await Promise.all([createUser(t), createUser(t)]);
      await t.app
        .get(NotificationsService)
        .create([{ userId: ann.id, kind: 'mention', data: { threadId: '1', threadTitle: 'Private to ann' } }]);
      const b = await signInBrowser(t, bob);
      const res = await t.http.get('/notifications').set('Cookie', b.cookie).expect(200);
      expect(res.text).not.toContain('Private to ann');
      expect(res.text).toContain('Nothing here yet.');
    });
  });
});
