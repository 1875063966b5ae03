import { hasRole, type Principal } from '../common/auth/principal';

/**
 * The one content policy: the vocabulary of content states and of approvals, who may see a piece of content in
 * each state, and when a member's block hides it. Posts, threads, comments, chat messages (room history) and search
 * all ask here; nothing else decides visibility. The rule is written once, as the table `TRUTH` below, and served
 * twice from it: as a predicate for rows already loaded (`itemVisibility`, `containerVisible`, `isBlockedFor`) and
 * as SQL fragments for queries (`visibleSql`, `listedSql`, `notBlockedSql`, `blockedSql`). The unit test runs both
 * over every role and state and checks that they agree, the SQL on a real PostgreSQL.
 *
 * Items and containers. An item (post, comment, chat message) keeps its place in its conversation: deleted and
 * hidden ones show as placeholders without their text. A container (thread) has no place to keep: it is shown
 * whole or answers 404.
 *
 * One rule for a container and its items: a container's items are readable exactly when the container is, and then
 * each item by the item rule. So the author of a pending or hidden thread reads both the thread and its posts
 * (their hidden opening post as a placeholder, like any hidden post), and everyone else gets 404 from the thread,
 * its posts and each of its posts alike. Moderators and admins read every thread.
 *
 * Lists and search show only published content (`listedSql`): other states are reached by a direct link, or in
 * place among published items.
 *
 * Blocks hide what a blocked member writes under their name, never anonymous content: a block that made anonymous
 * posts vanish would tell the blocker who wrote them. Notifications follow the same rule (a member is notified of
 * an anonymous reply even from someone they block: a missing notification would name the author).
 */

