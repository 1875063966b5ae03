import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock/clock';
import { badInput, conflict, forbidden, notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import {
  excerptOfHtml,
  type LexedMarkdown,
  lexMarkdown,
  plainTextExcerpt,
  renderMarkdown,
} from '../../common/markdown/markdown';
import { prepared, queryPrepared } from '../../database/prepared';
import { TypedEvents } from '../../common/typed-events';
import {
  heldReasonText,
  newMemberSql,
  type PublishingDecision,
  PublishingGate,
  type Recorded,
} from '../../publishing/publishing-gate';
import type { GateReason } from '../../publishing/review-sink';
import { SqlParams } from '../../common/sql/sql-params';
import { countPublishedPost, publishedPostCountSql } from '../counters';
import { authorView, isModerator, type PostView, type Reactions } from '../forum-views';
import { ForumPacing } from '../pacing';
import type { ContentStatus } from '../threads/thread.constants';
import type { CreatePostDto } from './dto/post.dto';
import type { ReactionKind } from './post-reaction.constants';
import { editRefusal } from './edit-rules';
import { PostsService, postView } from './posts.service';
import { blockersSql } from '../../users/users.service';

type Approval = 'none' | 'new_members' | 'all';

export interface NewPost {
  threadId: string;
  authorId: string;
  body: string;
  replyToId: string | null;
  anonymous: boolean;
  status: 'published' | 'pending';
  /** Why the gate held it (null when published). */
  heldReasons: GateReason[] | null;
  contentWarning?: string | null;
}

/**
 * What changes posts: replies, edits, deletion, reactions, and settling a held edit. Every new or edited text
 * passes the one publishing gate, and what the gate holds or flags is recorded in the same transaction.
 */
@Injectable()
export class PostWritesService {
  constructor(
    private readonly db: DataSource,
    private readonly posts: PostsService,
    private readonly gate: PublishingGate,
    private readonly pacing: ForumPacing,
    private readonly events: TypedEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * A reply, through the publishing gate: 201 published or 202 pending. Locked threads refuse members.
   *
   * Two round trips on the happy path (a published reply), after the auth guard's session lookup: one read of everything the checks need (the thread, its
   * category's approval, the reply target, whether the author is new, the thread's watchers), and one statement
   * that writes the post with its counters and its fan-out job (one statement commits atomically: no BEGIN/COMMIT).
   * Quotes and mentions add their lookup, beside the first read. The answer and the live event are built from what
   * is in hand: nothing just written is read back. A held or flagged reply records its queue entry too, so its
   * statement runs in a transaction with that.
   */
  async create(
    author: Principal,
    threadId: string,
    input: CreatePostDto,
  ): Promise<{ status: string; post: PostView; notice?: string }> {
    const text = lexMarkdown(input.body);
    const [thread, refs] = await Promise.all([
      this.replyContext(threadId, author, input.replyToId ?? null),
      this.posts.markdownRefs(text),
    ]);
    const decision = await this.gate.decide({
      kind: 'post',
      action: 'create',
      author,
      text: input.body,
      approval: thread.approval,
      isNewMember: thread.authorIsNew,
    });
    // After the gate: a text it refused does not count against the member's pace.
    await this.pacing.beforePost(author, input.body, thread.authorIsNew);
    const held = decision.status === 'pending' ? decision.reasons : null;
    const post: NewPost = {
      threadId,
      authorId: author.id,
      body: input.body,
      replyToId: thread.replyToId,
      anonymous: input.anonymous ?? false,
      status: decision.status,
      heldReasons: held,
      contentWarning: input.contentWarning ?? null,
    };
    const bodyHtml = renderMarkdown(text, refs);
    const write = (m: EntityManager) => this.insertReply(m, post, bodyHtml, decision);
    let created: { id: string; createdAt: Date };
    let recorded: Recorded | undefined;
    if (this.gate.needsRecord(decision)) {
      ({ created, recorded } = await this.db.transaction(async (m) => {
        const row = await write(m);
        const target = { targetType: 'post' as const, targetId: row.id, text: input.body };
        return {
          created: row,
          recorded: await this.gate.record(m, { ...target, created: true, publicationWritten: true }, decision),
        };
      }));
    } else {
      created = await write(this.db.manager);
    }
    recorded?.announce();
    const view = postView(
      {
        ...post,
        id: created.id,
        authorUsername: author.username,
        authorDisplayName: author.displayName,
        bodyHtml,
        contentWarning: post.contentWarning ?? null,
        heldReason: held ? heldReasonText(held) : null,
        pendingBody: null,
        pendingBodyHtml: null,
        pendingReasons: null,
        pendingAt: null,
        createdAt: created.createdAt,
        editedAt: null,
      },
      author,
      undefined,
    );
    if (decision.status === 'published') {
      this.emitPublished(
        {
          postId: created.id,
          threadId,
          threadTitle: thread.title,
          authorId: author.id,
          authorUsername: author.username,
          authorDisplayName: author.displayName,
          anonymous: post.anonymous,
          body: input.body,
          isFirstPost: false,
          replyToAuthorId: thread.replyToAuthorId,
          watcherIds: thread.watcherIds,
          blockerIds: thread.blockerIds,
          crisis: decision.crisis ?? false,
        },
        { text, html: bodyHtml },
      );
    }
    return { status: decision.status, post: view, ...(decision.notice ? { notice: decision.notice } : {}) };
  }

  /** How a text will look once posted (a preview): quotes named and mentions linked as on the page. */
  async preview(body: string): Promise<string> {
    return renderMarkdown(body, await this.posts.markdownRefs(body));
  }

  /** Writes a post row with its rendered HTML (used for replies and for a thread's opening post). */
  async insert(m: EntityManager, p: NewPost): Promise<{ id: string }> {
    const text = lexMarkdown(p.body);
    const [row] = (await m.query(
      `INSERT INTO posts (thread_id, author_id, body, body_html, reply_to_id, anonymous, status, held_reason,
                          held_reasons, content_warning)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id`,
      [
        p.threadId,
        p.authorId,
        p.body,
        renderMarkdown(text, await this.posts.markdownRefs(text, m)),
        p.replyToId,
        p.anonymous,
        p.status,
        p.heldReasons ? heldReasonText(p.heldReasons) : null,
        p.heldReasons ? JSON.stringify(p.heldReasons) : null,
        p.contentWarning ?? null,
      ],
    )) as Array<{ id: string }>;
    return row;
  }

  /**
   * The author within 24 hours, or a moderator at any time, through the same gate as new content. An edit the gate
   * holds on a published post waits beside it (members keep reading the published text; the author sees hers
   * waiting) until a moderator approves it; otherwise the replaced text becomes a revision at once. A moderator's
   * `reason` for changing someone else's post is kept with the revision and in the audit log.
   */
  async edit(editor: Principal, id: string, body: string, reason?: string): Promise<PostView> {
    const moderator = isModerator(editor);
    let recorded: Recorded | undefined;
    let own = false;
    await this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT p.author_id AS "authorId", p.body, p.status, p.created_at AS "createdAt", p.edited_at AS "editedAt",
                p.pending_body AS "pendingBody", c.approval
           FROM posts p JOIN threads t ON t.id = p.thread_id JOIN categories c ON c.id = t.category_id
          WHERE p.id = $1 FOR UPDATE OF p`,
        [id],
      )) as Array<{
        authorId: string;
        body: string;
        status: ContentStatus;
        createdAt: Date;
        editedAt: Date | null;
        pendingBody: string | null;
        approval: Approval;
      }>;
      const post = rows[0];
      own = post?.authorId === editor.id;
      if (!post || post.status === 'deleted' || post.status === 'rejected') throw notFound('Post');
      if (!own && !moderator && post.status !== 'published') throw notFound('Post');
      const refusal = editRefusal(post, editor, this.clock.now(), 'post');
      if (refusal) throw refusal;
      if (post.body === body && post.pendingBody === null) return;
      const decision = await this.gate.decide({
        kind: 'post',
        action: 'edit',
        author: editor,
        text: body,
        approval: post.approval,
      });
      if (decision.status === 'pending' && post.status === 'published') {
        await m.query(
          `UPDATE posts SET pending_body = $2, pending_body_html = $3, pending_reasons = $4::jsonb, pending_at = now()
            WHERE id = $1`,
          [id, body, renderMarkdown(body, await this.posts.markdownRefs(body, m)), JSON.stringify(decision.reasons)],
        );
      } else {
        // Passed (or the post waits anyway): the text changes now, and replaces any edit still waiting.
        if (post.body !== body) await this.replaceBody(m, id, post, body, editor.id, own ? undefined : reason);
        await m.query(
          `UPDATE posts SET pending_body = NULL, pending_body_html = NULL, pending_reasons = NULL, pending_at = NULL
            WHERE id = $1`,
          [id],
        );
      }
      recorded = await this.gate.record(m, { targetType: 'post', targetId: id, text: body }, decision);
    });
    recorded?.announce();
    if (recorded && !own) {
      this.events.emit(EVENTS.contentModerated, {
        actorId: editor.id,
        action: 'edit',
        targetType: 'post',
        targetId: id,
        ...(reason ? { note: reason } : {}),
      });
    }
    return this.posts.getOne(id, editor);
  }

  /** A held edit settled by a moderator: applied (the published text becomes a revision) or dropped. */
  async settleEdit(id: string, apply: boolean, within?: EntityManager): Promise<void> {
    const settle = async (m: EntityManager) => {
      const rows = (await m.query(
        `SELECT author_id AS "authorId", body, created_at AS "createdAt", edited_at AS "editedAt",
                pending_body AS "pendingBody", pending_body_html AS "pendingBodyHtml", pending_at AS "pendingAt"
           FROM posts WHERE id = $1 FOR UPDATE`,
        [id],
      )) as Array<{
        authorId: string;
        body: string;
        createdAt: Date;
        editedAt: Date | null;
        pendingBody: string | null;
        pendingBodyHtml: string | null;
        pendingAt: Date | null;
      }>;
      const post = rows[0];
      if (!post || post.pendingBody === null) return;
      if (apply) {
        await this.revision(m, id, post, post.authorId);
        await m.query(
          `UPDATE posts SET body = pending_body, body_html = pending_body_html, edited_at = pending_at WHERE id = $1`,
          [id],
        );
      }
      await m.query(
        `UPDATE posts SET pending_body = NULL, pending_body_html = NULL, pending_reasons = NULL, pending_at = NULL
          WHERE id = $1`,
        [id],
      );
    };
    await (within ? settle(within) : this.db.transaction(settle));
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
    const post = await this.posts.getOne(id, member);
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
    return (await this.posts.getOne(id, member)).reactions;
  }

  /**
   * Tells listeners (notifications) a post became visible to members, and who watches its thread. `crisis`: the gate
   * found crisis words in it (a moderator's approval settles that: approved posts come with false).
   */
  announcePublished(postId: string, crisis = false): void {
    void this.db
      .query(
        `SELECT p.thread_id AS "threadId", t.title AS "threadTitle", p.author_id AS "authorId",
                u.username AS "authorUsername", u.display_name AS "authorDisplayName", p.anonymous, p.body,
                p.body_html AS "bodyHtml",
                t.first_post_id = p.id AS "isFirstPost", rp.author_id AS "replyToAuthorId",
                ARRAY(SELECT s.user_id FROM thread_subscriptions s WHERE s.thread_id = p.thread_id) AS "watcherIds",
                ${blockersSql('p.author_id')} AS "blockerIds"
           FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users u ON u.id = p.author_id
           LEFT JOIN posts rp ON rp.id = p.reply_to_id
          WHERE p.id = $1 AND p.status = 'published'`,
        [postId],
      )
      .then((rows: Array<PublishedFacts & { bodyHtml: string }>) => {
        const r = rows[0];
        if (r) this.emitPublished({ ...r, postId, crisis }, { text: lexMarkdown(r.body), html: r.bodyHtml });
      })
      .catch(() => undefined);
  }

  /**
   * The post.published event, from a post's facts however they were come by (read, or in hand after a reply), with
   * its text lexed and its HTML as stored: a reply's Markdown is lexed once and never rendered again here.
   */
  private emitPublished(
    r: PublishedFacts & { postId: string; crisis: boolean },
    { text, html }: { text: LexedMarkdown; html: string },
  ): void {
    // The member's own words: quoting a post does not mention its people again, nor show its text. A text that
    // quotes nothing is all her own, and its HTML gives the excerpt.
    const excerpt = text.quotes ? plainTextExcerpt(text.ownWords.trim() || r.body, 200) : excerptOfHtml(html, 200);
    this.events.emit(EVENTS.postPublished, {
      postId: r.postId,
      threadId: r.threadId,
      threadTitle: r.threadTitle,
      authorId: r.authorId,
      by: authorView(r, undefined),
      anonymous: r.anonymous,
      isFirstPost: r.isFirstPost,
      replyToAuthorId: r.replyToAuthorId,
      excerpt,
      mentions: text.ownMentions,
      crisis: r.crisis,
      watcherIds: r.watcherIds,
      blockerIds: r.blockerIds,
    });
  }

  /**
   * A reply as one statement: the post, and when it is published the forum's counters (counters.ts) and what
   * followers of new content queue (the subscriptions' fan-out job, through the gate's Publications), as CTEs.
   */
  private async insertReply(
    m: EntityManager,
    p: NewPost,
    bodyHtml: string,
    decision: PublishingDecision,
  ): Promise<{ id: string; createdAt: Date }> {
    const params = new SqlParams();
    const threadId = params.add(p.threadId, 'bigint');
    const authorId = params.add(p.authorId, 'bigint');
    const ctes = [
      `post AS (INSERT INTO posts (thread_id, author_id, body, body_html, reply_to_id, anonymous, status, held_reason,
                                   held_reasons, content_warning)
         VALUES (${threadId}, ${authorId}, ${params.add(p.body)}, ${params.add(bodyHtml)},
                 ${params.add(p.replyToId, 'bigint')}, ${params.add(p.anonymous, 'boolean')}, ${params.add(p.status)},
                 ${params.add(p.heldReasons ? heldReasonText(p.heldReasons) : null)},
                 ${params.add(p.heldReasons ? JSON.stringify(p.heldReasons) : null, 'jsonb')},
                 ${params.add(p.contentWarning ?? null)})
         RETURNING id, created_at)`,
      ...(p.status === 'published'
        ? publishedPostCountSql(params, { threadId, authorId, anonymous: p.anonymous, isFirstPost: false }, 1)
        : []),
      ...this.gate.publicationSql(
        params,
        { targetType: 'post', idSql: 'SELECT id FROM post', place: { type: 'thread', idSql: threadId } },
        decision,
      ),
    ];
    const text = `WITH ${ctes.join(',\n')}
       SELECT id, created_at AS "createdAt" FROM post`;
    // Outside a transaction (the happy path) the statement is prepared: its texts are few (published or held, by
    // what the gate decided), and planning a statement of several CTEs costs more than running it.
    const rows =
      m === this.db.manager
        ? await queryPrepared<{ id: string; createdAt: Date }>(this.db, prepared(text), params.values)
        : ((await m.query(text, params.values)) as Array<{ id: string; createdAt: Date }>);
    return rows[0];
  }

  /** The text changes at once; the replaced one becomes a revision. */
  private async replaceBody(
    m: EntityManager,
    id: string,
    old: { body: string; createdAt: Date; editedAt: Date | null },
    body: string,
    editorId: string,
    reason?: string,
  ): Promise<void> {
    await this.revision(m, id, old, editorId, reason);
    await m.query(`UPDATE posts SET body = $2, body_html = $3, edited_at = now() WHERE id = $1`, [
      id,
      body,
      renderMarkdown(body, await this.posts.markdownRefs(body, m)),
    ]);
  }

  private async revision(
    m: EntityManager,
    id: string,
    old: { body: string; createdAt: Date; editedAt: Date | null },
    editorId: string,
    reason?: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO post_revisions (post_id, body, edited_by, written_at, reason) VALUES ($1, $2, $3, $4, $5)`,
      [id, old.body, editorId, old.editedAt ?? old.createdAt, reason ?? null],
    );
  }

  /**
   * Everything a reply's checks and its announcement need, in one read: the thread (404 unless published; locked
   * refuses members), its category's approval, the post it answers (400 unless a published post of this thread),
   * whether the author is a new member (the gate's and pacing's question), and who watches the thread.
   */
  private async replyContext(threadId: string, author: Principal, replyToId: string | null): Promise<ReplyContext> {
    const rows = await queryPrepared<
      ReplyContext & { status: ContentStatus; locked: boolean; authorIsNew: boolean | null }
    >(this.db, REPLY_CONTEXT, [threadId, author.id, replyToId]);
    const t = rows[0];
    if (!t || t.status !== 'published') throw notFound('Thread');
    if (t.locked && !isModerator(author)) throw forbidden('This thread is locked: no new replies');
    if (replyToId && !t.replyToId) throw badInput('replyToId', 'must be the id of a published post in this thread');
    return {
      title: t.title,
      approval: t.approval,
      replyToId: t.replyToId,
      replyToAuthorId: t.replyToAuthorId,
      authorIsNew: isModerator(author) ? false : (t.authorIsNew ?? true),
      watcherIds: t.watcherIds,
      blockerIds: t.blockerIds,
    };
  }
}

