import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients, createRoom, nextEvent, send } from './factories/chat';
import { reply } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { followRedirect, signInBrowser, type BrowserSession } from './factories/web';
import { ownDatabase, type OwnDatabase } from './support/own-database';
import { STARTER_CRISIS_LIST } from '../src/moderation/watched-words/starter-crisis-list';
import { WatchedWordsService } from '../src/moderation/watched-words/watched-words.service';
import { StarterCommunity } from '../src/forums/seed/starter-community';
import { UsersService } from '../src/users/users.service';

/**
 * A fresh install's first hour: an open introductions thread, the admin told when nobody moderates, safety on. On a
 * database of its own: these tests step every moderator down, and take starter phrases off the list and back.
 */
describe('First hour (e2e)', () => {
  let db: OwnDatabase;
  let t: TestApp;
  let admin: TestUser;
  const clients = new ChatClients();
  beforeAll(async () => {
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url });
    admin = await createUser(t, { role: 'admin' });
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const page = (browser: BrowserSession, path: string) => t.http.get(path).set('Cookie', browser.cookie);

  describe('the starter community', () => {
    it('has an open, pinned "Introduce yourself" thread in Newly diagnosed where a new member can post', async () => {
      const list = await t.http.get('/api/categories/newly-diagnosed/threads').expect(200);
      const intro = (list.body.items as Array<{ id: string; title: string; pinned: boolean; locked: boolean }>).find(
        (th) => th.title === 'Introduce yourself',
      );
      expect(intro).toMatchObject({ pinned: true, locked: false });
      const thread = await t.http.get(`/t/${intro!.id}`).expect(200);
      expect(thread.text).toContain('A single line is enough');
      // A new member's first post waits for a moderator (202), as everywhere: the thread takes replies.
      const newcomer = await createUser(t);
      const posted = await reply(t, newcomer, intro!.id, 'Hello, I am Maria, diagnosed in March.').expect(202);
      expect(posted.body.status).toBe('pending');
    });
  });

  it('adds the introductions thread once to a community seeded before it, and never a second one', async () => {
    const seeder = t.app.get(StarterCommunity);
    const introductions = () =>
      t.db.query(`SELECT id FROM threads WHERE title = 'Introduce yourself'`) as Promise<Array<{ id: string }>>;
    await seeder.onApplicationBootstrap();
    expect(await introductions()).toHaveLength(1);
    // As if seeded before the thread existed: the team's welcome is there, the introductions thread is not.
    const [before] = await introductions();
    await t.db.query(`UPDATE threads SET title = 'An older hello' WHERE id = $1`, [before.id]);
    await seeder.onApplicationBootstrap();
    await seeder.onApplicationBootstrap();
    const after = await introductions();
    expect(after).toHaveLength(1);
    expect(after[0].id).not.toBe(before.id);
    await t.db.query(`UPDATE threads SET status = 'deleted' WHERE id = $1`, [after[0].id]);
    await seeder.onApplicationBootstrap();
    expect(await introductions()).toHaveLength(1);
    await t.db.query(`UPDATE threads SET status = 'published' WHERE id = $1`, [after[0].id]);
  });

  describe('the admin notice while nobody moderates', () => {
    const users = () => t.app.get(UsersService);
    async function noModerators(): Promise<void> {
      const mods = (await t.db.query(`SELECT username FROM users WHERE role = 'moderator'`)) as Array<{
        username: string;
      }>;
      for (const m of mods) await users().setRole(m.username, 'member', 'cli');
    }
    const NOTICE = 'First posts wait for review, and nobody is a moderator yet.';

    it('tells admins on every page until someone is a moderator, and never tells members', async () => {
      await noModerators();
      const asAdmin = await signInBrowser(t, admin);
      for (const path of ['/', '/guidelines', '/mod', '/settings']) {
        const res = await page(asAdmin, path).expect(200);
        expect(res.text).toContain(NOTICE);
        expect(res.text).toContain('<a href="/mod">Review the queue yourself</a>');
      }
      const member = await signInBrowser(t, await createUser(t));
      expect((await page(member, '/').expect(200)).text).not.toContain(NOTICE);
      expect((await t.http.get('/').expect(200)).text).not.toContain(NOTICE);

      const helper = await createUser(t);
      await users().setRole(helper.username, 'moderator', 'cli');
      expect((await page(asAdmin, '/').expect(200)).text).not.toContain(NOTICE);
      await users().setRole(helper.username, 'member', 'cli');
      expect((await page(asAdmin, '/').expect(200)).text).toContain(NOTICE);
    });
  });

  describe('the starter crisis list', () => {
    let mod: TestUser;
    beforeAll(async () => {
      mod = await createUser(t, { role: 'moderator' });
    });

    it('is seeded outside production, and catches "some nights I just want to end it all" in a forum post', async () => {
      const listed = (await t.app.get(WatchedWordsService).list()).filter((w) => w.action === 'crisis');
      expect(listed.map((w) => w.pattern)).toEqual(expect.arrayContaining([...STARTER_CRISIS_LIST]));
      const list = await t.http.get('/api/categories/newly-diagnosed/threads').expect(200);
      const intro = (list.body.items as Array<{ id: string; title: string }>).find(
        (th) => th.title === 'Introduce yourself',
      )!;
      const author = await createUser(t);
      const watching = await clients.connect(t, mod);
      const alert = nextEvent(watching, 'moderation:alert', (e) => e.kind === 'crisis' && e.targetType === 'post');
      const body = `some nights I just want to end it all ${randomUUID().slice(0, 8)}`;
      const posted = await reply(t, author, intro.id, body).expect(202);
      expect((await alert).targetId).toBe(posted.body.id);

      const queue = await page(await signInBrowser(t, mod), '/mod').expect(200);
      const card = cardOf(queue.text, body);
      expect(card).toContain('Possible crisis:</strong> Matched crisis phrase: \u201cend it all\u201d');
      expect(card).not.toMatch(/crisis words: rule/);
    });

    it('catches the same sentence in a chat room, alerting moderators at once with a link to the item', async () => {
      const room = await createRoom(t, mod);
      const ann = await createUser(t);
      const a = await clients.joined(t, ann, room.slug);
      const watching = await clients.connect(t, mod);
      const alert = nextEvent(watching, 'moderation:alert', (e) => e.kind === 'crisis');
      const body = `some nights I just want to end it all ${randomUUID().slice(0, 8)}`;
      const sent = await send(a.socket, room.slug, body);
      expect(sent.notice).toBeTruthy();
      const got = await alert;
      expect(got).toMatchObject({ targetType: 'chat_message', targetId: sent.message.id });
      const queue = await page(await signInBrowser(t, mod), '/mod').expect(200);
      expect(queue.text).toContain(`id="item-${got.itemId}-heading"`);
      expect(cardOf(queue.text, body)).toContain('Matched crisis phrase: \u201cend it all\u201d');
    });

    // The island's script tag needs the built assets: test/browser/first-hour.test.mjs checks it in a browser.
    it('gives moderators on every page, and only them, the live alert region', async () => {
      const asMod = await signInBrowser(t, mod);
      for (const path of ['/', '/guidelines', `/chat`]) {
        const res = await page(asMod, path).expect(200);
        expect(res.text).toContain('<div class="mod-alerts" aria-live="assertive" data-mod-alerts></div>');
      }
      const member = await signInBrowser(t, await createUser(t));
      for (const res of [await page(member, '/').expect(200), await t.http.get('/').expect(200)]) {
        expect(res.text).not.toContain('data-mod-alerts');
        expect(res.text).not.toContain('<script');
      }
    });

    it('is loaded again by an admin with one click: only the missing phrases, audited, and a second click adds none', async () => {
      const words = t.app.get(WatchedWordsService);
      const removed = (await words.list()).filter((w) => ['end it all', 'no way out'].includes(w.pattern));
      expect(removed).toHaveLength(2);
      const asAdmin = await signInBrowser(t, admin);
      for (const w of removed) {
        await t.http.delete(`/api/moderation/watched-words/${w.id}`).set(bearer(admin.accessToken)).expect(204);
      }
      const form = await page(asAdmin, '/mod/watched-words').expect(200);
      expect(form.text).toContain('Load the starter crisis list');
      const click = () =>
        t.http
          .post('/mod/watched-words/starter-crisis')
          .set('Cookie', asAdmin.cookie)
          .type('form')
          .send({ _csrf: asAdmin.csrf });
      const first = await click().expect(303);
      expect((await followRedirect(t, asAdmin, first).expect(200)).text).toContain('Added 2 starter crisis phrases.');
      const again = await click().expect(303);
      expect((await followRedirect(t, asAdmin, again).expect(200)).text).toContain(
        'Every starter crisis phrase is already on the list.',
      );
      const patterns = (await words.list()).map((w) => w.pattern);
      expect(patterns.filter((p) => p === 'end it all')).toHaveLength(1);
      const audit = (await t.db.query(
        `SELECT actor_label AS actor, note FROM audit_log WHERE action = 'watched_word.load_starter' ORDER BY id DESC LIMIT 1`,
      )) as Array<{ actor: string; note: string }>;
      expect(audit[0]).toEqual({ actor: admin.username, note: '2 starter crisis phrases' });
      await expect(words.seedStarterCrisisList()).resolves.toBe(0);
    });

    it('refuses the one click to moderators, members and guests', async () => {
      for (const who of [mod, await createUser(t)]) {
        const b = await signInBrowser(t, who);
        const res = await t.http
          .post('/mod/watched-words/starter-crisis')
          .set('Cookie', b.cookie)
          .type('form')
          .send({ _csrf: b.csrf });
        expect(res.status).toBe(403);
      }
      const guest = await t.http.post('/mod/watched-words/starter-crisis').type('form').send({});
      expect([303, 403]).toContain(guest.status);
      const audit = (await t.db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'watched_word.load_starter' AND actor_label <> $1 AND actor_label <> 'cli'`,
        [admin.username],
      )) as Array<{ n: number }>;
      expect(audit[0].n).toBe(0);
    });
  });
});

/** The queue card (an <article>) that shows this text. */
function cardOf(html: string, text: string): string {
  const card = html.split('<article').find((part) => part.includes(text));
  if (!card) throw new Error(`no queue card shows "${text}"`);
  return card.split('</article>')[0];
}
