import { Client } from 'pg';
import {
  blockedSql,
  CONTENT_STATUSES,
  type ContentStatus,
  containerVisible,
  isBlockedFor,
  itemInContainerVisibility,
  itemVisibility,
  listedSql,
  notBlockedSql,
  type Reader,
  readerOf,
  visibleSql,
  type Visibility,
} from './content-policy';

/** The rows are written by AUTHOR; each role reads them. */
const AUTHOR = '10';
type Role = 'guest' | 'member' | 'author' | 'moderator' | 'admin';
const ROLES: Role[] = ['guest', 'member', 'author', 'moderator', 'admin'];
const READERS: Record<Role, Reader | undefined> = {
  guest: undefined,
  member: readerOf({ id: '20', role: 'member' }),
  author: readerOf({ id: AUTHOR, role: 'member' }),
  moderator: readerOf({ id: '30', role: 'moderator' }),
  admin: readerOf({ id: '40', role: 'admin' }),
};

// The expected answers, written out by hand (not derived from the policy's table), role by role in ROLES' order.
const T = 'text';
const P = 'placeholder';
const N = 'none';
const ITEM: Record<ContentStatus, Visibility[]> = {
  published: [T, T, T, T, T],
  pending: [N, N, T, T, T],
  hidden: [P, P, P, T, T],
  deleted: [P, P, P, P, P],
  rejected: [N, N, N, T, T],
};
const CONTAINER: Record<ContentStatus, boolean[]> = {
  published: [true, true, true, true, true],
  pending: [false, false, true, true, true],
  hidden: [false, false, true, true, true],
  deleted: [false, false, false, true, true],
  rejected: [false, false, false, true, true],
};

interface Case {
  id: number;
  status: ContentStatus;
  anonymous: boolean;
}
const CASES: Case[] = CONTENT_STATUSES.flatMap((status, i) => [
  { id: i * 2 + 1, status, anonymous: false },
  { id: i * 2 + 2, status, anonymous: true },
]);
const row = (c: Case) => ({ status: c.status, authorId: AUTHOR, anonymous: c.anonymous });
/** Whether the reader blocks the author: guests cannot block, and nobody blocks themselves. */
const blockings = (role: Role) => (role === 'guest' || role === 'author' ? [false] : [false, true]);

