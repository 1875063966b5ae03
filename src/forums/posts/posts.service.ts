import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { forbidden, notFound } from '../../common/errors/domain-error';
import { decodeCursor, type Page, type PageQueryDto, pageLimit, toPage } from '../../common/pagination';
import {
  containerVisible,
  itemInContainerVisibility,
  notBlockedSql,
  readerOf,
  visibleSql,
  withholdsText,
} from '../../publishing/content-policy';
import { pendingEditView } from '../../publishing/publishing-gate';
import { prepared, queryPrepared } from '../../database/prepared';
import type { GateReason } from '../../publishing/review-sink';
import { extractMentions, type LexedMarkdown, type MarkdownRefs, quotedPostIds } from '../../common/markdown/markdown';
import { ANONYMOUS, authorView, isModerator, type PostView, type Reactions } from '../forum-views';
import type { ContentStatus } from '../threads/thread.constants';
import type { ReactionKind } from './post-reaction.constants';

export interface PostRow {
  id: string;
  threadId: string;
  authorId: string;
  authorUsername: string;
  authorDisplayName: string;
  body: string;
  bodyHtml: string;
  contentWarning: string | null;
  replyToId: string | null;
  anonymous: boolean;
  status: ContentStatus;
  heldReason: string | null;
  heldReasons: GateReason[] | null;
  pendingBody: string | null;
  pendingBodyHtml: string | null;
  pendingReasons: GateReason[] | null;
  pendingAt: Date | null;
  createdAt: Date;
  editedAt: Date | null;
}

/** An earlier version of a post: its text, when it was written and replaced, by whom, and a moderator's reason. */
export interface PostRevision {
  id: string;
  body: string;
  writtenAt: string;
  editedAt: string;
  editedBy: string | null;
  reason: string | null;
}

/** The thread a post is in, as its edit and delete pages need it. */
export interface PostThread {
  id: string;
  title: string;
  opensThread: boolean;
  categorySlug: string;
}

/** A page of a list that has page numbers: its items, its number (from 1) and how many pages there are. */
export interface NumberedPage<T> {
  items: T[];
  page: number;
  pages: number;
}

/** A post's columns as PostRow names them; without `source`, its Markdown (body) is left out as null. */
const postColumns = (source = true) => {
  const body = source ? 'p.body' : 'NULL::text AS body';
  return `p.id, p.thread_id AS "threadId", p.author_id AS "authorId", u.username AS "authorUsername",
  u.display_name AS "authorDisplayName", ${body}, p.body_html AS "bodyHtml", p.content_warning AS "contentWarning",
  p.reply_to_id AS "replyToId", p.anonymous, p.status, p.held_reason AS "heldReason", p.created_at AS "createdAt",
  p.edited_at AS "editedAt", p.held_reasons AS "heldReasons", p.pending_body AS "pendingBody",
  p.pending_body_html AS "pendingBodyHtml", p.pending_reasons AS "pendingReasons", p.pending_at AS "pendingAt"`;
};
const POST_COLUMNS = postColumns();

/** A post's reactions as rows of kind, count and whether `$reader` gave it (null for a guest), or null for none. */
const reactionsColumn = (reader: number) =>
  `(SELECT json_agg(r) FROM (SELECT kind, count(*)::int AS count, bool_or(user_id = $${reader}) AS mine
                               FROM post_reactions WHERE post_id = p.id GROUP BY kind) r) AS reactions`;

/**
 * A page of a thread's posts for the JSON route, in one prepared statement: the thread (its visibility is checked
 * on it), then up to `$4` posts by the content policy, each with its reactions. Deleted and hidden posts keep their
 * place without their text; pending ones are shown to their author and moderators only; named posts by members the
 * viewer blocked are left out (anonymous ones never are). Two texts, so that each keeps a plan that seeks; the
 * authors are joined after the page is cut, so that no plan (custom or generic, a thread of 20 posts or 5,000) is
 * tempted to join a whole thread to its authors and sort it.
 */
const pageStatement = (cursor: string) =>
  prepared(`SELECT t.status AS "threadStatus", t.author_id AS "threadAuthorId", ${POST_COLUMNS}, ${reactionsColumn(2)}
      FROM threads t
      LEFT JOIN LATERAL (
        SELECT p.* FROM posts p
         WHERE p.thread_id = $1 ${cursor}
           AND ${visibleSql('item', 'p', { reader: 2, moderator: 3 })}
           AND ${notBlockedSql('p', 2, { anonymous: true })}
         ORDER BY p.id
         LIMIT $4) p ON true
      LEFT JOIN users u ON u.id = p.author_id
     WHERE t.id = $1
     ORDER BY p.id`);