/** Everything a reply's checks need, in one prepared read (see replyContext). */
const REPLY_CONTEXT = prepared(`SELECT t.status, t.locked, t.title, c.approval, rp.id AS "replyToId",
         rp.author_id AS "replyToAuthorId",
         (SELECT ${newMemberSql('u')} FROM users u WHERE u.id = $2) AS "authorIsNew",
         ARRAY(SELECT s.user_id FROM thread_subscriptions s WHERE s.thread_id = t.id) AS "watcherIds",
         ${blockersSql('$2::bigint')} AS "blockerIds"
    FROM threads t JOIN categories c ON c.id = t.category_id
    LEFT JOIN posts rp ON rp.id = $3 AND rp.thread_id = t.id AND rp.status = 'published'
   WHERE t.id = $1`);

/** What the post.published event tells of a post, besides its id. */
interface PublishedFacts {
  threadId: string;
  threadTitle: string;
  authorId: string;
  authorUsername: string;
  authorDisplayName: string;
  anonymous: boolean;
  body: string;
  isFirstPost: boolean;
  replyToAuthorId: string | null;
  watcherIds: string[];
  /** Who blocked the author (the users feature's table, read as its column). */
  blockerIds: string[];
}

interface ReplyContext {
  title: string;
  approval: Approval;
  /** The answered post's id as stored (null when the reply answers none). */
  replyToId: string | null;
  replyToAuthorId: string | null;
  authorIsNew: boolean;
  watcherIds: string[];
  blockerIds: string[];
}
