import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { signInBrowser } from './factories/web';
import { UsersService } from '../src/users/users.service';

interface Entry {
  action: string;
  targetType: string;
  targetId: string;
  note: string | null;
  details: Record<string, unknown> | null;
}

/** Each audit entry keeps what it was about, so it still reads once the thing itself is gone. */
describe('Audit details (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  const entries = async (targetType: string, targetId: string): Promise<Entry[]> => {
    const res = await t.http.get('/api/moderation/audit-log?limit=100').set(bearer(admin.accessToken)).expect(200);
    return (res.body as { items: Entry[] }).items.filter((e) => e.targetType === targetType && e.targetId === targetId);
  };

  it('keeps a watched word’s pattern and action, after the word is deleted too (API and page)', async () => {
    const pattern = `zebra${randomBytes(3).toString('hex')}`;
    const added = await t.http
      .post('/api/moderation/watched-words')
      .set(bearer(admin.accessToken))
      .send({ pattern, action: 'hold' })
      .expect(201);
    const id = (added.body as { id: string }).id;
    await t.http.delete(`/api/moderation/watched-words/${id}`).set(bearer(admin.accessToken)).expect(204);

    const log = await entries('watched_word', id);
    expect(log.map((e) => [e.action, e.details])).toEqual([
      ['watched_word.remove', { pattern, action: 'hold' }],
      ['watched_word.add', { pattern, action: 'hold' }],
    ]);

    const browser = await signInBrowser(t, admin);
    const page = await t.http.get('/mod/audit').set('Cookie', browser.cookie).expect(200);
    expect(page.text).toContain(`action: hold · pattern: ${pattern}`);
  });

  it('keeps a sanction’s kind, reason and end, when imposed and when lifted', async () => {
    const member = await createUser(t);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const imposed = await t.http
      .post(`/api/moderation/users/${member.username}/sanctions`)
      .set(bearer(admin.accessToken))
      .send({ kind: 'suspend', reason: 'a pause to cool down', until })
      .expect(201);
    const sanctionId = (imposed.body as { id: string }).id;
    await t.http
      .delete(`/api/moderation/users/${member.username}/sanctions/${sanctionId}`)
      .set(bearer(admin.accessToken))
      .expect(200);

    const terms = { sanctionId, kind: 'suspend', reason: 'a pause to cool down', until };
    const log = await entries('user', member.username);
    expect(log.map((e) => [e.action, e.details])).toEqual([
      ['sanction.lift', terms],
      ['sanction.suspend', terms],
    ]);
  });

  it('keeps the roles a change went from and to', async () => {
    const member = await createUser(t);
    await t.app.get(UsersService).setRole(member.username, 'moderator', 'cli');
    const log = await entries('user', member.username);
    expect(log.map((e) => [e.action, e.details])).toEqual([['user.role', { from: 'member', to: 'moderator' }]]);
  });
});