/** Exported for the plan check in the tests. */
export const POSTS_PAGE = { first: pageStatement(''), after: pageStatement('AND p.id > $5') };

/**
 * A numbered page (a range of positions among all of the thread's posts), with the thread's count of positions
 * (threads.post_count, kept by the database) beside each post, each post's reactions and its row's number on the
 * page (from 1): $1 the thread, $2 the page size, $3 the reader, $4 whether she moderates, $5 the offset. The thread
 * page reads it beside its thread, in the same statement (ThreadsService.page); without `source`, the posts come
 * without their Markdown (body is null), for a page that shows only their HTML. The page's first position is found
 * by skipping along the (thread_id, id) index alone, and the page is then read in one range of that index: no lookup
 * of each post by its id.
 */
export const numberedPageSql = (source = true) => `SELECT ${postColumns(source)}, ${reactionsColumn(3)},
         (SELECT post_count FROM threads WHERE id = $1) AS "postCount",
         row_number() OVER (ORDER BY p.id)::int AS "rowNo"
    FROM (SELECT * FROM posts
           WHERE thread_id = $1
             AND id >= (SELECT id FROM posts WHERE thread_id = $1 ORDER BY id OFFSET $5 LIMIT 1)
           ORDER BY id LIMIT $2) p
    JOIN users u ON u.id = p.author_id
   WHERE ${visibleSql('item', 'p', { reader: 3, moderator: 4 })}
     AND ${notBlockedSql('p', 3, { anonymous: true })}
   ORDER BY p.id`;
/** The same page alone (a page asked past the end, read again as the last one). */
export const NUMBERED_PAGE = prepared(numberedPageSql());

type ReactionRow = { kind: ReactionKind; count: number; mine: boolean | null };
type PageRow = PostRow & { threadStatus: ContentStatus; threadAuthorId: string; reactions: ReactionRow[] | null };
/** A row of numberedPageSql. */
export type NumberedRow = Omit<PostRow, 'body'> & {
  /** Null when read without `source` (the thread page shows only the HTML). */
  body: string | null;
  postCount: number;
  reactions: ReactionRow[] | null;
};

@Injectable()
export class PostsService {
  constructor(private readonly db: DataSource) {}

