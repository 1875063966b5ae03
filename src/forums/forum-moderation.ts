import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../common/auth/principal';
import { conflict, notFound } from '../common/errors/domain-error';
import { EVENTS } from '../common/events';
import { TypedEvents } from '../common/typed-events';
import {
  type AfterCommit,
  type ContentForReview,
  ContentRegistry,
  type ModeratableContent,
  type ModerationStatus,
} from '../publishing/content-registry';
import { countPublishedPost, countPublishedThread } from './counters';
import { PostWritesService } from './posts/post-writes.service';
import type { ContentStatus } from './threads/thread.constants';

type Settled = Exclude<ModerationStatus, 'pending'>;

interface PostState {
  postId: string;
  threadId: string;
  authorId: string;
  anonymous: boolean;
  status: ContentStatus;
  isFirstPost: boolean;
  threadStatus: ContentStatus;
  categoryId: string;
  replyCount: number;
}

/**
 * How moderation acts on forum content. A thread and its opening post move together: publishing a held thread
 * publishes its opening post, hiding a thread takes its replies out of the category's counts, and so on. Every
 * counter moves in the same transaction as the status.
 */
@Injectable()
export class ForumModeration implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly posts: PostWritesService,
    private readonly events: TypedEvents,
  ) {}

  /**
   * A moderator hides a published post, or restores a hidden one, where he reads it (the thread page), through the
   * same registry path as the queue (a restored post is published again); audited. An opening post carries its thread.
   */
  async hideOrRestore(moderator: Principal, id: string, action: 'hide' | 'restore'): Promise<void> {
    const handler = this.registry.get('post');
    const after = await this.db.transaction(async (m) => {
      const state = await this.lockState(m, id);
      if (state.status === 'deleted' || state.status === 'rejected') throw notFound('Post');
      if (action === 'hide' && state.status !== 'published') throw conflict('Only a published post can be hidden');
      if (action === 'restore' && state.status !== 'hidden') throw conflict('Only a hidden post can be restored');
      return handler.setStatus(id, action === 'hide' ? 'hidden' : 'published', m);
    });
    await after();
    this.events.emit(EVENTS.contentModerated, { actorId: moderator.id, action, targetType: 'post', targetId: id });
  }

  onModuleInit(): void {
    const posts: ModeratableContent = {
      targetType: 'post',
      load: async (id) => (await this.loadPosts([id]))[0],
      loadMany: (ids) => this.loadPosts(ids),
      setStatus: (id, status, m) => this.setPostStatus(id, status, m),
      settleEdit: (id, apply, m) => this.posts.settleEdit(id, apply, m),
    };
    const threads: ModeratableContent = {
      targetType: 'thread',
      load: async (id) => (await this.loadThreads([id]))[0],
      loadMany: (ids) => this.loadThreads(ids),
      settleEdit: async (id, apply, m) => {
        const first = await this.firstPostOf(id);
        if (first) await this.posts.settleEdit(first, apply, m);
      },
      setStatus: async (id, status, m) => {
        const first = await this.firstPostOf(id);
        if (!first) throw notFound('Thread');
        return this.setPostStatus(first, status, m);
      },
    };
    this.registry.register(posts);
    this.registry.register(threads);
  }

  private async firstPostOf(threadId: string): Promise<string | undefined> {
    const rows = (await this.db.query(`SELECT first_post_id AS "postId" FROM threads WHERE id = $1`, [
      threadId,
    ])) as Array<{
      postId: string | null;
    }>;
    return rows[0]?.postId ?? undefined;
  }

  /** Threads for review: each as its opening post, one query for all. */
  private async loadThreads(ids: string[]): Promise<ContentForReview[]> {
    const rows = (await this.db.query(
      `SELECT id AS "threadId", first_post_id AS "postId" FROM threads WHERE id = ANY($1::bigint[])`,
      [ids],
    )) as Array<{ threadId: string; postId: string | null }>;
    const posts = await this.loadPosts(rows.map((r) => r.postId).filter((id): id is string => !!id));
    return rows.flatMap((r) => {
      const post = posts.find((p) => p.targetId === r.postId);
      return post ? [{ ...post, targetType: 'thread' as const, targetId: r.threadId }] : [];
    });
  }

  private async loadPosts(ids: string[]): Promise<ContentForReview[]> {
    const rows = (await this.db.query(
      `SELECT p.id, p.thread_id AS "threadId", p.author_id AS "authorId", p.status, p.anonymous, p.body,
              p.body_html AS "bodyHtml", p.created_at AS "createdAt", t.title, t.first_post_id = p.id AS "isFirstPost",
              p.pending_body AS "pendingBody", p.pending_body_html AS "pendingBodyHtml", p.pending_at AS "pendingAt"
         FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = ANY($1::bigint[])`,
      [ids],
    )) as Array<{
      id: string;
      threadId: string;
      authorId: string;
      status: ContentStatus;
      anonymous: boolean;
      body: string;
      bodyHtml: string;
      createdAt: Date;
      title: string;
      isFirstPost: boolean;
      pendingBody: string | null;
      pendingBodyHtml: string | null;
      pendingAt: Date | null;
    }>;
    return rows.map((r) => ({
      targetType: 'post',
      targetId: r.id,
      authorId: r.authorId,
      status: r.status,
      anonymous: r.anonymous,
      title: r.title,
      body: r.body,
      bodyHtml: r.bodyHtml,
      context: { threadId: r.threadId, ...(r.isFirstPost ? { openingPost: 'true' } : {}) },
      createdAt: r.createdAt,
      ...(r.pendingBody !== null && r.pendingAt
        ? { pendingEdit: { body: r.pendingBody, bodyHtml: r.pendingBodyHtml ?? undefined, submittedAt: r.pendingAt } }
        : {}),
    }));
  }

  private async setPostStatus(id: string, to: Settled, within?: EntityManager): Promise<AfterCommit> {
    const move = async (m: EntityManager) => {
      const state = await this.lockState(m, id);
      if (state.status === to && (!state.isFirstPost || state.threadStatus === to)) return false;
      await m.query(
        `UPDATE posts SET status = $2::varchar, deleted_at = CASE WHEN $2::varchar = 'deleted' THEN now() ELSE deleted_at END,
                held_reason = CASE WHEN $2::varchar = 'published' THEN NULL ELSE held_reason END,
                held_reasons = CASE WHEN $2::varchar = 'published' THEN NULL ELSE held_reasons END
          WHERE id = $1`,
        [id, to],
      );
      if (state.isFirstPost) await this.moveThread(m, state, to);
      else await this.movePost(m, state, to);
      return to === 'published' && state.status !== 'published';
    };
    const published = within ? await move(within) : await this.db.transaction(move);
    const after = () => {
      if (published) this.posts.announcePublished(id);
    };
    if (within) return after;
    after();
    return () => undefined;
  }

  /** A reply crossing the published line moves its thread's, category's and author's counts by one. */
  private async movePost(m: EntityManager, s: PostState, to: Settled): Promise<void> {
    const was = s.status === 'published' && s.threadStatus === 'published';
    const now = to === 'published' && s.threadStatus === 'published';
    if (was !== now) await countPublishedPost(m, { ...s, isFirstPost: false }, now ? 1 : -1);
  }

  /** An opening post carries its thread: the thread's status follows, and the category counts it with its replies. */
  private async moveThread(m: EntityManager, s: PostState, to: Settled): Promise<void> {
    await m.query(`UPDATE threads SET status = $2 WHERE id = $1`, [s.threadId, to]);
    const was = s.threadStatus === 'published';
    const now = to === 'published';
    if (was === now) return;
    await countPublishedThread(m, s.categoryId, now ? 1 : -1);
    await countPublishedPost(m, { ...s, isFirstPost: true }, now ? 1 : -1);
    if (s.replyCount > 0) {
      await m.query(`UPDATE categories SET post_count = post_count + $2 WHERE id = $1`, [
        s.categoryId,
        now ? s.replyCount : -s.replyCount,
      ]);
    }
  }

  private async lockState(m: EntityManager, postId: string): Promise<PostState> {
    const rows = (await m.query(
      `SELECT p.id AS "postId", p.thread_id AS "threadId", p.author_id AS "authorId", p.anonymous, p.status,
              t.first_post_id = p.id AS "isFirstPost", t.status AS "threadStatus", t.category_id AS "categoryId",
              t.reply_count AS "replyCount"
         FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = $1 FOR UPDATE OF p, t`,
      [postId],
    )) as PostState[];
    if (!rows[0]) throw notFound('Post');
    return rows[0];
  }
}
