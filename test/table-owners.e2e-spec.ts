import { AuthService } from '../src/auth/auth.service';
import { ChatAccess } from '../src/chat/chat-access';
import { countApprovedContent } from '../src/users/member-counters';
import { startTestApp, type TestApp } from './app';
import { createRoom } from './factories/chat';
import { bearer, createUser, type TestUser } from './factories/users';
import { StatementRecorder } from './support/statements';

/**
 * One owner per table: moderation's sanction reader and the users feature's counters are asked by other features
 * without costing them a round trip (the per-request lookups stay one query, a counter move one UPDATE).
 */
describe('Table owners (e2e)', () => {
  let t: TestApp;
  let mod: TestUser;
  const recorder = new StatementRecorder();
  beforeAll(async () => {
    t = await startTestApp();
    recorder.install(t);
    mod = await createUser(t, { role: 'moderator' });
  });
  afterAll(async () => {
    recorder.uninstall();
    await t.close();
  });

  const silence = (who: TestUser) =>
    t.http
      .post(`/api/moderation/users/${who.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({ kind: 'silence', reason: 'a pause', until: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);

  /** How many statements `run` sends through the app's pool (prepared ones included), and what it answered. */
  async function counted<T>(run: () => Promise<T>): Promise<{ queries: number; result: T }> {
    const { result, sql } = await recorder.counted(run);
    return { queries: sql.length, result };
  }

  it("resolves a request's session, member and active sanction (moderation's reader) in one query", async () => {
    const ann = await createUser(t);
    const auth = t.app.get(AuthService);
    const before = await counted(() => auth.resolve(ann.accessToken));
    expect(before).toMatchObject({ queries: 1, result: { username: ann.username } });
    expect(before.result.sanction).toBeUndefined();
    await silence(ann);
    const after = await counted(() => auth.resolve(ann.accessToken));
    expect(after).toMatchObject({ queries: 1, result: { sanction: { kind: 'silence', reason: 'a pause' } } });
  });

  it("reads a member's standing in a room (role, sanction, mute, kick) in one query", async () => {
    const bob = await createUser(t);
    const room = await createRoom(t, mod);
    await silence(bob);
    const chat = t.app.get(ChatAccess);
    const standing = await counted(() => chat.standing(bob.id, room.id));
    expect(standing).toMatchObject({
      queries: 1,
      result: { username: bob.username, sanction: { kind: 'silence' }, mutedUntil: null, kickedUntil: null },
    });
  });

  it("moves a member's count with one UPDATE on the caller's transaction, never below zero", async () => {
    const cat = await createUser(t);
    const read = async () =>
      (
        (await t.db.query(`SELECT post_count AS "count", first_approved_at AS "approved" FROM users WHERE id = $1`, [
          cat.id,
        ])) as Array<{ count: number; approved: Date | null }>
      )[0];
    const statements: string[] = [];
    const move = (delta: 1 | -1, anonymous = false) =>
      t.db.transaction(async (m) => {
        const query = m.query.bind(m);
        jest.spyOn(m, 'query').mockImplementation((sql: string, params?: unknown[]) => {
          statements.push(sql);
          return query(sql, params);
        });
        await countApprovedContent(m, cat.id, delta, { anonymous });
      });

    await move(1, true);
    expect(await read()).toMatchObject({ count: 0, approved: expect.any(Date) });
    await move(1);
    await move(1);
    expect((await read()).count).toBe(2);
    await move(-1, true);
    expect((await read()).count).toBe(2);
    await move(-1);
    await move(-1);
    await move(-1);
    expect((await read()).count).toBe(0);
    // Six moves that change the row, one statement each; an anonymous removal has nothing to change.
    expect(statements).toHaveLength(6);
    expect(statements.every((s) => s.trimStart().startsWith('UPDATE users'))).toBe(true);
  });
});