  /**
   * A thread's posts, oldest first, by the content policy: readable where the thread is; deleted and hidden posts
   * keep their place without their text; pending ones are shown to their author and moderators only; named posts
   * by members the viewer blocked are left out (anonymous ones never are).
   */
  async list(threadId: string, query: PageQueryDto, viewer: Principal | undefined): Promise<Page<PostView>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    const rows = await queryPrepared<PageRow>(this.db, after ? POSTS_PAGE.after : POSTS_PAGE.first, [
      threadId,
      viewer?.id ?? null,
      isModerator(viewer),
      limit + 1,
      ...(after ? [after[0]] : []),
    ]);
    const thread = rows[0];
    if (
      !thread ||
      !containerVisible({ status: thread.threadStatus, authorId: thread.threadAuthorId }, readerOf(viewer))
    ) {
      throw notFound('Thread');
    }
    // A thread with no post this reader sees comes back as its own row alone (the lateral join found nothing).
    const posts = thread.id === null ? [] : rows;
    return toPage(
      posts,
      limit,
      (r) => postView(r, viewer, reactionsOf(r.reactions)),
      (r) => [r.id],
    );
  }

  /**
   * Numbered pages, for pages that offer page numbers. A page is a range of positions among all of the thread's
   * posts, whatever their state (hidden and deleted ones keep their place; pending ones and posts by blocked members
   * take theirs though this reader does not see them), so a post's page is the same for every reader and never moves
   * when later posts arrive. `page` asks for a page (past the end: the last); `after` (a post id) asks for the page
   * holding the first post after it. The positions come from the (thread_id, id) index alone.
   */
  async pageWanted(threadId: string, want: { page?: number; after?: string }, perPage: number): Promise<number> {
    return want.after === undefined ? Math.max(1, want.page ?? 1) : this.pageHolding(threadId, want.after, perPage);
  }

  /**
   * A numbered page from the rows of numberedPageSql for page `page` (read with the thread by its caller): the
   * count of pages from the rows (or, when the page shows nothing, counted), and a page asked past the end read again
   * as the last one.
   */
  async numberedPageFrom(
    threadId: string,
    rows: NumberedRow[],
    page: number,
    perPage: number,
    viewer: Principal | undefined,
  ): Promise<NumberedPage<PostView>> {
    const count = rows[0]?.postCount ?? (await this.positions(threadId));
    const pages = Math.max(1, Math.ceil(count / perPage));
    if (page > pages) {
      page = pages;
      rows = await this.pageRows(threadId, page, perPage, viewer);
    }
    return { items: rows.map((r) => postView(r, viewer, reactionsOf(r.reactions))), page, pages };
  }

  private pageRows(
    threadId: string,
    page: number,
    perPage: number,
    viewer: Principal | undefined,
  ): Promise<NumberedRow[]> {
    return queryPrepared<NumberedRow>(this.db, NUMBERED_PAGE, [
      threadId,
      perPage,
      viewer?.id ?? null,
      isModerator(viewer),
      (page - 1) * perPage,
    ]);
  }

  /** How many positions a thread has (every post, whatever its state). */
  private async positions(threadId: string): Promise<number> {
    const [row] = (await this.db.query(`SELECT post_count AS n FROM threads WHERE id = $1`, [threadId])) as [
      { n: number } | undefined,
    ];
    return row?.n ?? 0;
  }

  /** The number of the page holding the first post after `afterId`. */
  private async pageHolding(threadId: string, afterId: string, perPage: number): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS n FROM posts WHERE thread_id = $1 AND id <= $2::bigint`,
      [threadId, afterId],
    )) as [{ n: number }];
    return Math.floor(row.n / perPage) + 1;
  }

  /** The id of the first post after `afterId` that this reader sees (the first unread one), if any. */
  async firstVisibleAfter(threadId: string, afterId: string, viewer: Principal): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT p.id FROM posts p
        WHERE p.thread_id = $1 AND p.id > $2
          AND ${visibleSql('item', 'p', { reader: 3, moderator: 4 })}
          AND ${notBlockedSql('p', 3, { anonymous: true })}
        ORDER BY p.id LIMIT 1`,
      [threadId, afterId, viewer.id, isModerator(viewer)],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  /**
   * What a post's Markdown refers to, for rendering it: the posts it quotes (named as members read them: anonymous
   * stays "Anonymous member"; a post no longer published, or in a thread that is not, is quoted without its author)
   * and which `@usernames` are members. One small query each, read when the text is written, not when it is read.
   */
  async markdownRefs(body: string | LexedMarkdown, m: EntityManager = this.db.manager): Promise<MarkdownRefs> {
    const ids = typeof body === 'string' ? quotedPostIds(body) : body.quotedIds;
    const names = typeof body === 'string' ? extractMentions(body) : body.mentions;
    const [quoted, members] = await Promise.all([
      ids.length
        ? (m.query(
            `SELECT p.id, p.anonymous, u.display_name AS "displayName",
                    p.status = 'published' AND t.status = 'published' AS shown
               FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users u ON u.id = p.author_id
              WHERE p.id = ANY($1::bigint[])`,
            [ids],
          ) as Promise<Array<{ id: string; anonymous: boolean; displayName: string; shown: boolean }>>)
        : [],
      names.length
        ? (m.query(`SELECT username FROM users WHERE username = ANY($1::text[])`, [names]) as Promise<
            Array<{ username: string }>
          >)
        : [],
    ]);
    const quotes = new Map<string, { name: string; href: string } | null>(ids.map((id) => [id, null]));
    for (const q of quoted) {
      quotes.set(
        q.id,
        q.shown ? { name: q.anonymous ? ANONYMOUS.displayName : q.displayName, href: `/p/${q.id}` } : null,
      );
    }
    return { quotes, members: new Set(members.map((r) => r.username)) };
  }

  /** Where a post sits: its thread (for `/p/:id`, which leads to the page holding it). */
  async threadOf(id: string, viewer: Principal | undefined): Promise<{ threadId: string }> {
    const row = await this.visiblePost(this.db.manager, id, viewer);
    return { threadId: row.threadId };
  }

  async getOne(id: string, viewer: Principal | undefined): Promise<PostView> {
    const row = await this.visiblePost(this.db.manager, id, viewer);
    const reactions = await this.reactionsFor([id], viewer);
    return postView(row, viewer, reactions.get(id));
  }

  /**
   * A post (as `getOne`, by the content policy) with what its edit and delete pages need of its thread: the title,
   * whether the post opens the thread, and the category it is in.
   */
  async withThread(id: string, viewer: Principal): Promise<{ post: PostView; thread: PostThread }> {
    const post = await this.getOne(id, viewer);
    const rows = (await this.db.query(
      `SELECT t.id, t.title, t.first_post_id = p.id AS "opensThread", c.slug AS "categorySlug"
         FROM posts p JOIN threads t ON t.id = p.thread_id JOIN categories c ON c.id = t.category_id WHERE p.id = $1`,
      [id],
    )) as PostThread[];
    if (!rows[0]) throw notFound('Post');
    return { post, thread: rows[0] };
  }

  async revisions(viewer: Principal, id: string): Promise<PostRevision[]> {
    const post = await this.visiblePost(this.db.manager, id, viewer);
    if (post.authorId !== viewer.id && !isModerator(viewer))
      throw forbidden('Only the author or a moderator may read earlier versions');
    const rows = (await this.db.query(
      `SELECT r.id, r.body, r.written_at AS "writtenAt", r.created_at AS "editedAt", u.username AS "editedBy", r.reason
         FROM post_revisions r LEFT JOIN users u ON u.id = r.edited_by
        WHERE r.post_id = $1 ORDER BY r.id DESC`,
      [id],
    )) as Array<Omit<PostRevision, 'writtenAt' | 'editedAt'> & { writtenAt: Date; editedAt: Date }>;
    return rows.map((r) => ({ ...r, writtenAt: r.writtenAt.toISOString(), editedAt: r.editedAt.toISOString() }));
  }

  private async reactionsFor(ids: string[], viewer: Principal | undefined): Promise<Map<string, Reactions>> {
    const out = new Map<string, Reactions>();
    if (ids.length === 0) return out;
    const rows = (await this.db.query(
      `SELECT post_id AS "postId", kind, count(*)::int AS count, bool_or(user_id = $2) AS mine
         FROM post_reactions WHERE post_id = ANY($1::bigint[]) GROUP BY post_id, kind`,
      [ids, viewer?.id ?? null],
    )) as Array<{ postId: string; kind: ReactionKind; count: number; mine: boolean | null }>;
    for (const r of rows) out.set(r.postId, addReaction(out.get(r.postId) ?? emptyReactions(), r));
    return out;
  }

  private async visiblePost(m: EntityManager, id: string, viewer: Principal | undefined): Promise<PostRow> {
    const rows = (await m.query(
      `SELECT ${POST_COLUMNS}, t.status AS "threadStatus", t.author_id AS "threadAuthorId"
         FROM posts p JOIN users u ON u.id = p.author_id JOIN threads t ON t.id = p.thread_id WHERE p.id = $1`,
      [id],
    )) as Array<PostRow & { threadStatus: ContentStatus; threadAuthorId: string }>;
    const row = rows[0];
    if (!row) throw notFound('Post');
    const thread = { status: row.threadStatus, authorId: row.threadAuthorId };
    if (itemInContainerVisibility(thread, row, readerOf(viewer)) === 'none') throw notFound('Post');
    return row;
  }
}

