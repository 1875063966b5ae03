import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TestApp } from './app';
import { createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { eventually } from './support/eventually';
import { moderationHelpers, startModerationApp } from './support/moderation-app';

/** Moderation: watched words, sanctions and the audit log. */
describe('Moderation (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  let slug: string;
  beforeAll(async () => {
    ({ t, admin, mod, slug } = await startModerationApp());
  });
  afterAll(() => t.close());
  const { queue, itemFor } = moderationHelpers(() => ({ t, mod, slug }));

  describe('watched words', () => {
    it('block refuses with 422 naming the rule but not the list; hold waits; flag publishes and queues', async () => {
      const author = await createUser(t);
      await trust(t, author);
      const stamp = Date.now().toString(36);
      const add = (pattern: string, action: string) =>
        t.http
          .post('/api/moderation/watched-words')
          .set(bearer(admin.accessToken))
          .send({ pattern, action })
          .expect(201);
      const blocked = await add(`blockword${stamp}`, 'block');
      await add(`holdword${stamp}`, 'hold');
      await add(`flagword${stamp}`, 'flag');
      const { threadId } = await createThread(t, author, slug);

      const refused = await reply(t, author, threadId, `I say BLOCKWORD${stamp.toUpperCase()} here`).expect(422);
      expect(refused.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
      expect(refused.body.message).toContain(`#${blocked.body.id}`);
      expect(refused.body.message).not.toContain(`blockword${stamp}`);

      const held = await reply(t, author, threadId, `some holdword${stamp} text`).expect(202);
      expect(held.body.status).toBe('pending');
      expect(await itemFor('post', held.body.id)).toMatchObject({ reasons: [expect.stringContaining('hold')] });

      const flagged = await reply(t, author, threadId, `and flágword${stamp}!`).expect(201);
      expect(flagged.body.status).toBe('published');
      expect(await itemFor('post', flagged.body.id)).toMatchObject({ reasons: [expect.stringContaining('flag')] });

      // whole words only
      await reply(t, author, threadId, `preflagword${stamp}s are fine`).expect(201);
    });

    it('crisis publishes, queues first with an alert, and answers the author with support resources', async () => {
      const author = await createUser(t);
      await trust(t, author);
      const stamp = Date.now().toString(36);
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: `end it all ${stamp}`, action: 'crisis' })
        .expect(201);
      const { threadId } = await createThread(t, author, slug);
      const alerts: unknown[] = [];
      t.app.get(EventEmitter2).on('moderation.alert', (e: unknown) => alerts.push(e));
      const res = await reply(t, author, threadId, `Some days I want to End  it... ALL ${stamp}`).expect(201);
      expect(res.body.status).toBe('published');
      expect(res.body.notice).toMatch(/emergency|crisis line/i);
      // The alert is raised once the queue entry is written: poll for both.
      const items = await eventually(async () => {
        expect(alerts).toEqual([expect.objectContaining({ kind: 'crisis', targetId: res.body.id })]);
        return queue();
      });
      const at = items.findIndex((i) => i.targetType === 'post' && i.targetId === res.body.id);
      expect(items[at]).toMatchObject({ crisis: true, priority: 0, reasons: [expect.stringContaining('crisis')] });
      expect(items.slice(0, at).every((i) => i.priority === 0)).toBe(true);
    });

    it('validates patterns, refuses duplicates, lists and deletes', async () => {
      for (const pattern of ['(a+)+$', '.*', '', 'x'.repeat(101), '*']) {
        const res = await t.http
          .post('/api/moderation/watched-words')
          .set(bearer(admin.accessToken))
          .send({ pattern, action: 'flag' })
          .expect(400);
        expect(JSON.stringify(res.body.message)).toContain('pattern');
      }
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: 'fine', action: 'shout' })
        .expect(400);
      const stamp = `dupe${Date.now().toString(36)}`;
      const created = await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: stamp, action: 'flag' })
        .expect(201);
      await t.http
        .post('/api/moderation/watched-words')
        .set(bearer(admin.accessToken))
        .send({ pattern: stamp, action: 'hold' })
        .expect(409);
      const list = await t.http.get('/api/moderation/watched-words').set(bearer(admin.accessToken)).expect(200);
      expect(list.body).toContainEqual({ id: created.body.id, pattern: stamp, action: 'flag' });
      await t.http
        .delete(`/api/moderation/watched-words/${created.body.id}`)
        .set(bearer(admin.accessToken))
        .expect(204);
      await t.http
        .delete(`/api/moderation/watched-words/${created.body.id}`)
        .set(bearer(admin.accessToken))
        .expect(404);
    });
  });

  describe('sanctions', () => {
    it('ban: the existing token is refused on the next request (403 with the reason), and sign-in is refused', async () => {
      const member = await createUser(t);
      await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
      const res = await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'ban', reason: 'selling fake cures' })
        .expect(201);
      expect(res.body).toMatchObject({ kind: 'ban', reason: 'selling fake cures', until: null });
      const refused = await t.http.get('/api/me').set(bearer(member.accessToken)).expect(403);
      expect(refused.body.message).toContain('banned');
      expect(refused.body.message).toContain('selling fake cures');
      const login = await t.http
        .post('/api/auth/login')
        .send({ login: member.username, password: member.password })
        .expect(403);
      expect(login.body.message).toContain('banned');
      await t.http.post('/api/auth/refresh').send({ refreshToken: member.refreshToken }).expect(403);

      await t.http
        .delete(`/api/moderation/users/${member.username}/sanctions/${res.body.id}`)
        .set(bearer(mod.accessToken))
        .expect(200);
      await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
      await t.http.post('/api/auth/login').send({ login: member.username, password: member.password }).expect(200);
    });

    it('silence blocks writing but not reading; suspend blocks everything until its end', async () => {
      const member = await createUser(t);
      await trust(t, member);
      const { threadId } = await createThread(t, member, slug);
      const silence = await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'cool down' })
        .expect(201);
      await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(member.accessToken)).expect(200);
      await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
      const refused = await reply(t, member, threadId, 'can I?').expect(403);
      expect(refused.body.message).toContain('silenced');
      await t.http
        .delete(`/api/moderation/users/${member.username}/sanctions/${silence.body.id}`)
        .set(bearer(mod.accessToken))
        .expect(200);

      const until = new Date(Date.now() + 3600_000).toISOString();
      await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'suspend', reason: 'a break', until })
        .expect(201);
      const suspended = await t.http.get('/api/me').set(bearer(member.accessToken)).expect(403);
      expect(suspended.body.message).toContain('suspended');
      expect(suspended.body.message).toContain(until);
    });

    it('refuses bad sanctions and sanctions on equals or superiors', async () => {
      const member = await createUser(t);
      const other = await createUser(t, { role: 'moderator' });
      const post = (who: TestUser, username: string, body: object) =>
        t.http.post(`/api/moderation/users/${username}/sanctions`).set(bearer(who.accessToken)).send(body);
      await post(mod, member.username, { kind: 'suspend', reason: 'no end' }).expect(400);
      await post(mod, member.username, { kind: 'suspend', reason: 'past', until: '2001-01-01T00:00:00Z' }).expect(400);
      await post(mod, member.username, { kind: 'exile', reason: 'x' }).expect(400);
      await post(mod, member.username, { kind: 'ban' }).expect(400);
      await post(mod, other.username, { kind: 'ban', reason: 'peer' }).expect(403);
      await post(mod, admin.username, { kind: 'ban', reason: 'boss' }).expect(403);
      await post(admin, other.username, { kind: 'silence', reason: 'admin may' }).expect(201);
      await post(mod, 'nobody_at_all_here', { kind: 'ban', reason: 'xyz' }).expect(404);
    });
  });

  describe('audit log', () => {
    it('records each action with who, what, target and note, and nothing can change it', async () => {
      const member = await createUser(t);
      const { threadId } = await createThread(t, member, slug);
      await t.http
        .post(`/api/moderation/users/${member.username}/sanctions`)
        .set(bearer(mod.accessToken))
        .send({ kind: 'silence', reason: 'audit me' })
        .expect(201);
      await t.http.post(`/api/threads/${threadId}/lock`).set(bearer(mod.accessToken)).expect(200);
      // The audit listener writes after the answers: poll until every entry is there.
      await eventually(async () => {
        const log = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(mod.accessToken)).expect(200);
        expect(log.body.items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              actor: mod.username,
              action: 'sanction.silence',
              targetType: 'user',
              targetId: member.username,
              note: 'audit me',
            }),
            expect.objectContaining({
              actor: mod.username,
              action: 'thread.lock',
              targetType: 'thread',
              targetId: threadId,
            }),
            expect.objectContaining({
              actor: 'cli',
              action: 'user.role',
              targetId: mod.username,
              note: expect.stringContaining('member -> moderator'),
            }),
          ]),
        );
      });
      await expect(t.db.query(`UPDATE audit_log SET note = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      for (const method of ['put', 'patch', 'delete'] as const) {
        await t.http[method]('/api/moderation/audit-log').set(bearer(admin.accessToken)).expect(404);
      }
    });
  });
});
