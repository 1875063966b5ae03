import { randomUUID } from 'node:crypto';
import { type TestApp } from './app';
import { ChatClients, createRoom, emitAck, nextEvent } from './factories/chat';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { links } from '../src/web/core/links';
import { browserAt, cookiesOf, signInBrowser } from './factories/web';
import { NotificationsService } from '../src/notifications/notifications.service';
import { startAppWithStaff } from './support/staff-app';

type Browser = { cookie: string; csrf: string };

/** Chat and notifications pages (web): sending from the room's form without JavaScript, and notifications. */
describe('Chat and notifications pages (web)', () => {
  let t: TestApp;
  let mod: TestUser;
  let admin: TestUser;
  const clients = new ChatClients();
  beforeAll(async () => {
    ({ t, mod, admin } = await startAppWithStaff());
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
      expect(empty.text).toMatch(
        /id="chat-error" role="alert"[\s\S]*?<a href="#chat-body">Body must not be empty<\/a>/,
      );

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
