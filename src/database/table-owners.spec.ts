import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TABLE_OWNERS } from './table-owners';

/**
 * One owner per table: a file outside the owner's folder never writes the table, and reads it only when the
 * (file, table) pair is listed below with its reason. Everything else asks the owner's data layer.
 */
interface AcceptedRead {
  file: string;
  table: keyof typeof TABLE_OWNERS;
  reason: string;
}

/** Content and moderation lists show who wrote or did something: a JOIN in the list's one query, not a call a row. */
const NAMES =
  'JOINs users for display names (authors, reporters, issuers) inside the list query itself: one query a page, no ' +
  'per-row call to the users feature';

const ACCEPTED_READS: AcceptedRead[] = [
  {
    file: 'src/auth/auth.service.ts',
    table: 'users',
    reason:
      'the session lookup on every request joins the member row (name, role) and the sanction reader in one ' +
      'query; sign-in reads the member with its sanction the same way',
  },
  {
    file: 'src/auth/auth.service.ts',
    table: 'notifications',
    reason:
      'the browser session lookup counts unread notifications for the header badge in the same one query a page ' +
      'view; notifications sits above auth, so auth cannot ask its service',
  },
  {
    file: 'src/chat/chat-access.ts',
    table: 'users',
    reason: 'a member standing in a room (role, sanction, mute, kick) is one query a socket event, fresh every time',
  },
  { file: 'src/chat/messages/messages.service.ts', table: 'users', reason: NAMES },
  { file: 'src/chat/rooms/rooms.service.ts', table: 'users', reason: NAMES },
  {
    file: 'src/conversations/conversations.store.ts',
    table: 'users',
    reason: `${NAMES}; a member's standing (role, sanction) for a socket event is one query, fresh every time, as chat's`,
  },
  { file: 'src/comments/comment-mail-reads.ts', table: 'users', reason: NAMES },
  { file: 'src/comments/comments/comments.service.ts', table: 'users', reason: NAMES },
  { file: 'src/comments/comments/comment-edits.service.ts', table: 'users', reason: NAMES },
  { file: 'src/forums/forum-mail-reads.ts', table: 'users', reason: NAMES },
  { file: 'src/forums/posts/posts.service.ts', table: 'users', reason: NAMES },
  {
    file: 'src/forums/posts/post-writes.service.ts',
    table: 'users',
    reason:
      "a reply's one context read asks whether its author is new (first_approved_at, by the publishing gate's " +
      'newMemberSql) beside the thread, so that a reply costs one read before its write',
  },
  { file: 'src/forums/search/search.service.ts', table: 'users', reason: NAMES },
  { file: 'src/forums/threads/threads.service.ts', table: 'users', reason: NAMES },
  {
    file: 'src/moderation/audit/audit.service.ts',
    table: 'users',
    reason: 'an audit entry keeps the actor name it had then, read by the INSERT itself in the action transaction',
  },
  { file: 'src/moderation/queue/queue-reader.ts', table: 'users', reason: NAMES },
  {
    file: 'src/moderation/reports/reports.service.ts',
    table: 'users',
    reason: 'a report on a profile loads the reported member (id, bio) as its target; names in the report lists',
  },
  { file: 'src/moderation/sanctions/sanctions.service.ts', table: 'users', reason: NAMES },
  { file: 'src/moderation/watched-words/watched-words.service.ts', table: 'users', reason: NAMES },
  {
    file: 'src/publishing/content-policy.ts',
    table: 'user_blocks',
    reason:
      'the one "who may see this" rule is a SQL fragment every content list embeds; blocks are part of it, and ' +
      'publishing sits below users so it cannot ask a service',
  },
  {
    file: 'src/publishing/publishing-gate.ts',
    table: 'users',
    reason:
      'pre-moderation asks whether the author has anything approved yet (first_approved_at); publishing sits ' +
      'below users and cannot import it',
  },
];

type Access = 'write' | 'read';
interface Use {
  file: string;
  table: string;
  access: Access;
  line: number;
}

const ROOT = join(__dirname, '..', '..');
const TABLES = new Set(Object.keys(TABLE_OWNERS));
const OWNERS: Record<string, string> = TABLE_OWNERS;