export const CONTENT_STATUSES = ['published', 'pending', 'hidden', 'deleted', 'rejected'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** A place's pre-moderation: none, the first posts of new members, or everything. */
export const APPROVALS = ['none', 'new_members', 'all'] as const;
export type Approval = (typeof APPROVALS)[number];

/** Who reads: a signed-in member (moderator or admin: `moderator: true`), or undefined for a guest. */
export interface Reader {
  id: string;
  moderator: boolean;
}

/** The reader as the policy sees them, from a principal (`role`) or a chat standing. */
export function readerOf(p: Pick<Principal, 'id' | 'role'> | undefined): Reader | undefined {
  return p && { id: p.id, moderator: hasRole(p, 'moderator') };
}

/** How a reader stands to one row: anyone else (guest or member), its author, or a moderator (admins included). */
export type Relation = 'public' | 'author' | 'moderator';

/** What an item shows: its text, a placeholder in its place (no text), or nothing at all. */
export type Visibility = 'text' | 'placeholder' | 'none';

interface Row {
  status: ContentStatus;
  authorId: string | null;
}

/**
 * The table of truth. `item`: what each reader sees of a post, comment or chat message. `container`: whether they
 * see a thread (and so may read its items). A moderator is never less than the author.
 */
export const TRUTH: Readonly<
  Record<ContentStatus, { item: Record<Relation, Visibility>; container: Record<Relation, boolean> }>
> = {
  published: {
    item: { public: 'text', author: 'text', moderator: 'text' },
    container: { public: true, author: true, moderator: true },
  },
  pending: {
    item: { public: 'none', author: 'text', moderator: 'text' },
    container: { public: false, author: true, moderator: true },
  },
  hidden: {
    item: { public: 'placeholder', author: 'placeholder', moderator: 'text' },
    container: { public: false, author: true, moderator: true },
  },
  deleted: {
    item: { public: 'placeholder', author: 'placeholder', moderator: 'placeholder' },
    container: { public: false, author: false, moderator: true },
  },
  rejected: {
    item: { public: 'none', author: 'none', moderator: 'text' },
    container: { public: false, author: false, moderator: true },
  },
};

export function relationOf(row: Pick<Row, 'authorId'>, reader: Reader | undefined): Relation {
  if (reader?.moderator) return 'moderator';
  return reader && row.authorId !== null && row.authorId === reader.id ? 'author' : 'public';
}

/** What this reader sees of a post, comment or chat message. */
export function itemVisibility(row: Row, reader: Reader | undefined): Visibility {
  return TRUTH[row.status].item[relationOf(row, reader)];
}

/** Whether this reader sees a thread, and so may read its posts. */
export function containerVisible(row: Row, reader: Reader | undefined): boolean {
  return TRUTH[row.status].container[relationOf(row, reader)];
}

/** An item inside a container: nothing unless the container is visible, then the item rule. */
export function itemInContainerVisibility(container: Row, item: Row, reader: Reader | undefined): Visibility {
  return containerVisible(container, reader) ? itemVisibility(item, reader) : 'none';
}

/**
 * Whether a view leaves an item's text out: everywhere the policy does not give the text. `writer`: the answer to
 * the one who has just written or edited it (a guest has no id to be known by), who counts as its author.
 */
export function withholdsText(row: Row, reader: Reader | undefined, writer = false): boolean {
  const relation = writer && !reader?.moderator ? 'author' : relationOf(row, reader);
  return TRUTH[row.status].item[relation] !== 'text';
}

export type Kind = 'item' | 'container';

/** Which states each relation sees (text or placeholder), in the vocabulary's order. */
export function statusesSeenBy(kind: Kind, relation: Relation): ContentStatus[] {
  return CONTENT_STATUSES.filter((s) =>
    kind === 'item' ? TRUTH[s].item[relation] !== 'none' : TRUTH[s].container[relation],
  );
}

const statusIs = (alias: string, statuses: readonly ContentStatus[]) =>
  statuses.length === 1 ? `${alias}.status = '${statuses[0]}'` : `${alias}.status IN ('${statuses.join("', '")}')`;

/**
 * The visibility rule as a WHERE fragment for rows of `alias` (with `status` and `author_id` columns). `reader`
 * and `moderator` are parameter positions: `$reader` the reader's id (bigint, null for a guest), `$moderator` a
 * boolean. Plain comparisons only, so the planner keeps its index plans.
 */
export function visibleSql(kind: Kind, alias: string, params: { reader: number; moderator: number }): string {
  const everyone = statusesSeenBy(kind, 'public');
  const author = statusesSeenBy(kind, 'author').filter((s) => !everyone.includes(s));
  const moderator = statusesSeenBy(kind, 'moderator').filter((s) => !everyone.includes(s) && !author.includes(s));
  const allForModerators = statusesSeenBy(kind, 'moderator').length === CONTENT_STATUSES.length;
  const parts = [
    everyone.length ? statusIs(alias, everyone) : 'false',
    allForModerators
      ? `$${params.moderator}::boolean`
      : moderator.length
        ? `($${params.moderator}::boolean AND ${statusIs(alias, moderator)})`
        : '',
    author.length ? `(${alias}.author_id = $${params.reader}::bigint AND ${statusIs(alias, author)})` : '',
  ];
  return `(${parts.filter(Boolean).join(' OR ')})`;
}

/** What lists and search show: published content only (the partial indexes are on exactly this). */
export const listedSql = (alias: string): string => `${alias}.status = 'published'`;

/** Whether a reader's blocks apply to a row at all: never to anonymous content. */
export const blocksApplyTo = (row: { anonymous?: boolean }): boolean => !row.anonymous;

/** Whether this reader's block hides this row: they block its author and it carries the author's name. */
export function isBlockedFor(
  row: { authorId: string | null; anonymous?: boolean },
  reader: Reader | undefined,
  blockedIds: ReadonlySet<string>,
): boolean {
  return !!reader && blocksApplyTo(row) && row.authorId !== null && blockedIds.has(row.authorId);
}

const blockExists = (alias: string, reader: number) =>
  `EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = $${reader}::bigint AND b.blocked_id = ${alias}.author_id)`;

/**
 * `isBlockedFor` as SQL, true when the row is hidden by the reader's block. `anonymous`: whether rows of `alias`
 * have an `anonymous` column (posts, threads) or are always named (comments, chat messages).
 */
export function blockedSql(alias: string, reader: number, options: { anonymous: boolean }): string {
  const named = options.anonymous ? `NOT ${alias}.anonymous AND ` : '';
  return `(${named}$${reader}::bigint IS NOT NULL AND ${blockExists(alias, reader)})`;
}

/** The negation of `blockedSql`, as a WHERE fragment that keeps what the reader's blocks leave visible. */
export function notBlockedSql(alias: string, reader: number, options: { anonymous: boolean }): string {
  const anonymous = options.anonymous ? `${alias}.anonymous OR ` : '';
  return `(${anonymous}$${reader}::bigint IS NULL OR NOT ${blockExists(alias, reader)})`;
}