describe('content policy', () => {
  describe('predicate', () => {
    for (const role of ROLES) {
      for (const c of CASES) {
        it(`${role} × ${c.status}${c.anonymous ? ' × anonymous' : ''}`, () => {
          const reader = READERS[role];
          expect(itemVisibility(row(c), reader)).toBe(ITEM[c.status][ROLES.indexOf(role)]);
          expect(containerVisible(row(c), reader)).toBe(CONTAINER[c.status][ROLES.indexOf(role)]);
        });
      }
    }

    it('blocks hide named content of the blocked author only, never anonymous content', () => {
      for (const role of ROLES) {
        for (const blocks of blockings(role)) {
          for (const c of CASES) {
            const blocked = new Set(blocks ? [AUTHOR] : []);
            expect(isBlockedFor(row(c), READERS[role], blocked)).toBe(blocks && !c.anonymous);
          }
        }
      }
      expect(isBlockedFor({ authorId: null }, READERS.member, new Set([AUTHOR]))).toBe(false);
    });

    it('shows an item only inside a container the reader sees', () => {
      const hiddenThread = { status: 'hidden' as const, authorId: AUTHOR };
      const reply = { status: 'published' as const, authorId: '50' };
      expect(itemInContainerVisibility(hiddenThread, reply, READERS.author)).toBe('text');
      expect(itemInContainerVisibility(hiddenThread, reply, READERS.member)).toBe('none');
      expect(itemInContainerVisibility(hiddenThread, reply, READERS.guest)).toBe('none');
      expect(itemInContainerVisibility(hiddenThread, { ...hiddenThread }, READERS.author)).toBe('placeholder');
      expect(itemInContainerVisibility(hiddenThread, reply, READERS.moderator)).toBe('text');
    });

    it('counts admins as moderators, a member of another id as the public', () => {
      expect(readerOf({ id: '1', role: 'admin' })).toEqual({ id: '1', moderator: true });
      expect(readerOf({ id: '1', role: 'member' })).toEqual({ id: '1', moderator: false });
      expect(readerOf(undefined)).toBeUndefined();
    });
  });

  describe('SQL fragments, on PostgreSQL, agree with the predicate', () => {
    let db: Client;
    beforeAll(async () => {
      db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
      // A temporary table shadows the real one (if migrations ran) for this session only.
      await db.query(`CREATE TEMP TABLE user_blocks (blocker_id bigint NOT NULL, blocked_id bigint NOT NULL)`);
    });
    afterAll(() => db.end());

    const values = CASES.map(
      (c) => `(${c.id}, '${c.status}'::varchar, ${AUTHOR}::bigint, ${c.anonymous ? 'true' : 'false'})`,
    ).join(', ');
    const select = async (where: string, reader: Reader | undefined, blocks: boolean): Promise<number[]> => {
      await db.query(`DELETE FROM user_blocks`);
      if (blocks && reader) {
        await db.query(`INSERT INTO user_blocks VALUES ($1, $2)`, [reader.id, AUTHOR]);
      }
      const res = await db.query<{ id: number }>(
        `SELECT r.id FROM (VALUES ${values}) AS r(id, status, author_id, anonymous) WHERE ${where} ORDER BY r.id`,
        [reader?.id ?? null, reader?.moderator ?? false],
      );
      return res.rows.map((r) => r.id);
    };

    for (const role of ROLES) {
      for (const blocks of blockings(role)) {
        const label = `${role}${blocks ? ', blocking the author' : ''}`;

        it(`item rows seen by ${label}`, async () => {
          const reader = READERS[role];
          const sql = `${visibleSql('item', 'r', { reader: 1, moderator: 2 })} AND ${notBlockedSql('r', 1, {
            anonymous: true,
          })}`;
          const expected = CASES.filter(
            (c) =>
              ITEM[c.status][ROLES.indexOf(role)] !== 'none' &&
              !isBlockedFor(row(c), reader, new Set(blocks ? [AUTHOR] : [])),
          ).map((c) => c.id);
          expect(await select(sql, reader, blocks)).toEqual(expected);
          expect(expected.length).toBeGreaterThan(0);
        });

        it(`container rows seen by ${label}`, async () => {
          const reader = READERS[role];
          const expected = CASES.filter((c) => CONTAINER[c.status][ROLES.indexOf(role)]).map((c) => c.id);
          expect(await select(visibleSql('container', 'r', { reader: 1, moderator: 2 }), reader, blocks)).toEqual(
            expected,
          );
        });

        it(`blocked rows for ${label}`, async () => {
          const reader = READERS[role];
          const expected = CASES.filter((c) => blocks && !c.anonymous).map((c) => c.id);
          const withAnonymous = `${blockedSql('r', 1, { anonymous: true })} AND $2::boolean IS NOT NULL`;
          expect(await select(withAnonymous, reader, blocks)).toEqual(expected);
          // Content that is never anonymous (comments, chat): a block hides all of the author's rows.
          const named = `${blockedSql('r', 1, { anonymous: false })} AND $2::boolean IS NOT NULL`;
          expect(await select(named, reader, blocks)).toEqual(blocks ? CASES.map((c) => c.id) : []);
          const kept = `${notBlockedSql('r', 1, { anonymous: false })} AND $2::boolean IS NOT NULL`;
          expect(await select(kept, reader, blocks)).toEqual(blocks ? [] : CASES.map((c) => c.id));
        });
      }
    }

    it('lists published rows only, for everyone', async () => {
      const published = CASES.filter((c) => c.status === 'published').map((c) => c.id);
      expect(
        await select(`${listedSql('r')} AND $1::bigint IS NULL AND $2::boolean IS NOT NULL`, undefined, false),
      ).toEqual(published);
    });
  });
});
