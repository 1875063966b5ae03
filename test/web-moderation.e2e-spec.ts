import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './app';
import { ChatClients, createRoom, send } from './factories/chat';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, solvedCaptcha, type TestUser } from './factories/users';
import { type BrowserSession, csrfFor, signInBrowser } from './factories/web';
import { links } from '../src/web/core/links';

interface QueueItem {
  id: string;
  targetType: string;
  targetId: string;
}

describe('Moderation pages (web)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let member: TestUser;
  let adminB: BrowserSession;
  let modB: BrowserSession;
  let memberB: BrowserSession;
  let slug: string;
  const clients = new ChatClients();

  beforeAll(async () => {
    t = await startTestApp({ AUTO_HIDE_REPORTS: '3' });
    [admin, mod, member] = await Promise.all([
      createUser(t, { role: 'admin' }),
      createUser(t, { role: 'moderator' }),
      createUser(t),
    ]);
    [adminB, modB, memberB] = await Promise.all([admin, mod, member].map((u) => signInBrowser(t, u)));
    slug = (await createCategory(t, admin)).slug;
  });
  afterAll(async () => {
    clients.closeAll();
    await t.close();
  });

  const get = (who: BrowserSession | undefined, path: string) => {
    const req = t.http.get(path);
    return who ? req.set('Cookie', who.cookie) : req;
  };
  /** A form POST as the browser sends it; `csrf: false` leaves the token out. */
  const post = (who: BrowserSession | undefined, path: string, form: Record<string, string> = {}, csrf = true) => {
    const req = t.http.post(path).type('form');
    if (who) void req.set('Cookie', who.cookie);
    return req.send({ ...form, ...(csrf && who ? { _csrf: who.csrf } : {}) });
  };
  /** The flash message a redirect leaves for the next page. */
  const flashOf = (res: Response) => {
    const cookies = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
    const flash = cookies.find((c) => c.startsWith('haven_flash='));
    return flash ? decodeURIComponent(flash.split(';')[0].slice('haven_flash='.length)) : undefined;
  };

  /** The queue entry of a target, from the API (paging through the whole open queue). */
  const itemFor = async (targetType: string, targetId: string, status = 'open'): Promise<QueueItem> => {
    let cursor: string | undefined;
    for (;;) {
      const res = await t.http
        .get(`/api/moderation/queue?limit=100&status=${status}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(bearer(mod.accessToken))
        .expect(200);
      const found = (res.body.items as QueueItem[]).find((i) => i.targetType === targetType && i.targetId === targetId);
      if (found) return found;
      cursor = res.body.nextCursor as string | undefined;
      if (!cursor) throw new Error(`${targetType} ${targetId} is not in the ${status} queue`);
    }
  };

  /** The queue page's HTML of one entry, following "Next page" links until it shows up. */
  const cardOn = async (who: BrowserSession, itemId: string, start = '/mod'): Promise<string> => {
    let path: string | undefined = start;
    while (path) {
      const res: Response = await get(who, path).expect(200);
      const at = res.text.indexOf(`id="item-${itemId}-heading"`);
      if (at >= 0) {
        const end = res.text.indexOf('</article>', at);
        return res.text.slice(at, end);
      }
      path = /<a href="([^"]+)">Next page<\/a>/.exec(res.text)?.[1]?.replace(/&amp;/g, '&');
    }
    throw new Error(`queue item ${itemId} is not on the queue pages from ${start}`);
  };

  const reportPost = async (reporter: TestUser, postId: string, reason: string, note?: string) =>
    t.http
      .post('/api/reports')
      .set(bearer(reporter.accessToken))
      .send({ targetType: 'post', targetId: postId, reason, note })
      .expect(201);

  const postOf = async (author: TestUser, body: string, anonymous = false) => {
    await trust(t, author);
    const { threadId } = await createThread(t, author, slug, { title: 'Scan day nerves' });
    const r = await reply(t, author, threadId, body, { anonymous }).expect(201);
    return { threadId, postId: r.body.id as string };
  };

  describe('who may see and do what', () => {
    const pages = ['/mod', '/mod/sanctions', '/mod/watched-words', '/mod/audit', '/mod/rooms', '/mod/rooms/lobby'];
    const actions = [
      ['/mod/queue/1/resolve', { action: 'dismiss' }],
      ['/mod/sanctions', { username: 'someone', kind: 'silence', reason: 'because', duration: '' }],
      ['/mod/sanctions/someone/1/lift', {}],
      ['/mod/watched-words', { pattern: 'never', action: 'flag' }],
      ['/mod/watched-words/1/remove', {}],
      ['/mod/rooms', { slug: 'never-made', name: 'Never made', kind: 'open' }],
      ['/mod/rooms/lobby', { name: 'Renamed lobby' }],
    ] as const;

    it.each(pages)('sends a guest from %s to sign in, and back afterwards', async (path) => {
      const res = await get(undefined, path).expect(303);
      expect(res.headers.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    });

    it.each(pages)('shows a member a 403 page at %s, kept out of search engines', async (path) => {
      const res = await get(memberB, path).expect(403);
      expect(res.text).toContain('<h1>Not allowed</h1>');
      expect(res.text).toContain('<meta name="robots" content="noindex">');
      expect(res.text).not.toContain('mod-subnav');
    });

    it('lets moderators in (noindex, with the sub-navigation) but keeps watched words to admins, as on the API', async () => {
      for (const path of pages.filter((p) => p !== '/mod/watched-words')) {
        const res = await get(modB, path).expect(200);
        expect(res.text).toContain('<meta name="robots" content="noindex">');
        expect(res.text).toContain('<nav class="mod-subnav" aria-label="Moderation">');
        expect(res.text).not.toContain('href="/mod/watched-words"');
      }
      expect((await get(modB, '/mod/watched-words').expect(403)).text).toContain('Only an admin may see this page');
      const asAdmin = await get(adminB, '/mod/watched-words').expect(200);
      expect(asAdmin.text).toContain('<a href="/mod/watched-words" aria-current="page">Watched words</a>');
      await post(modB, '/mod/watched-words', { pattern: 'sneaky', action: 'flag' }).expect(403);
      await post(modB, '/mod/watched-words/1/remove').expect(403);
    });

    it('marks the current page in the sub-navigation', async () => {
      const cases = [
        ['/mod', 'Queue'],
        ['/mod/sanctions', 'Sanctions'],
        ['/mod/audit', 'Audit log'],
        ['/mod/rooms', 'Chat rooms'],
      ];
      for (const [path, label] of cases) {
        const res = await get(modB, path).expect(200);
        expect(res.text).toContain(`<a href="${path}" aria-current="page">${label}</a>`);
        expect(res.text.match(/mod-subnav[\s\S]*?<\/nav>/)![0].match(/aria-current/g)).toHaveLength(1);
      }
    });

    it.each(actions)('refuses %s to members (403) and to anyone without the form token (403)', async (path, form) => {
      await post(memberB, path, form).expect(403);
      const noToken = await post(modB, path, form, false).expect(403);
      expect(noToken.text).toContain('please go back, reload it and send again');
      await post(undefined, path, form).expect(403);
      // A guest with a token of their own is asked to sign in, not let through.
      const visitor = await get(undefined, '/signin').expect(200);
      const cookie = ([] as string[]).concat(visitor.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      await post({ cookie, csrf: await csrfFor(t, cookie, '/signin') }, path, form).expect(401);
    });
  });

  describe('the queue', () => {
    it('shows a reported anonymous reply: what, where, its real author marked anonymous, why, and what can be done', async () => {
      const author = await createUser(t);
      const [r1, r2] = await Promise.all([createUser(t), createUser(t)]);
      const { threadId, postId } = await postOf(author, 'Stop chemo, this **tea** cures everything', true);
      await reportPost(r1, postId, 'misinformation', 'Claims a cure <script>alert(1)</script>');
      await reportPost(r2, postId, 'spam');
      const item = await itemFor('post', postId);
      const card = await cardOn(modB, item.id, '/mod?type=post');
      expect(card).toContain('Forum reply');
      expect(card).toContain(`href="${links.post(threadId, postId)}"`);
      expect(card).toContain('Reply in “Scan day nerves”');
      expect(card).toContain(`(@${author.username})`);
      expect(card).toContain('Posted anonymously');
      expect(card).toContain('Reported 2 times');
      expect(card).toContain('Misinformation, by @');
      expect(card).toContain('Claims a cure &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(card).not.toContain('<script>');
      expect(card).toContain('<strong>tea</strong>'); // the sanitised HTML the backend stored
      expect(card).toMatch(/<button type="submit" name="action" value="dismiss">Keep \(dismiss reports\)<\/button>/);
      expect(card).toContain('value="hide"');
      expect(card).toContain('value="delete"');
      expect(card).not.toContain('value="approve"');
      expect(card).toContain(`href="/mod/sanctions?user=${author.username}"`);

      const page = await get(modB, '/mod').expect(200);
      expect(page.text).toMatch(/<strong>\d+ waiting<\/strong>/);
      expect(page.text).toMatch(/reported by members: .*misinformation \d+/);
    });

    it('approves a held post in one click, redirecting back with a flash; the post is published', async () => {
      const newcomer = await createUser(t);
      const held = await createCategory(t, admin, 'new_members');
      const res = await t.http
        .post(`/api/categories/${held.slug}/threads`)
        .set(bearer(newcomer.accessToken))
        .send({ title: 'Hello from a newcomer', body: 'My first post here' })
        .expect(202);
      const threadId = res.body.thread.id as string;
      const item = await itemFor('thread', threadId);
      const card = await cardOn(modB, item.id, '/mod?type=thread');
      expect(card).toContain('<span class="mod-tag">Held</span>');
      expect(card).toContain('Held for approval:</strong> new member: first posts wait for a moderator');
      expect(card).toContain('new member, nothing approved yet');
      for (const action of ['approve', 'reject', 'delete']) expect(card).toContain(`value="${action}"`);
      expect(card).not.toContain('value="dismiss"');

      // without the form token nothing happens
      await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'approve' }, false).expect(403);
      await t.http.get(`/api/threads/${threadId}`).expect(404);

      const done = await post(modB, `/mod/queue/${item.id}/resolve`, {
        action: 'approve',
        note: 'welcome',
        back: '/mod?type=thread',
      }).expect(303);
      expect(done.headers.location).toBe('/mod?type=thread');
      expect(flashOf(done)).toBe('Approved: it is published now.');
      await t.http.get(`/api/threads/${threadId}`).expect(200);
      expect((await itemFor('thread', threadId, 'resolved')).id).toBe(item.id);
      const resolved = await cardOn(modB, item.id, '/mod?status=resolved&type=thread');
      expect(resolved).toContain('<strong>Approved</strong>');
      expect(resolved).toContain(': welcome');
      expect(resolved).not.toContain('<form');
    });

    it('keeps the typed note when the note is refused (422), and says so when someone else resolved it first (409)', async () => {
      const author = await createUser(t);
      const reporter = await createUser(t);
      const { postId } = await postOf(author, 'A reply someone dislikes');
      await reportPost(reporter, postId, 'abuse');
      const item = await itemFor('post', postId);
      const long = `Too long ${'x'.repeat(1000)}`;
      const refused = await post(modB, `/mod/queue/${item.id}/resolve`, {
        action: 'hide',
        note: long,
        back: '/mod?type=post',
      }).expect(422);
      expect(refused.text).toContain(`id="item-${item.id}-error"`);
      expect(refused.text).toContain('note must be 0-1000 characters');
      expect(refused.text).toContain(`value="${long}"`);
      expect((await itemFor('post', postId)).id).toBe(item.id);

      const bad = await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'obliterate' }).expect(422);
      expect(bad.text).toContain('action must be one of approve, reject, hide, restore, delete, dismiss');

      await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'hide' }).expect(303);
      const again = await post(modB, `/mod/queue/${item.id}/resolve`, { action: 'delete' }).expect(409);
      expect(again.text).toContain('This item was already resolved');
    });

    it('shows watched-word rules: numbers for moderators, links to the rule for admins', async () => {
      const word = `tisane${Date.now().toString(36)}`;
      const added = await post(adminB, '/mod/watched-words', { pattern: word, action: 'flag' }).expect(303);
      expect(flashOf(added)).toBe(`Added “${word}” (flag).`);
      const author = await createUser(t);
      const { postId } = await postOf(author, `Try my ${word} blend`);
      const item = await itemFor('post', postId);
      const asMod = await cardOn(modB, item.id, '/mod?type=post');
      expect(asMod).toMatch(/Watched word:<\/strong> watched word \(flag\): rule #\d+/);
      expect(asMod).not.toContain('href="/mod/watched-words#word-');
      expect(asMod).toContain('Keep (looks fine)');
      const asAdmin = await cardOn(adminB, item.id, '/mod?type=post');
      expect(asAdmin).toMatch(/href="\/mod\/watched-words#word-\d+">see rule #\d+<\/a>/);
    });

    it('takes chat messages too, linking to their room', async () => {
      const room = await createRoom(t, mod);
      const author = await createUser(t);
      const reporter = await createUser(t);
      const { socket } = await clients.joined(t, author, room.slug);
      const { message: sent } = await send(socket, room.slug, 'a chat message to report');
      await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'chat_message', targetId: sent.id, reason: 'self_harm', note: 'please check on them' })
        .expect(201);
      const item = await itemFor('chat_message', sent.id);
      const card = await cardOn(modB, item.id, '/mod?type=chat_message');
      expect(card).toContain('Chat message');
      expect(card).toContain('<span class="mod-tag mod-tag-crisis">Crisis</span>');
      expect(card).toContain(`href="/chat/${room.slug}"`);
      expect(card).toContain('Self-harm or crisis, by @');
      expect(card).toContain('a chat message to report');
    });

    it("shows a guest's held comment with its spam signals and the name the guest gave", async () => {
      const res = await t.http
        .post('/api/pages/breast-cancer-stage-four/comments')
        .send({
          body: 'Great article! Visit https://a.example https://b.example https://c.example https://d.example',
          authorName: 'Helpful Harry',
          acceptTerms: true,
          website: 'https://spam.example',
          captcha: await solvedCaptcha(t.http),
        })
        .expect(202);
      const commentId = (res.body.id ?? res.body.comment?.id) as string;
      const item = await itemFor('comment', commentId);
      const card = await cardOn(modB, item.id, '/mod?type=comment');
      expect(card).toContain('Article comment');
      expect(card).toContain(`href="/articles/breast-cancer-stage-four#comment-${commentId}"`);
      expect(card).toContain('Comment on “Breast Cancer Stage Four”');
      expect(card).toContain('By a guest who gave the name “Helpful Harry”');
      expect(card).toContain('Held for approval:</strong> guest comment');
      expect(card).toContain('Spam signal:</strong> the hidden form field was filled in');
      expect(card).toMatch(/Spam signal:<\/strong> \d+ links/);
      expect(card).toContain('value="approve"');
      expect(card).not.toContain('/mod/sanctions?user=');
    });

    it('shows a reported member with their profile, only a Keep, and a link to sanction them', async () => {
      const reported = await createUser(t);
      const reporter = await createUser(t);
      await t.http
        .patch('/api/me')
        .set(bearer(reported.accessToken))
        .send({ bio: 'DM me for *cheap* meds' })
        .expect(200);
      await t.http
        .post('/api/reports')
        .set(bearer(reporter.accessToken))
        .send({ targetType: 'user', targetId: reported.username, reason: 'spam', note: 'selling pills' })
        .expect(201);
      const item = await itemFor('user', reported.id);
      const card = await cardOn(modB, item.id, '/mod?type=user');
      expect(card).toContain('Member profile');
      expect(card).toContain(`Profile of @${reported.username}`);
      expect(card).toContain('DM me for *cheap* meds');
      expect(card.match(/name="action"/g)).toHaveLength(1);
      expect(card).toContain('value="dismiss">Keep (dismiss reports)');
      expect(card).toContain(`href="/mod/sanctions?user=${reported.username}"`);
    });

    it('refuses a cursor it did not give out', async () => {
      await get(modB, '/mod?cursor=not-a-cursor').expect(400);
      await get(modB, '/mod?type=poem').expect(400);
    });
  });

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
      expect(done.headers.location).toBe('/mod/sanctions');
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
      [{ kind: 'silence', duration: '', reason: 'no' }, 422, 'reason must be 3-500 characters'],
      [{ kind: 'suspend', duration: '', reason: 'Cooling off' }, 422, 'A suspension needs a duration'],
      [{ kind: 'ban', duration: '7d', reason: 'Spam account' }, 422, 'A ban lasts until it is lifted'],
      [{ kind: 'exile', duration: '', reason: 'Go away' }, 422, 'kind must be silence, suspend or ban'],
      [{ kind: 'silence', duration: 'forever', reason: 'Go away' }, 422, 'duration must be one from the list'],
    ])('re-renders %j with what was typed (%i)', async (fields, status, message) => {
      const target = await createUser(t);
      const res = await post(modB, '/mod/sanctions', { username: target.username, ...fields }).expect(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain('role="alert" id="sanction-error"');
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
      expect(dup.text).toContain('pattern is already on the list');
      expect(dup.text).toContain(`value="${word.toUpperCase()}"`);
      expect(dup.text).toMatch(/value="flag" checked/);
      const bad = await post(adminB, '/mod/watched-words', { pattern: 'fine', action: 'explode' }).expect(422);
      expect(bad.text).toContain('action must be block, hold, flag or crisis');
      expect(bad.text).toContain('value="fine"');
      const empty = await post(adminB, '/mod/watched-words', { pattern: '   ', action: 'flag' }).expect(422);
      expect(empty.text).toContain('role="alert" id="word-error"');

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
      expect(bad.text).toContain('name must be 2-80 characters');
      expect(bad.text).toContain('id="room-name" name="name" value="X"');
    });

    it.each([
      [{ slug: 'Bad Slug!', name: 'Bad slug room', kind: 'open' }, 'slug must be a slug'],
      [
        { slug: 'session-without-times', name: 'A session', kind: 'session' },
        'startsAt is required for a session room',
      ],
      [
        {
          slug: 'open-with-times',
          name: 'Open',
          kind: 'open',
          startsAt: '2030-01-01T10:00',
          endsAt: '2030-01-01T11:00',
        },
        'startsAt and endsAt are for session rooms only',
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
      expect(taken.text).toContain('slug is already used by another room');
      await get(modB, '/mod/rooms/no-such-room').expect(404);
    });
  });
});