const emptyReactions = (): Reactions => ({ support: 0, hug: 0, same: 0, thanks: 0, mine: [] });

function addReaction(entry: Reactions, r: ReactionRow): Reactions {
  entry[r.kind] = r.count;
  if (r.mine) entry.mine.push(r.kind);
  return entry;
}

const reactionsOf = (rows: ReactionRow[] | null): Reactions | undefined =>
  rows ? rows.reduce(addReaction, emptyReactions()) : undefined;

/**
 * Deleted and hidden posts keep their place but not their text; the gate's reason, and an edit it holds, are for the
 * author and moderators.
 */
export function postView(
  r: Omit<PostRow, 'body'> & { body: string | null },
  viewer: Principal | undefined,
  reactions: Reactions | undefined,
): PostView {
  const withheld = withholdsText(r, readerOf(viewer));
  const own = !!viewer && viewer.id === r.authorId;
  const pendingEdit = pendingEditView(r);
  return {
    id: r.id,
    threadId: r.threadId,
    author: authorView(r, viewer),
    body: withheld ? null : r.body,
    bodyHtml: withheld ? '' : r.bodyHtml,
    contentWarning: withheld ? null : r.contentWarning,
    replyToId: r.replyToId,
    reactions: reactions ?? emptyReactions(),
    anonymous: r.anonymous,
    editedAt: r.editedAt ? r.editedAt.toISOString() : null,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    ...(viewer ? { mine: own } : {}),
    ...(r.heldReason && r.status === 'pending' && (own || isModerator(viewer))
      ? { heldReason: r.heldReason, heldReasons: r.heldReasons ?? [] }
      : {}),
    ...(pendingEdit && (own || isModerator(viewer)) ? { pendingEdit } : {}),
  };
}
