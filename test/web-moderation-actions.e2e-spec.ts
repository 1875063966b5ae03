import type { TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession } from './factories/web';
import { moderationPageHelpers, startModerationPagesApp } from './support/moderation-pages';

/** Moderation pages: sanctions, watched words, the audit log and chat rooms. */
describe('Moderation pages (web)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let adminB: BrowserSession;
  let modB: BrowserSession;
  let slug: string;

  beforeAll(async () => {
    ({ t, admin, mod, adminB, modB, slug } = await startModerationPagesApp());
  });
  afterAll(() => t.close());
  const { get, post, flashOf } = moderationPageHelpers(() => ({ t, mod, slug }));

  describe('sanctions', () => {
    it('fills in the member from ?user=, sanctions them, lists who did it, and lifts it', async () => {
      const target = await createUser(t);
      const form = await get(modB, `/mod/sanctions?user=${target.username}`).expect(200);
      expect(form.text).toContain(`id="sanction-username" name="username" value="${target.username}"`);
      expect(form.text).toContain(`Every sanction of @${target.username}`);

      const done = await post(modB, '/mod/sanctions', {
        username: target.username,
        kind: 'silence',
        duration: '1d',
        reason: 'Please keep it kind',
      }).expect(303);
      expect(done.headers.location).toBe('/mod/sanctions#sanction-done');
      expect(flashOf(done)).toMatch(new RegExp(`^Silenced @${target.username} until .* UTC\\.$`));
      await t.http.post(`/api/threads/1/posts`).set(bearer(target.accessToken)).send({ body: 'hello' }).expect(403);

      const page = await get(modB, '/mod/sanctions').expect(200);
      const row = page.text.slice(page.text.indexOf(`(@${target.username})`));
      expect(row).toContain('Silenced');
      expect(row).toContain('Reason: Please keep it kind');
      expect(row).toContain(`issued by @${mod.username}`);
      const lift = new RegExp(`action="(/mod/sanctions/${target.username}/(\\d+)/lift)"`).exec(page.text);
      expect(lift).not.toBeNull();
      await post(modB, lift![1], {}, false).expect(403);
      const lifted = await post(modB, lift![1]).expect(303);
      expect(flashOf(lifted)).toBe(`Lifted the silence of @${target.username}.`);
      expect((await get(modB, '/mod/sanctions').expect(200)).text).not.toContain(`(@${target.username})`);
      const twice = await post(modB, lift![1]).expect(404);
      expect(twice.text).toContain('Active sanction not found');
    });

    it.each([
      [{ kind: 'silence', duration: '', reason: 'no' }, 422, 'Reason must be 3-500 characters'],
      [{ kind: 'suspend', duration: '', reason: 'Cooling off' }, 422, 'A suspension needs a duration'],
      [{ kind: 'ban', duration: '7d', reason: 'Spam account' }, 422, 'A ban lasts until it is lifted'],
      [{ kind: 'exile', duration: '', reason: 'Go away' }, 422, 'Kind must be silence, suspend or ban'],
      [
        { kind: 'silence', duration: 'forever', reason: 'Go away' },
        422,
        'Choose how long the sanction lasts, from the list',
      ],
    ])('re-renders %j with what was typed (%i)', async (fields, status, message) => {
      const target = await createUser(t);
      const res = await post(modB, '/mod/sanctions', { username: target.username, ...fields }).expect(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain('id="sanction-error" role="alert"');
      expect(res.text).toContain(`name="username" value="${target.username}"`);
      expect(res.text).toContain(`>${fields.reason}</textarea>`);
      const { body } = await t.http
        .get(`/api/moderation/users/${target.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .expect(200);
      expect(body).toEqual([]);
    });

    it('says so, keeping the form, for an unknown member (404) and for a moderator sanctioning a moderator (403)', async () => {
      const unknown = await post(modB, '/mod/sanctions', {
        username: 'nobody_is_called_this',
        kind: 'silence',
        duration: '',
        reason: 'Keep it kind',
      }).expect(404);
      expect(unknown.text).toContain('User not found');
      expect(unknown.text).toContain('value="nobody_is_called_this"');
      const other = await createUser(t, { role: 'moderator' });
      const peer = await post(modB, '/mod/sanctions', {
        username: other.username,
        kind: 'ban',
        duration: '',
        reason: 'Peer review',
      }).expect(403);
      expect(peer.text).toContain('A moderator cannot sanction a moderator');
      expect(peer.text).toContain('>Peer review</textarea>');
      // an admin may
      await post(adminB, '/mod/sanctions', {
        username: other.username,
        kind: 'suspend',
        duration: '1h',
        reason: 'Peer review',
      }).expect(303);
    });
  });

  describe('watched words', () => {
    it('adds, lists with who added it, refuses duplicates and bad patterns with the text kept, and removes', async () => {
      const word = `remedy${Date.now().toString(36)}`;
      await post(adminB, '/mod/watched-words', { pattern: word, action: 'hold' }, false).expect(403);
      await post(adminB, '/mod/watched-words', { pattern: word, action: 'hold' }).expect(303);
      const page = await get(adminB, '/mod/watched-words').expect(200);
      const at = page.text.indexOf(`<span class="mod-pattern">${word}</span>`);
      expect(at).toBeGreaterThan(0);
      const row = page.text.slice(at, page.text.indexOf('</li>', at));
      expect(row).toContain('mod-tag-hold');
      expect(row).toContain(`Added by @${admin.username}`);

      const dup = await post(adminB, '/mod/watched-words', { pattern: word.toUpperCase(), action: 'flag' }).expect(409);
      expect(dup.text).toContain('Word or phrase is already on the list');
      expect(dup.text).toContain(`value="${word.toUpperCase()}"`);
      expect(dup.text).toMatch(/value="flag" checked/);
      const bad = await post(adminB, '/mod/watched-words', { pattern: 'fine', action: 'explode' }).expect(422);
      expect(bad.text).toContain('The action must be block, hold, flag or crisis');
      expect(bad.text).toContain('value="fine"');
      const empty = await post(adminB, '/mod/watched-words', { pattern: '   ', action: 'flag' }).expect(422);
      expect(empty.text).toContain('id="word-error" role="alert"');

      const id = new RegExp(
        `id="word-(\\d+)">\\s*<div class="mod-row-main">\\s*<p><span class="mod-pattern">${word}<`,
      ).exec(page.text)![1];
      const removed = await post(adminB, `/mod/watched-words/${id}/remove`).expect(303);
      expect(flashOf(removed)).toBe(`Removed rule #${id}.`);
      expect((await get(adminB, '/mod/watched-words').expect(200)).text).not.toContain(`>${word}<`);
      const gone = await post(adminB, `/mod/watched-words/${id}/remove`).expect(404);
      expect(gone.text).toContain('Watched word not found');
    });
  });

  describe('audit log', () => {
    it('lists every action newest first, with who did it', async () => {
      const a = await createUser(t);
      const b = await createUser(t);
      for (const target of [a, b]) {
        await post(modB, '/mod/sanctions', {
          username: target.username,
          kind: 'silence',
          duration: '',
          reason: `Audit check for ${target.username}`,
        }).expect(303);
      }
      const page = await get(modB, '/mod/audit').expect(200);
      const first = page.text.indexOf(`Audit check for ${b.username}`);
      const second = page.text.indexOf(`Audit check for ${a.username}`);
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(first);
      expect(page.text).toContain(`<td data-label="Who">@${mod.username}</td>`);
      expect(page.text).toContain('<code>sanction.silence</code>');
      expect(page.text).toContain(`user @${b.username}`);
      await get(modB, '/mod/audit?cursor=garbage').expect(400);
    });

    it('pages with keyset links', async () => {
      const target = await createUser(t);
      for (let i = 0; i < 51; i += 1) {
        await t.db.query(
          `INSERT INTO audit_log (actor_id, actor_label, action, target_type, target_id, note) VALUES ($1, $2, 'test.entry', 'user', $3, $4)`,
          [mod.id, mod.username, target.username, `entry ${i}`],
        );
      }
      const page = await get(modB, '/mod/audit').expect(200);
      expect(page.text).toContain('>entry 50<');
      const next = /<a href="(\/mod\/audit\?cursor=[^"]+)">Older entries<\/a>/.exec(page.text);
      expect(next).not.toBeNull();
      const older = await get(modB, next![1]).expect(200);
      expect(older.text).toContain('<a href="/mod/audit">Newest entries</a>');
      expect(older.text).not.toContain('>entry 50<');
    });
  });

  describe('chat rooms', () => {
    it('creates a room, changes it, and shows who is muted in it', async () => {
      const roomSlug = `care-${Date.now().toString(36)}`;
      await post(modB, '/mod/rooms', { slug: roomSlug, name: 'Carers', kind: 'open' }, false).expect(403);
      const made = await post(modB, '/mod/rooms', {
        slug: roomSlug,
        name: 'Carers’ corner',
        description: 'For the people who care',
        kind: 'open',
        slowModeSeconds: '5',
        approval: 'none',
      }).expect(303);
      expect(flashOf(made)).toBe(`The room “Carers’ corner” is open at /chat/${roomSlug}.`);
      const list = await get(modB, '/mod/rooms').expect(200);
      expect(list.text).toContain(`<a href="/chat/${roomSlug}">Carers’ corner</a>`);
      expect(list.text).toContain('slow mode 5 s');

      const target = await createUser(t);
      await t.db.query(
        `INSERT INTO chat_restrictions (room_id, user_id, kind, until, created_by)
         SELECT id, $2, 'mute', now() + interval '1 hour', $3 FROM chat_rooms WHERE slug = $1`,
        [roomSlug, target.id, mod.id],
      );
      const edit = await get(modB, `/mod/rooms/${roomSlug}`).expect(200);
      expect(edit.text).toContain('value="Carers’ corner"');
      expect(edit.text).not.toContain('name="startsAt"');
      expect(edit.text).toMatch(new RegExp(`\\(@${target.username}\\): muted until`));

      const saved = await post(modB, `/mod/rooms/${roomSlug}`, {
        name: 'Carers together',
        description: '',
        slowModeSeconds: '0',
        approval: 'new_members',
      }).expect(303);
      expect(flashOf(saved)).toBe('Saved the room “Carers together”.');
      const rooms = await t.http.get('/api/chat/rooms').expect(200);
      expect(rooms.body.find((r: { slug: string }) => r.slug === roomSlug)).toMatchObject({
        name: 'Carers together',
        description: '',
        slowModeSeconds: 0,
      });
      const bad = await post(modB, `/mod/rooms/${roomSlug}`, { name: 'X', slowModeSeconds: '0' }).expect(422);
      expect(bad.text).toContain('Name must be 2-80 characters');
      expect(bad.text).toContain('id="room-name" name="name" value="X"');
    });

    it.each([
      [{ slug: 'Bad Slug!', name: 'Bad slug room', kind: 'open' }, 'Address must be a slug'],
      [
        { slug: 'session-without-times', name: 'A session', kind: 'session' },
        'The opening time is required for a session room',
      ],
      [
        {
          slug: 'open-with-times',
          name: 'Open',
          kind: 'open',
          startsAt: '2030-01-01T10:00',
          endsAt: '2030-01-01T11:00',
        },
        'The opening time and the closing time are for session rooms only',
      ],
      [{ slug: 'slow-room', name: 'Slow room', kind: 'open', slowModeSeconds: 'soon' }, 'slowModeSeconds'],
    ])('re-renders a refused room %j with what was typed (422)', async (fields, message) => {
      const res = await post(modB, '/mod/rooms', fields).expect(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`id="room-name" name="name" value="${fields.name}"`);
      expect(res.text).toContain(`value="${fields.slug}"`);
    });

    it('creates a session with its times read as UTC, and refuses a taken address (409)', async () => {
      const roomSlug = `circle-${Date.now().toString(36)}`;
      const fields = {
        slug: roomSlug,
        name: 'Evening circle',
        kind: 'session',
        startsAt: '2030-03-01T18:00',
        endsAt: '2030-03-01T19:30',
      };
      await post(modB, '/mod/rooms', fields).expect(303);
      const rooms = await t.http.get('/api/chat/rooms').expect(200);
      expect(rooms.body.find((r: { slug: string }) => r.slug === roomSlug)).toMatchObject({
        kind: 'session',
        startsAt: '2030-03-01T18:00:00.000Z',
        endsAt: '2030-03-01T19:30:00.000Z',
      });
      const edit = await get(modB, `/mod/rooms/${roomSlug}`).expect(200);
      expect(edit.text).toContain('name="startsAt" value="2030-03-01T18:00"');
      const taken = await post(modB, '/mod/rooms', fields).expect(409);
      expect(taken.text).toContain('Address is already used by another room');
      await get(modB, '/mod/rooms/no-such-room').expect(404);
    });
  });
});