const WRITE_SQL = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?"?(\w+)"?/gi;
const READ_SQL = /(?<!\bDELETE\s+)\b(?:FROM|JOIN|USING)\s+(?:ONLY\s+)?"?(\w+)"?/gi;
/** TypeORM: a repository or manager call naming an entity class (`getRepository(UserEntity)`, `m.insert(X, ...)`). */
const ORM_CALL = /\.(\w+)\(\s*(\w+Entity)\b/g;
const ORM_READS = new Set(['find', 'findOne', 'findOneBy', 'findBy', 'findAndCount', 'count', 'countBy', 'exists']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'islands' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Comments out, line breaks kept so that line numbers still point at the source. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\s\/\/\s.*$/gm, '');
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Entity class name -> table, read from the `@Entity('table')` files. */
function entityTables(files: Map<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const text of files.values()) {
    for (const m of text.matchAll(/@Entity\('(\w+)'\)[\s\S]*?export class (\w+)/g)) map.set(m[2], m[1]);
  }
  return map;
}

export function tableUses(file: string, text: string, entities: Map<string, string>): Use[] {
  const src = code(text);
  const uses: Use[] = [];
  const add = (table: string, access: Access, index: number) => {
    if (TABLES.has(table)) uses.push({ file, table, access, line: lineOf(src, index) });
  };
  for (const m of src.matchAll(WRITE_SQL)) add(m[1].toLowerCase(), 'write', m.index);
  for (const m of src.matchAll(READ_SQL)) add(m[1].toLowerCase(), 'read', m.index);
  for (const m of src.matchAll(ORM_CALL)) {
    const table = entities.get(m[2]);
    if (table) add(table, ORM_READS.has(m[1]) ? 'read' : 'write', m.index);
  }
  return uses;
}

/** `src/<feature>/...` -> feature; files directly in src, or in common/database/web..., own no table. */
function featureOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : undefined;
}

export function violations(uses: Use[], accepted: AcceptedRead[]): string[] {
  const problems: string[] = [];
  for (const u of uses) {
    if (featureOf(u.file) === OWNERS[u.table]) continue;
    const where = `${u.file}:${u.line}`;
    if (u.access === 'write') problems.push(`${where} writes ${u.table}, owned by ${OWNERS[u.table]}`);
    else if (!accepted.some((a) => a.file === u.file && a.table === u.table))
      problems.push(`${where} reads ${u.table}, owned by ${OWNERS[u.table]}: ask the owner, or list the read`);
  }
  return [...new Set(problems)];
}

describe('table owners', () => {
  const files = new Map(
    sourceFiles(join(ROOT, 'src')).map((p) => [relative(ROOT, p).split('\\').join('/'), readFileSync(p, 'utf8')]),
  );
  const entities = entityTables(files);
  const uses = [...files].flatMap(([file, text]) => tableUses(file, text, entities));

  it('names an owner for every entity table, and each owner is a feature folder', () => {
    const folders = new Set(readdirSync(join(ROOT, 'src'), { withFileTypes: true }).map((e) => e.name));
    expect([...new Set(entities.values())].filter((t) => !TABLES.has(t))).toEqual([]);
    expect(Object.values(TABLE_OWNERS).filter((f) => !folders.has(f))).toEqual([]);
  });

  it('lets only the owner write a table, and lists every read from outside with its reason', () => {
    expect(uses.length).toBeGreaterThan(50);
    expect(violations(uses, ACCEPTED_READS)).toEqual([]);
  });

  it('keeps the accepted reads short, explained and still needed', () => {
    for (const a of ACCEPTED_READS) {
      expect(a.reason.length).toBeGreaterThan(20);
      expect(OWNERS[a.table]).not.toBe(featureOf(a.file));
      expect(uses.some((u) => u.file === a.file && u.table === a.table && u.access === 'read')).toBe(true);
    }
  });

  it('catches a planted write, read and repository call outside the owner', () => {
    const planted = [
      'await m.query(`UPDATE users SET post_count = post_count + 1 WHERE id = $1`, [id]);',
      "await m.query('SELECT 1 FROM thread_subscriptions s JOIN sanctions x ON true');",
      'await this.db.getRepository(UserEntity).update({ id }, patch);',
      '// a comment about DELETE FROM posts is not code',
    ].join('\n');
    const found = violations(
      tableUses('src/notifications/planted.ts', planted, new Map([['UserEntity', 'users']])),
      [],
    );
    expect(found.sort()).toEqual([
      'src/notifications/planted.ts:1 writes users, owned by users',
      'src/notifications/planted.ts:2 reads sanctions, owned by moderation: ask the owner, or list the read',
      'src/notifications/planted.ts:2 reads thread_subscriptions, owned by forums: ask the owner, or list the read',
      'src/notifications/planted.ts:3 writes users, owned by users',
    ]);
  });
});
