import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock/clock';
import { badInput, conflict, forbidden, notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { extractMentions, plainTextExcerpt, renderMarkdown } from '../../common/markdown/markdown';
import { decodeCursor, type Page, type PageQueryDto, pageLimit, toPage } from '../../common/pagination';
import { TypedEvents } from '../../common/typed-events';
import {
  containerVisible,
  itemInContainerVisibility,
  notBlockedSql,
  readerOf,
  visibleSql,
  withholdsText,
} from '../../publishing/content-policy';
import { PublishingGate } from '../../publishing/publishing-gate';
import { countPublishedPost } from '../counters';
import { authorView, isModerator, type PostView, type Reactions } from '../forum-views';
import { ForumPacing } from '../pacing';
import type { ContentStatus } from '../threads/thread.constants';
import type { CreatePostDto } from './dto/post.dto';
import type { ReactionKind } from './post-reaction.constants';

/** How long an author may edit a published post; moderators may always. */
const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

interface PostRow {
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
  createdAt: Date;
  editedAt: Date | null;
}

const POST_COLUMNS = `p.id, p.thread_id AS "threadId", p.author_id AS "authorId", u.username AS "authorUsername",
  u.display_name AS "authorDisplayName", p.body, p.body_html AS "bodyHtml", p.content_warning AS "contentWarning",
  p.reply_to_id AS "replyToId", p.anonymous, p.status, p.held_reason AS "heldReason", p.created_at AS "createdAt",
  p.edited_at AS "editedAt"`;

export interface NewPost {
  threadId: string;
  authorId: string;
  body: string;
  replyToId: string | null;
  anonymous: boolean;
  status: 'published' | 'pending';
  heldReason: string | null;
  contentWarning?: string | null;
}

@Injectable()
export class PostsService {
  constructor(
    private readonly db: DataSource,
    private readonly gate: PublishingGate,
    private readonly pacing: ForumPacing,
    private readonly events: TypedEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * A thread's posts, oldest first, by the content policy: readable where the thread is; deleted and hidden posts
   * keep their place without their text; pending ones are shown to their author and moderators only; named posts
   * by members the viewer blocked are left out (anonymous ones never are).
   */
  async list(threadId: string, query: PageQueryDto, viewer: Principal | undefined): Promise<Page<PostView>> {
    await this.assertThreadVisible(threadId, viewer);
    return this.listInThread(threadId, query, viewer);
  }

  /**
   * The same page of posts, for a caller that checks the thread's visibility itself in the same breath
   * (ThreadsService.page: the thread page needs the thread anyway, so it is read once).
   */
  async listInThread(threadId: string, query: PageQueryDto, viewer: Principal | undefined): Promise<Page<PostView>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    const rows = (await this.db.query(
      `SELECT ${POST_COLUMNS}
         FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.thread_id = $1 AND ($2::bigint IS NULL OR p.id > $2)
          AND ${visibleSql('item', 'p', { reader: 3, moderator: 4 })}
          AND ${notBlockedSql('p', 3, { anonymous: true })}
        ORDER BY p.id
        LIMIT $5`,
      [threadId, after?.[0] ?? null, viewer?.id ?? null, isModerator(viewer), limit + 1],
    )) as PostRow[];
    const page = rows.length > limit ? rows.slice(0, limit) : rows;
    const reactions = await this.reactionsFor(
      page.map((r) => r.id),
      viewer,
    );
    return toPage(
      rows,
      limit,
      (r) => postView(r, viewer, reactions.get(r.id)),
      (r) => [r.id],
    );
  }

  async getOne(id: string, viewer: Principal | undefined): Promise<PostView> {
    const row = await this.visiblePost(this.db.manager, id, viewer);
    const reactions = await this.reactionsFor([id], viewer);
    return postView(row, viewer, reactions.get(id));
  }

  /** A reply, through the publishing gate: 201 published or 202 pending. Locked threads refuse members. */
  async create(
    author: Principal,
    threadId: string,
    input: CreatePostDto,
  ): Promise<{ status: string; post: PostView; notice?: string }> {
    const thread = await this.threadForReply(threadId, author);
    if (input.replyToId) await this.assertReplyTarget(threadId, input.replyToId);
    const decision = await this.gate.decide({
      kind: 'post',
      action: 'create',
      author,
      text: input.body,
      approval: thread.approval,
    });
    // After the gate: a text it refused does not count against the member's pace.
    await this.pacing.beforePost(author, input.body);
    const anonymous = input.anonymous ?? false;
    const post = await this.db.transaction(async (m) => {
      const created = await this.insert(m, {
        threadId,
        authorId: author.id,
        body: input.body,
        replyToId: input.replyToId ?? null,
        anonymous,
        status: decision.status,
        heldReason: decision.status === 'pending' ? decision.reasons.join('; ') : null,
        contentWarning: input.contentWarning ?? null,
      });
      if (decision.status === 'published') {
        await countPublishedPost(m, { threadId, authorId: author.id, anonymous, isFirstPost: false }, 1);
      }
      return created;
    });
    if (decision.status === 'pending' || decision.review) {
      await this.events.emitAsync(EVENTS.contentSubmitted, {
        targetType: 'post',
        targetId: post.id,
        authorId: author.id,
        status: decision.status,
        reasons: decision.reasons,
        review: decision.review,
        crisis: decision.crisis,
        excerpt: plainTextExcerpt(input.body, 160),
      });
    }
    if (decision.status === 'published') this.announcePublished(post.id);
    return {
      status: decision.status,
      post: await this.getOne(post.id, author),
      ...(decision.notice ? { notice: decision.notice } : {}),
    };
  }

  /** Writes a post row with its rendered HTML (used for replies and for a thread's opening post). */
  async insert(m: EntityManager, p: NewPost): Promise<{ id: string }> {
    const [row] = (await m.query(
      `INSERT INTO posts (thread_id, author_id, body, body_html, reply_to_id, anonymous, status, held_reason,
                          content_warning)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        p.threadId,
        p.authorId,
        p.body,
        renderMarkdown(p.body),
        p.replyToId,
        p.anonymous,
        p.status,
        p.heldReason,
        p.contentWarning ?? null,
      ],
    )) as Array<{ id: string }>;
    return row;
  }

  /** The author within 24 hours, or a moderator at any time; the replaced text becomes a revision. */
  async edit(editor: Principal, id: string, body: string): Promise<PostView> {
    const moderator = isModerator(editor);
    await this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT p.author_id AS "authorId", p.body, p.status, p.created_at AS "createdAt", p.edited_at AS "editedAt",
                c.approval
           FROM posts p JOIN threads t ON t.id = p.thread_id JOIN categories c ON c.id = t.category_id
          WHERE p.id = $1 FOR UPDATE OF p`,
        [id],
      )) as Array<{
        authorId: string;
        body: string;
        status: ContentStatus;
        createdAt: Date;
        editedAt: Date | null;
        approval: 'none';
      }>;
      const post = rows[0];
      const own = post?.authorId === editor.id;
      if (!post || post.status === 'deleted' || post.status === 'rejected') throw notFound('Post');
      if (!own && !moderator) {
        throw post.status === 'published'
          ? forbidden('Only the author or a moderator may edit this post')
          : notFound('Post');
      }
      if (!moderator && this.clock.now() - post.createdAt.getTime() > EDIT_WINDOW_MS) {
        throw forbidden('Posts can be edited for 24 hours; ask a moderator to change it');
      }
      if (post.body === body) return;
      const decision = await this.gate.decide({
        kind: 'post',
        action: 'edit',
        author: editor,
        text: body,
        approval: post.approval,
      });
      await m.query(`INSERT INTO post_revisions (post_id, body, edited_by, written_at) VALUES ($1, $2, $3, $4)`, [
        id,
        post.body,
        editor.id,
        post.editedAt ?? post.createdAt,
      ]);
      await m.query(`UPDATE posts SET body = $2, body_html = $3, edited_at = now() WHERE id = $1`, [
        id,
        body,
        renderMarkdown(body),
      ]);
      if (decision.review || decision.status === 'pending') {
        await this.events.emitAsync(EVENTS.contentSubmitted, {
          targetType: 'post',
          targetId: id,
          authorId: post.authorId,
          status: post.status === 'published' ? 'published' : 'pending',
          reasons: decision.reasons,
          review: true,
          crisis: decision.crisis,
          excerpt: plainTextExcerpt(body, 160),
        });
      }
      if (!own)
        this.events.emit(EVENTS.contentModerated, {
          actorId: editor.id,
          action: 'edit',
          targetType: 'post',
          targetId: id,
        });
    });
    return this.getOne(id, editor);
  }

  async revisions(
    viewer: Principal,
    id: string,
  ): Promise<Array<{ id: string; body: string; writtenAt: string; editedAt: string; editedBy: string | null }>> {
    const post = await this.visiblePost(this.db.manager, id, viewer);
    if (post.authorId !== viewer.id && !isModerator(viewer))
      throw forbidden('Only the author or a moderator may read earlier versions');
    const rows = (await this.db.query(
      `SELECT r.id, r.body, r.written_at AS "writtenAt", r.created_at AS "editedAt", u.username AS "editedBy"
         FROM post_revisions r LEFT JOIN users u ON u.id = r.edited_by
        WHERE r.post_id = $1 ORDER BY r.id DESC`,
      [id],
    )) as Array<{ id: string; body: string; writtenAt: Date; editedAt: Date; editedBy: string | null }>;
    return rows.map((r) => ({ ...r, writtenAt: r.writtenAt.toISOString(), editedAt: r.editedAt.toISOString() }));
  }

  /** Soft delete: the post keeps its place, its text is no longer served. An opening post takes its thread along. */
  async remove(actor: Principal, id: string): Promise<void> {
    const moderator = isModerator(actor);
    await this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT p.author_id AS "authorId", p.thread_id AS "threadId", p.status, p.anonymous,
                t.first_post_id = p.id AS "isFirstPost", t.category_id AS "categoryId", t.status AS "threadStatus",
                t.reply_count AS "replyCount"
           FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = $1 FOR UPDATE OF p, t`,
        [id],
      )) as Array<{
        authorId: string;
        threadId: string;
        status: ContentStatus;
        anonymous: boolean;
        isFirstPost: boolean;
        categoryId: string;
        threadStatus: ContentStatus;
        replyCount: number;
      }>;
      const post = rows[0];
      if (!post || post.status === 'deleted') throw notFound('Post');
      if (post.authorId !== actor.id && !moderator) {
        if (post.status === 'published') throw forbidden('Only the author or a moderator may delete this post');
        throw notFound('Post');
      }
      await m.query(`UPDATE posts SET status = 'deleted', deleted_at = now() WHERE id = $1`, [id]);
      if (post.status === 'published') {
        await countPublishedPost(m, { ...post, isFirstPost: post.isFirstPost }, -1);
      }
      if (post.isFirstPost && post.threadStatus !== 'deleted') {
        await m.query(`UPDATE threads SET status = 'deleted' WHERE id = $1`, [post.threadId]);
        if (post.threadStatus === 'published') {
          await m.query(
            `UPDATE categories SET thread_count = thread_count - 1, post_count = post_count - $2 WHERE id = $1`,
            [post.categoryId, post.replyCount],
          );
        }
      }
    });
    if (moderator)
      this.events.emit(EVENTS.contentModerated, {
        actorId: actor.id,
        action: 'delete',
        targetType: 'post',
        targetId: id,
      });
  }

  async react(member: Principal, id: string, kind: ReactionKind, on: boolean): Promise<Reactions> {
    const post = await this.visiblePost(this.db.manager, id, member);
    if (post.status !== 'published') throw conflict('Only published posts take reactions');
    if (on) {
      await this.db.query(
        `INSERT INTO post_reactions (post_id, user_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [id, member.id, kind],
      );
    } else {
      await this.db.query(`DELETE FROM post_reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3`, [
        id,
        member.id,
        kind,
      ]);
    }
    return (await this.reactionsFor([id], member)).get(id) ?? emptyReactions();
  }

  /** Tells listeners (notifications) a post became visible to members. */
  announcePublished(postId: string): void {
    void this.db
      .query(
        `SELECT p.thread_id AS "threadId", t.title AS "threadTitle", p.author_id AS "authorId", p.anonymous, p.body,
                t.first_post_id = p.id AS "isFirstPost", rp.author_id AS "replyToAuthorId"
           FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN posts rp ON rp.id = p.reply_to_id
          WHERE p.id = $1 AND p.status = 'published'`,
        [postId],
      )
      .then(
        (
          rows: Array<{
            threadId: string;
            threadTitle: string;
            authorId: string;
            anonymous: boolean;
            body: string;
            isFirstPost: boolean;
            replyToAuthorId: string | null;
          }>,
        ) => {
          const r = rows[0];
          if (!r) return;
          this.events.emit(EVENTS.postPublished, {
            postId,
            threadId: r.threadId,
            threadTitle: r.threadTitle,
            authorId: r.authorId,
            anonymous: r.anonymous,
            isFirstPost: r.isFirstPost,
            replyToAuthorId: r.replyToAuthorId,
            excerpt: plainTextExcerpt(r.body, 200),
            mentions: extractMentions(r.body),
          });
        },
      )
      .catch(() => undefined);
  }

  private async reactionsFor(ids: string[], viewer: Principal | undefined): Promise<Map<string, Reactions>> {
    const out = new Map<string, Reactions>();
    if (ids.length === 0) return out;
    const rows = (await this.db.query(
      `SELECT post_id AS "postId", kind, count(*)::int AS count, bool_or(user_id = $2) AS mine
         FROM post_reactions WHERE post_id = ANY($1::bigint[]) GROUP BY post_id, kind`,
      [ids, viewer?.id ?? null],
    )) as Array<{ postId: string; kind: ReactionKind; count: number; mine: boolean | null }>;
    for (const r of rows) {
      const entry = out.get(r.postId) ?? emptyReactions();
      entry[r.kind] = r.count;
      if (r.mine) entry.mine.push(r.kind);
      out.set(r.postId, entry);
    }
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

  private async assertThreadVisible(threadId: string, viewer: Principal | undefined): Promise<void> {
    const rows = (await this.db.query(`SELECT status, author_id AS "authorId" FROM threads WHERE id = $1`, [
      threadId,
    ])) as Array<{
      status: ContentStatus;
      authorId: string;
    }>;
    const t = rows[0];
    if (!t || !containerVisible(t, readerOf(viewer))) throw notFound('Thread');
  }

  private async threadForReply(
    threadId: string,
    author: Principal,
  ): Promise<{ approval: 'none' | 'new_members' | 'all' }> {
    const rows = (await this.db.query(
      `SELECT t.status, t.locked, c.approval FROM threads t JOIN categories c ON c.id = t.category_id WHERE t.id = $1`,
      [threadId],
    )) as Array<{ status: ContentStatus; locked: boolean; approval: 'none' | 'new_members' | 'all' }>;
    const t = rows[0];
    if (!t || t.status !== 'published') throw notFound('Thread');
    if (t.locked && !isModerator(author)) throw forbidden('This thread is locked: no new replies');
    return { approval: t.approval };
  }

  private async assertReplyTarget(threadId: string, replyToId: string): Promise<void> {
    const rows = (await this.db.query(`SELECT 1 FROM posts WHERE id = $1 AND thread_id = $2 AND status = 'published'`, [
      replyToId,
      threadId,
    ])) as unknown[];
    if (rows.length === 0) throw badInput('replyToId', 'must be the id of a published post in this thread');
  }
}

const emptyReactions = (): Reactions => ({ support: 0, hug: 0, same: 0, thanks: 0, mine: [] });

/** Deleted and hidden posts keep their place but not their text; the gate's reason is for author and moderators. */
function postView(r: PostRow, viewer: Principal | undefined, reactions: Reactions | undefined): PostView {
  const withheld = withholdsText(r, readerOf(viewer));
  const own = !!viewer && viewer.id === r.authorId;
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
    ...(r.heldReason && r.status === 'pending' && (own || isModerator(viewer)) ? { heldReason: r.heldReason } : {}),
  };
}
