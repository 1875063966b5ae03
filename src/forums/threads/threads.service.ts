import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { badInput, notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { decodeCursor, type Page, type PageQueryDto, pageLimit, toPage } from '../../common/pagination';
import { TypedEvents } from '../../common/typed-events';
import { prepared, queryPrepared } from '../../database/prepared';
import { containerVisible, listedSql, notBlockedSql, readerOf } from '../../publishing/content-policy';
import { PublishingGate } from '../../publishing/publishing-gate';
import { CategoriesService } from '../categories/categories.service';
import { countPublishedPost, countPublishedThread } from '../counters';
import { authorView, isModerator, type PostView, type ThreadView } from '../forum-views';
import { ForumPacing } from '../pacing';
import { PostWritesService } from '../posts/post-writes.service';
import { type NumberedPage, type NumberedRow, numberedPageSql, PostsService } from '../posts/posts.service';
import type { CreateThreadDto } from './dto/thread.dto';
import type { ContentStatus } from './thread.constants';

interface ThreadRow {
  id: string;
  categorySlug: string;
  categoryName: string;
  title: string;
  authorId: string;
  authorUsername: string;
  authorDisplayName: string;
  anonymous: boolean;
  pinned: boolean;
  locked: boolean;
  status: ContentStatus;
  replyCount: number;
  createdAt: Date;
  lastPostAt: Date;
  /** last_post_at in microseconds since the epoch: an exact keyset cursor (a JS Date keeps only milliseconds). */
  lastPostUs: string;
  subscribed?: boolean;
  /** The viewer's read mark (visibleThread only). */
  lastReadPostId?: string | null;
}

/**
 * A thread's fields as ThreadRow names them, each as SQL over `t` (the thread), `c` its category, `u` its author. Ids
 * are text (as the driver reads a bigint column, and as they must be in JSON, where a number would lose digits).
 */
const THREAD_FIELDS = [
  ['t.id::text', 'id'],
  ['c.slug', 'categorySlug'],
  ['c.name', 'categoryName'],
  ['t.title', 'title'],
  ['t.author_id::text', 'authorId'],
  ['u.username', 'authorUsername'],
  ['u.display_name', 'authorDisplayName'],
  ['t.anonymous', 'anonymous'],
  ['t.pinned', 'pinned'],
  ['t.locked', 'locked'],
  ['t.status', 'status'],
  ['t.reply_count', 'replyCount'],
  ['t.created_at', 'createdAt'],
  ['t.last_post_at', 'lastPostAt'],
  ['(extract(epoch FROM t.last_post_at) * 1000000)::bigint::text', 'lastPostUs'],
] as const;
const THREAD_COLUMNS = THREAD_FIELDS.map(([sql, name]) => `${sql} AS "${name}"`).join(', ');

/**
 * A page of a category's published threads (by its slug), pinned first, then by last activity, newest first; threads
 * of authors the viewer blocked are left out, unless anonymous (the content policy's block rule). Prepared, in two
 * texts (the first page, and after a cursor) so that each keeps a plan that seeks on the list index.
 */
const listStatement = (cursor: string) =>
  prepared(`SELECT ${THREAD_COLUMNS}
      FROM threads t JOIN categories c ON c.id = t.category_id JOIN users u ON u.id = t.author_id
     WHERE t.category_id = (SELECT id FROM categories WHERE slug = $1) AND ${listedSql('t')} ${cursor}
       AND ${notBlockedSql('t', 2, { anonymous: true })}
     ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC
     LIMIT $3`);
/** Exported for the plan check in the tests. */
export const THREAD_LIST = {
  first: listStatement(''),
  after: listStatement(
    `AND (t.pinned, t.last_post_at, t.id) < ($4::boolean, timestamptz 'epoch' + $5::bigint * interval '1 microsecond', $6::bigint)`,
  ),
};

/** The viewer's subscription to thread `t` and her read mark in it (`viewer` her parameter), as ThreadRow names them. */
const viewerFields = (viewer: string) =>
  [
    [`EXISTS (SELECT 1 FROM thread_subscriptions s WHERE s.thread_id = t.id AND s.user_id = ${viewer})`, 'subscribed'],
    [
      `(SELECT r.last_read_post_id FROM thread_reads r WHERE r.user_id = ${viewer} AND r.thread_id = t.id)::text`,
      'lastReadPostId',
    ],
  ] as const;
const viewerColumns = (viewer: string) =>
  viewerFields(viewer)
    .map(([sql, name]) => `${sql} AS "${name}"`)
    .join(', ');

/**
 * The thread and the viewer's marks on it as one JSON object (ids as text, times as ISO text: see threadFromJson),
 * in the rows where `when` holds (null elsewhere).
 */
const threadObject = (viewer: string, when: string) => {
  const fields = [...THREAD_FIELDS, ...viewerFields(viewer)].map(([sql, name]) => `'${name}', ${sql}`);
  return `CASE WHEN ${when} THEN json_build_object(${fields.join(', ')}) END`;
};

/** One thread with the viewer's subscription and read mark. */
export const VISIBLE_THREAD = prepared(`SELECT ${THREAD_COLUMNS}, ${viewerColumns('$2')}
    FROM threads t JOIN categories c ON c.id = t.category_id JOIN users u ON u.id = t.author_id
   WHERE t.id = $1`);

/**
 * A thread page in one statement: the thread (with the viewer's subscription and read mark) and its numbered page of
 * posts beside it (the posts feature's numberedPageSql: $1 the thread, $2 the page size, $3 the reader, $4 whether
 * she moderates, $5 the offset). A page that shows no post is the thread's row alone. The thread comes as one JSON
 * column in the first row only (null in the others): read, sent and parsed once, not once a post, and one column
 * rather than seventeen for the driver to name in every row. The page shows posts' HTML only, so it reads them
 * without their Markdown; THREAD_PAGE.withSource reads that too (the split form's excerpts).
 */
const threadPage = (source: boolean) =>
  prepared(`SELECT ${threadObject('$3', 'coalesce(page."rowNo", 1) = 1')} AS thread, page.*
    FROM threads t JOIN categories c ON c.id = t.category_id JOIN users u ON u.id = t.author_id
    LEFT JOIN LATERAL (${numberedPageSql(source)}) page ON true
   WHERE t.id = $1
   ORDER BY page.id`);
export const THREAD_PAGE = { html: threadPage(false), withSource: threadPage(true) };

type ThreadPageRow = NumberedRow & { thread: ThreadJson | null };

export interface CreatedThread {
  status: 'published' | 'pending';
  thread: ThreadView;
  post: PostView;
  notice?: string;
}

@Injectable()
export class ThreadsService {
  constructor(
    private readonly db: DataSource,
    private readonly categories: CategoriesService,
    private readonly posts: PostsService,
    private readonly postWrites: PostWritesService,
    private readonly gate: PublishingGate,
    private readonly pacing: ForumPacing,
    private readonly events: TypedEvents,
  ) {}

  /**
   * Published threads of a category: pinned first, then by last activity, newest first. Threads of authors the
   * viewer blocked are left out, unless anonymous (the content policy's block rule).
   */
  async list(slug: string, query: PageQueryDto, viewer: Principal | undefined): Promise<Page<ThreadView>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'bui');
    const rows = await queryPrepared<ThreadRow>(this.db, after ? THREAD_LIST.after : THREAD_LIST.first, [
      slug,
      viewer?.id ?? null,
      limit + 1,
      ...(after ?? []),
    ]);
    // An empty page is either the end of a category or no category at all: only then is the category read.
    if (rows.length === 0) await this.categories.get(slug);
    return toPage(
      rows,
      limit,
      (r) => threadView(r, viewer),
      (r) => [r.pinned, r.lastPostUs, r.id],
    );
  }

  /**
   * The latest active published threads across every category (the home page's "recent activity"). Each category's
   * newest come from its list index (pinned and not, separately), so this costs a few index reads per category.
   */
  async recent(limit: number, viewer: Principal | undefined): Promise<ThreadView[]> {
    const rows = (await this.db.query(
      `SELECT ${THREAD_COLUMNS}
         FROM categories c
         CROSS JOIN LATERAL (
           (SELECT * FROM threads x WHERE x.category_id = c.id AND ${listedSql('x')} AND x.pinned
             ORDER BY x.last_post_at DESC, x.id DESC LIMIT $1)
           UNION ALL
           (SELECT * FROM threads x WHERE x.category_id = c.id AND ${listedSql('x')} AND NOT x.pinned
             ORDER BY x.last_post_at DESC, x.id DESC LIMIT $1)
         ) t
         JOIN users u ON u.id = t.author_id
        WHERE ${notBlockedSql('t', 2, { anonymous: true })}
        ORDER BY t.last_post_at DESC, t.id DESC
        LIMIT $1`,
      [limit, viewer?.id ?? null],
    )) as ThreadRow[];
    return rows.map((r) => threadView(r, viewer));
  }

  async get(id: string, viewer: Principal | undefined): Promise<ThreadView> {
    const row = await this.visibleThread(id, viewer);
    return threadView(row, viewer);
  }

  /**
   * A thread with one numbered page of its posts, as its web page shows them: both read at once, the thread's
   * visibility checked once (posts of a thread the viewer may not see are never returned). For a member, her read
   * mark moves forward to the last post shown (a write only when it moves). The posts' Markdown (body) is read only
   * with `options.source`; without it, do not rely on it (null, but for a page asked past the end, read again whole).
   */
  async page(
    id: string,
    want: { page?: number; after?: string },
    perPage: number,
    viewer: Principal | undefined,
    options: { source?: boolean } = {},
  ): Promise<{ thread: ThreadView; posts: NumberedPage<PostView> }> {
    const page = await this.posts.pageWanted(id, want, perPage);
    const statement = options.source ? THREAD_PAGE.withSource : THREAD_PAGE.html;
    const rows = await queryPrepared<ThreadPageRow>(this.db, statement, [
      id,
      perPage,
      viewer?.id ?? null,
      isModerator(viewer),
      (page - 1) * perPage,
    ]);
    const row = rows[0]?.thread && threadFromJson(rows[0].thread);
    if (!row || !containerVisible(row, readerOf(viewer))) throw notFound('Thread');
    const posts = await this.posts.numberedPageFrom(id, rows[0].id === null ? [] : rows, page, perPage, viewer);
    const last = posts.items[posts.items.length - 1];
    if (viewer && last && BigInt(last.id) > BigInt(row.lastReadPostId ?? '0')) {
      await this.markRead(viewer, id, last);
    }
    return { thread: threadView(row, viewer), posts };
  }

  /** Where "first unread" leads a member: the first post after her read mark she can see, or null when none. */
  async firstUnread(member: Principal, id: string): Promise<{ postId: string | null }> {
    const row = await this.visibleThread(id, member);
    if (!row.lastReadPostId) return { postId: null };
    return { postId: await this.posts.firstVisibleAfter(id, row.lastReadPostId, member) };
  }

  /** Among these threads, those the member has opened before and that have posts newer than her read mark. */
  async withUnread(member: Principal, threadIds: string[]): Promise<Set<string>> {
    if (threadIds.length === 0) return new Set();
    const rows = (await this.db.query(
      `SELECT r.thread_id AS id FROM thread_reads r JOIN threads t ON t.id = r.thread_id
        WHERE r.user_id = $1 AND r.thread_id = ANY($2::bigint[]) AND t.last_post_at > r.last_read_post_at`,
      [member.id, threadIds],
    )) as Array<{ id: string }>;
    return new Set(rows.map((r) => r.id));
  }

  private async markRead(member: Principal, threadId: string, post: { id: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO thread_reads (user_id, thread_id, last_read_post_id, last_read_post_at)
       SELECT $1, $2, p.id, p.created_at FROM posts p WHERE p.id = $3
       ON CONFLICT (user_id, thread_id) DO UPDATE
         SET last_read_post_id = EXCLUDED.last_read_post_id, last_read_post_at = EXCLUDED.last_read_post_at,
             updated_at = now()
         WHERE thread_reads.last_read_post_id < EXCLUDED.last_read_post_id`,
      [member.id, threadId, post.id],
    );
  }

  /** The thread and its opening post, through the publishing gate: 201 published, or 202 pending. */
  async create(author: Principal, slug: string, input: CreateThreadDto): Promise<CreatedThread> {
    const category = await this.categories.get(slug);
    const decision = await this.gate.decide({
      kind: 'thread',
      action: 'create',
      author,
      text: `${input.title}\n\n${input.body}`,
      approval: category.approval as 'none' | 'new_members' | 'all',
    });
    // After the gate: a text it refused does not count against the member's pace.
    await this.pacing.beforeThread(author, input.body);
    const anonymous = input.anonymous ?? false;
    const { threadId, postId, recorded } = await this.db.transaction(async (m) => {
      const [thread] = (await m.query(
        `INSERT INTO threads (category_id, author_id, title, anonymous, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [category.id, author.id, input.title, anonymous, decision.status],
      )) as Array<{ id: string }>;
      const post = await this.postWrites.insert(m, {
        threadId: thread.id,
        authorId: author.id,
        body: input.body,
        replyToId: null,
        anonymous,
        status: decision.status,
        heldReasons: decision.status === 'pending' ? decision.reasons : null,
        contentWarning: input.contentWarning ?? null,
      });
      await m.query(`UPDATE threads SET first_post_id = $2 WHERE id = $1`, [thread.id, post.id]);
      await m.query(`INSERT INTO thread_subscriptions (thread_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        thread.id,
        author.id,
      ]);
      if (decision.status === 'published') {
        await countPublishedThread(m, category.id, 1);
        await countPublishedPost(m, { threadId: thread.id, authorId: author.id, anonymous, isFirstPost: true }, 1);
      }
      const review = await this.gate.record(
        m,
        { targetType: 'thread', targetId: thread.id, text: `${input.title}\n\n${input.body}`, created: true },
        decision,
      );
      return { threadId: thread.id, postId: post.id, recorded: review };
    });
    recorded.announce();
    if (decision.status === 'published') this.postWrites.announcePublished(postId, decision.crisis ?? false);
    return {
      status: decision.status,
      thread: await this.get(threadId, author),
      post: await this.posts.getOne(postId, author),
      ...(decision.notice ? { notice: decision.notice } : {}),
    };
  }

  async setFlag(moderator: Principal, id: string, flag: 'pinned' | 'locked', value: boolean): Promise<ThreadView> {
    const column = flag === 'pinned' ? 'pinned' : 'locked';
    const [, affected] = (await this.db.query(
      `UPDATE threads SET ${column} = $2 WHERE id = $1 AND status <> 'deleted'`,
      [id, value],
    )) as [unknown, number];
    if (!affected) throw notFound('Thread');
    const action = flag === 'pinned' ? (value ? 'pin' : 'unpin') : value ? 'lock' : 'unlock';
    this.events.emit(EVENTS.contentModerated, { actorId: moderator.id, action, targetType: 'thread', targetId: id });
    return this.get(id, moderator);
  }

  /** Moves a thread and its counts to another category, in one transaction. */
  async move(moderator: Principal, id: string, toSlug: string): Promise<ThreadView> {
    const target = await this.categories.get(toSlug);
    await this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT category_id AS "categoryId", status, reply_count AS "replyCount" FROM threads WHERE id = $1 FOR UPDATE`,
        [id],
      )) as Array<{ categoryId: string; status: ContentStatus; replyCount: number }>;
      const thread = rows[0];
      if (!thread || thread.status === 'deleted') throw notFound('Thread');
      if (thread.categoryId === target.id) throw badInput('category', 'is where the thread already is');
      await m.query(`UPDATE threads SET category_id = $2 WHERE id = $1`, [id, target.id]);
      if (thread.status === 'published') {
        const posts = thread.replyCount + 1;
        await m.query(
          `UPDATE categories SET thread_count = thread_count - 1, post_count = post_count - $2 WHERE id = $1`,
          [thread.categoryId, posts],
        );
        await m.query(
          `UPDATE categories SET thread_count = thread_count + 1, post_count = post_count + $2,
                  last_post_at = GREATEST(coalesce(last_post_at, 'epoch'), (SELECT last_post_at FROM threads WHERE id = $3))
            WHERE id = $1`,
          [target.id, posts, id],
        );
      }
    });
    this.events.emit(EVENTS.contentModerated, {
      actorId: moderator.id,
      action: 'move',
      targetType: 'thread',
      targetId: id,
      note: `to ${toSlug}`,
    });
    return this.get(id, moderator);
  }

  async subscribe(member: Principal, id: string, on: boolean): Promise<void> {
    await this.visibleThread(id, member);
    if (on) {
      await this.db.query(
        `INSERT INTO thread_subscriptions (thread_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [id, member.id],
      );
    } else {
      await this.db.query(`DELETE FROM thread_subscriptions WHERE thread_id = $1 AND user_id = $2`, [id, member.id]);
    }
  }

  /** Who sees a thread is the content policy's container rule (its posts follow the same rule). */
  private async visibleThread(id: string, viewer: Principal | undefined): Promise<ThreadRow> {
    const [row] = await queryPrepared<ThreadRow>(this.db, VISIBLE_THREAD, [id, viewer?.id ?? null]);
    if (!row || !containerVisible(row, readerOf(viewer))) throw notFound('Thread');
    return row;
  }
}

/** A THREAD_PAGE row's thread, as threadObject writes it: a ThreadRow with its times as text. */
type ThreadJson = Omit<ThreadRow, 'createdAt' | 'lastPostAt'> & { createdAt: string; lastPostAt: string };

function threadFromJson(t: ThreadJson): ThreadRow {
  return { ...t, createdAt: new Date(t.createdAt), lastPostAt: new Date(t.lastPostAt) };
}

function threadView(r: ThreadRow, viewer: Principal | undefined): ThreadView {
  return {
    id: r.id,
    category: { slug: r.categorySlug, name: r.categoryName },
    title: r.title,
    author: authorView(r, viewer),
    anonymous: r.anonymous,
    pinned: r.pinned,
    locked: r.locked,
    status: r.status,
    replyCount: r.replyCount,
    createdAt: r.createdAt.toISOString(),
    lastPostAt: r.lastPostAt.toISOString(),
    ...(viewer && r.subscribed !== undefined ? { subscribed: r.subscribed } : {}),
    ...(viewer ? { mine: r.authorId === viewer.id } : {}),
  };
}
