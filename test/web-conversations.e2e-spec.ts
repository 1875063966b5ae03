import { randomBytes, randomUUID } from 'node:crypto';
import { ConversationsService } from '../src/conversations/conversations.service';
import { startTestApp, type TestApp } from './app';
import { trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { browserAt, cookiesOf, signInBrowser } from './factories/web';

type Browser = { cookie: string; csrf: string };

/**
 * Private conversations in the pages (no JavaScript): starting one from the form (every refusal shown beside it in
 * words), replying, the header's count and read marks, reporting a message, leaving after a confirmation, and who
 * may message her. Nobody but a participant reads a conversation's pages.
 */
describe('Conversation pages (web)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A member whose first post was approved (new members may not start conversations), signed in. */
  async function member(): Promise<{ user: TestUser; b: Browser }> {
    const user = await createUser(t);
    await trust(t, user);
    return { user, b: await signInBrowser(t, user) };
  }

  const post = (b: Browser, path: string, fields: Record<string, string>) =>
    t.http
      .post(path)
      .set('Cookie', b.cookie)
      .type('form')
      .send({ _csrf: b.csrf, ...fields });

  const page = (b: Browser, path: string) => t.http.get(path).set('Cookie', b.cookie);

  /** Follows a POST's redirect as the browser would: with the cookies it set (the flash line). */
  const follow = (res: { headers: Record<string, string | string[]> }, b: Browser) =>
    t.http
      .get(String(res.headers.location).split('#')[0])
      .set('Cookie', cookiesOf(res.headers['set-cookie'], b.cookie))
      .expect(200);

  /** Starts a conversation through the form; returns its id and the first message's. */
  async function start(from: Browser, usernames: string, body: string) {
    const res = await post(from, '/messages/new', { usernames, body, clientId: `c-${randomUUID().slice(0, 8)}` });
    expect(res.status).toBe(303);
    const [, id, messageId] = /^\/messages\/(\d+)#m-(\d+)$/.exec(String(res.headers.location))!;
    return { id, messageId, res };
  }

  const headerCount = (html: string) => /data-unread-conversations>(\d+)/.exec(html)?.[1];

  it('starts a conversation from the form; the other sees it in her list and header, and reading it clears them', async () => {
    const ann = await member();
    const bea = await member();
    const form = await page(ann.b, `/messages/new?to=${bea.user.username}`).expect(200);
    expect(form.text).toContain(`value="${bea.user.username}"`);

    const preview = await post(ann.b, '/messages/new', {
      usernames: bea.user.username,
      body: 'Hello **Bea**',
      clientId: 'preview-1',
      intent: 'preview',
    }).expect(200);
    expect(preview.text).toContain('<strong>Bea</strong>');
    expect(await t.db.query(`SELECT 1 FROM conversation_messages WHERE client_id = 'preview-1'`)).toHaveLength(0);

    const { id, messageId } = await start(ann.b, `@${bea.user.username}`, 'Hello **Bea**, how are you?');
    const list = await page(bea.b, '/messages').expect(200);
    expect(list.text).toContain(`href="/messages/${id}"`);
    expect(list.text).toContain('1 new message');
    expect(headerCount(list.text)).toBe('1');

    const opened = await page(bea.b, `/messages/${id}`).expect(200);
    expect(opened.text).toContain(`id="m-${messageId}"`);
    expect(opened.text).toContain('<strong>Bea</strong>');
    expect(opened.text).toContain(`/report/message/${messageId}`);
    expect(headerCount(opened.text)).toBeUndefined();
    const after = await page(bea.b, '/messages').expect(200);
    expect(after.text).not.toContain('new message');
  });

  it('replies by the form once for the same clientId, and the author sees her reply', async () => {
    const ann = await member();
    const bea = await member();
    const { id } = await start(ann.b, bea.user.username, 'Are you coming on Thursday?');
    const clientId = `r-${randomUUID().slice(0, 8)}`;
    const sent = await post(bea.b, `/messages/${id}`, { body: 'Yes, see you _there_.', clientId }).expect(303);
    const again = await post(bea.b, `/messages/${id}`, { body: 'Yes, see you _there_.', clientId }).expect(303);
    expect(again.headers.location).toBe(sent.headers.location);
    const rows = (await t.db.query(`SELECT id FROM conversation_messages WHERE client_id = $1`, [
      clientId,
    ])) as unknown[];
    expect(rows).toHaveLength(1);
    const shown = await follow(sent, bea.b);
    expect(shown.text).toContain('<em>there</em>');
    // An empty reply comes back with the error summary, linked to the field.
    const empty = await post(bea.b, `/messages/${id}`, { body: '   ', clientId: 'empty-1' }).expect(422);
    expect(empty.text).toContain('There is a problem');
    expect(empty.text).toContain('href="#reply-body"');
  });

  it('explains each refusal beside the form, with what was typed kept', async () => {
    const ann = await member();
    const dee = await member();
    const saved = await post(dee.b, '/settings/messages', { accept: 'nobody' }).expect(303);
    expect(saved.headers.location).toBe('/settings/messages#messages-saved');
    const settings = await follow(saved, dee.b);
    expect(settings.text).toContain('nobody may start a conversation with you');
    expect(settings.text).toMatch(/id="accept-nobody" name="accept" value="nobody" checked/);

    const refused = await post(ann.b, '/messages/new', {
      usernames: dee.user.username,
      body: 'Hello there, friend.',
      clientId: 'refused-1',
    }).expect(403);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain(`@${dee.user.username} is not taking new conversations from you`);
    expect(refused.text).toContain('Hello there, friend.');

    const unknown = await post(ann.b, '/messages/new', {
      usernames: 'nobody_by_this_name',
      body: 'Hi',
      clientId: 'unknown-1',
    }).expect(422);
    expect(unknown.text).toContain('href="#conversation-usernames"');

    const newcomer = await signInBrowser(t, await createUser(t));
    const early = await post(newcomer, '/messages/new', {
      usernames: ann.user.username,
      body: 'Hi Ann',
      clientId: 'early-1',
    }).expect(403);
    expect(early.text).toContain('once a moderator has approved your first post');

    const none = await post(dee.b, '/settings/messages', { accept: 'sometimes' }).expect(422);
    expect(none.text).toContain('Please choose who may start a conversation with you.');
  });

  it('shows nothing of a conversation to anyone outside it (404), and sends guests to sign in', async () => {
    const ann = await member();
    const bea = await member();
    const eve = await member();
    const { id, messageId } = await start(ann.b, bea.user.username, 'Just between us.');
    for (const path of [`/messages/${id}`, `/messages/${id}/leave`, `/report/message/${messageId}`]) {
      const res = await page(eve.b, path).expect(404);
      expect(res.text).not.toContain('Just between us.');
    }
    await post(eve.b, `/messages/${id}`, { body: 'Let me in', clientId: 'eve-1' }).expect(404);
    await post(eve.b, `/messages/${id}/leave`, {}).expect(404);
    await page(eve.b, '/messages/not-a-number').expect(404);
    await post(eve.b, '/messages/not-a-number', { body: 'Hi', clientId: 'eve-2' }).expect(404);
    await post(eve.b, '/messages/not-a-number/leave', {}).expect(404);
    await page(eve.b, `/messages/${id}?before=abc`).expect(400);
    const guest = await browserAt(t, '', '/signin');
    const away = await page(guest, `/messages/${id}`).expect(303);
    expect(String(away.headers.location)).toContain('/signin');
  });

  it("reports another's message into the queue, and leaves after a confirmation", async () => {
    const ann = await member();
    const bea = await member();
    const { id, messageId } = await start(ann.b, bea.user.username, 'Send me your bank details please.');
    const form = await page(bea.b, `/report/message/${messageId}`).expect(200);
    expect(form.text).toContain('Send me your bank details please.');
    const noReason = await post(bea.b, `/report/message/${messageId}`, { reason: '' }).expect(422);
    expect(noReason.text).toContain('Please choose what is wrong with this message.');
    const reported = await post(bea.b, `/report/message/${messageId}`, { reason: 'spam', note: 'money' }).expect(303);
    expect(reported.headers.location).toBe(`/messages/${id}#m-${messageId}`);
    const rows = (await t.db.query(
      `SELECT reason FROM reports WHERE target_type = 'conversation_message' AND target_id = $1 AND reporter_id = $2`,
      [messageId, bea.user.id],
    )) as Array<{ reason: string }>;
    expect(rows).toEqual([{ reason: 'spam' }]);

    const confirm = await page(bea.b, `/messages/${id}/leave`).expect(200);
    expect(confirm.text).toContain('Leave this conversation?');
    const left = await post(bea.b, `/messages/${id}/leave`, {}).expect(303);
    expect(left.headers.location).toBe('/messages');
    expect((await follow(left, bea.b)).text).not.toContain(`href="/messages/${id}"`);
    const seen = await page(ann.b, `/messages/${id}`).expect(200);
    expect(seen.text).toContain('(left)');
    expect(seen.text).toContain('Everyone else has left this conversation');
    const late = await post(bea.b, `/messages/${id}`, { body: 'One more thing', clientId: 'late-1' }).expect(403);
    expect(late.text).toContain('You left this conversation');
    expect(late.text).toContain('There is a problem');
    const api = await t.http.get(`/api/conversations/${id}/messages`).set(bearer(bea.user.accessToken)).expect(200);
    expect(api.body.items).toHaveLength(1);
  });

  it('shows a held message to its author as waiting, and nothing of it to the others', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const word = `quokka${randomBytes(3).toString('hex')}`;
    const added = await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern: word, action: 'hold' })
      .expect(201);
    try {
      const ann = await member();
      const bea = await member();
      const { id } = await start(ann.b, bea.user.username, 'Hello Bea.');
      const held = await post(ann.b, `/messages/${id}`, { body: `About the ${word} tonight`, clientId: 'held-1' });
      expect(held.status).toBe(303);
      const mine = await follow(held, ann.b);
      expect(mine.text).toContain('Your message is waiting for a moderator to look at it');
      expect(mine.text).toContain(`About the ${word} tonight`);
      expect(mine.text).toContain('Waiting: a moderator will look at it before the others see it');
      const theirs = await page(bea.b, `/messages/${id}`).expect(200);
      expect(theirs.text).not.toContain(word);
    } finally {
      await t.http
        .delete(`/api/moderation/watched-words/${(added.body as { id: string }).id}`)
        .set(bearer(admin.accessToken))
        .expect(204);
    }
  });

  it('marks a care conversation as from the moderation team, in the list and on its page', async () => {
    const mod = await createUser(t, { role: 'moderator' });
    const cat = await member();
    await post(cat.b, '/settings/messages', { accept: 'nobody' }).expect(303);
    const care = await t.app.get(ConversationsService).startCare({
      moderatorId: mod.id,
      memberId: cat.user.id,
      body: 'Hello, we saw your post and wanted to check in. How are you doing?',
      itemId: '1',
    });
    const list = await page(cat.b, '/messages').expect(200);
    expect(list.text).toContain('Messages from the moderation team');
    expect(list.text).toContain('From the moderation team');
    const opened = await page(cat.b, `/messages/${care.conversation.id}`).expect(200);
    expect(opened.text).toContain('<h1>Messages from the moderation team</h1>');
    expect(opened.text).toContain('A moderator opened this conversation to look in on you.');
    expect(opened.text).toMatch(/class="chat-msg chat-team"/);
    // She answers like any conversation.
    await post(cat.b, `/messages/${care.conversation.id}`, {
      body: 'Thank you, I am okay.',
      clientId: 'care-1',
    }).expect(303);
  });

  it('links "Send a message" from a profile, not to a member she blocks nor to one who takes no new conversations', async () => {
    const ann = await member();
    const bea = await member();
    const profile = await page(ann.b, `/u/${bea.user.username}`).expect(200);
    expect(profile.text).toContain(`href="/messages/new?to=${bea.user.username}"`);
    await t.http.post(`/api/users/${bea.user.username}/block`).set(bearer(ann.user.accessToken)).expect(204);
    const blocked = await page(ann.b, `/u/${bea.user.username}`).expect(200);
    expect(blocked.text).not.toContain('/messages/new?to=');
    const own = await page(ann.b, `/u/${ann.user.username}`).expect(200);
    expect(own.text).not.toContain('/messages/new?to=');
    // Nor to a member who takes no new conversations.
    const cat = await member();
    await post(cat.b, '/settings/messages', { accept: 'nobody' }).expect(303);
    const closed = await page(ann.b, `/u/${cat.user.username}`).expect(200);
    expect(closed.text).not.toContain('/messages/new?to=');
    await post(cat.b, '/settings/messages', { accept: 'known' }).expect(303);
    const known = await page(ann.b, `/u/${cat.user.username}`).expect(200);
    expect(known.text).toContain(`href="/messages/new?to=${cat.user.username}"`);
  });
});
