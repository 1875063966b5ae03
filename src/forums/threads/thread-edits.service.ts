import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock/clock';
import { badInput, conflict, notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { TypedEvents } from '../../common/typed-events';
import { type Approval, PublishingGate, type Recorded } from '../../publishing/publishing-gate';
import { CategoriesService } from '../categories/categories.service';
import { isModerator } from '../forum-views';
import { editRefusal } from '../posts/edit-rules';
import type { ContentStatus } from './thread.constants';

export interface SplitThread {
  /** Replies of the thread, moved in their order; the first one opens the new thread. */
  postIds: string[];
  title: string;
  category: string;
}

/**
 * What changes a thread as a whole after it was started: its title (the author within the edit window, moderators
 * always, through the publishing gate) and a moderator's split of some replies into a thread of their own.
 */
@Injectable()
export class ThreadEditsService {
  constructor(
    private readonly db: DataSource,
    private readonly categories: CategoriesService,
    private readonly gate: PublishingGate,
    private readonly events: TypedEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * A new title. A held thread keeps waiting (the new title goes through the gate again); a published thread's new
   * title that the gate would hold is refused, because a title has no waiting version: the old one stays.
   */
  async editTitle(editor: Principal, id: string, title: string, reason?: string): Promise<void> {
    const moderator = isModerator(editor);
    let recorded: Recorded | undefined;
    let old = '';
    let own = false;
    await this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT t.author_id AS "authorId", t.title, t.status, t.created_at AS "createdAt", c.approval
           FROM threads t JOIN categories c ON c.id = t.category_id WHERE t.id = $1 FOR UPDATE OF t`,
        [id],
      )) as Array<{ authorId: string; title: string; status: ContentStatus; createdAt: Date; approval: Approval }>;
      const thread = rows[0];
      own = thread?.authorId === editor.id;
      if (!thread || thread.status === 'deleted' || thread.status === 'rejected') throw notFound('Thread');
      if (!own && !moderator && thread.status !== 'published') throw notFound('Thread');
      const refusal = editRefusal(thread, editor, this.clock.now(), 'title');
      if (refusal) throw refusal;
      if (thread.title === title) return;
      old = thread.title;
      const decision = await this.gate.decide({
        kind: 'thread',
        action: 'edit',
        author: editor,
        text: title,
        approval: thread.approval,
      });
      if (decision.status === 'pending' && thread.status === 'published') {
        throw conflict('A new title here needs a moderator first, so the title stays as it was; ask a moderator');
      }
      await m.query(`UPDATE threads SET title = $2 WHERE id = $1`, [id, title]);
      recorded = await this.gate.record(m, { targetType: 'thread', targetId: id, text: title }, decision);
    });
    recorded?.announce();
    if (recorded && !own) {
      this.events.emit(EVENTS.contentModerated, {
        actorId: editor.id,
        action: 'title',
        targetType: 'thread',
        targetId: id,
        note: `"${old}" -> "${title}"${reason ? `; ${reason}` : ''}`,
      });
    }
  }

  /**
   * Moves some replies of a published thread into a new thread (moderators). The first chosen reply opens it, by
   * its author; counts of both threads and categories move in the same transaction. Returns the new thread's id.
   */
  async split(moderator: Principal, id: string, input: SplitThread): Promise<string> {
    const ids = [...new Set(input.postIds)];
    if (ids.length === 0) throw badInput('posts', 'choose at least one reply to move');
    const category = await this.categories.get(input.category);
    const newId = await this.db.transaction(async (m) => {
      const threads = (await m.query(
        `SELECT status, category_id AS "categoryId", first_post_id AS "firstPostId" FROM threads WHERE id = $1
            FOR UPDATE`,
        [id],
      )) as Array<{ status: ContentStatus; categoryId: string; firstPostId: string }>;
      const thread = threads[0];
      if (!thread || thread.status === 'deleted') throw notFound('Thread');
      if (thread.status !== 'published') throw conflict('Only a published thread can be split');
      const posts = (await m.query(
        `SELECT id, author_id AS "authorId", anonymous, status, created_at AS "createdAt"
           FROM posts WHERE thread_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE`,
        [id, ids],
      )) as Array<{ id: string; authorId: string; anonymous: boolean; status: ContentStatus; createdAt: Date }>;
      if (posts.length !== ids.length) throw badInput('posts', 'must be replies in this thread');
      if (posts.some((p) => p.id === thread.firstPostId)) {
        throw badInput('posts', 'cannot include the opening post: choose replies only');
      }
      const first = posts[0];
      if (first.status !== 'published') throw badInput('posts', 'the first chosen reply must be published');
      const published = posts.filter((p) => p.status === 'published');
      const lastPostAt = new Date(Math.max(...published.map((p) => p.createdAt.getTime())));
      const [created] = (await m.query(
        `INSERT INTO threads (category_id, author_id, title, anonymous, status, first_post_id, reply_count,
                              created_at, last_post_at)
         VALUES ($1, $2, $3, $4, 'published', $5, $6, $7, $8) RETURNING id`,
        [
          category.id,
          first.authorId,
          input.title,
          first.anonymous,
          first.id,
          published.length - 1,
          first.createdAt,
          lastPostAt,
        ],
      )) as Array<{ id: string }>;
      await m.query(`UPDATE posts SET thread_id = $2 WHERE id = ANY($1::bigint[])`, [ids, created.id]);
      await m.query(
        `UPDATE threads SET reply_count = reply_count - $2,
                last_post_at = coalesce((SELECT max(created_at) FROM posts WHERE thread_id = $1 AND status = 'published'),
                                        created_at)
          WHERE id = $1`,
        [id, published.length],
      );
      await m.query(`UPDATE categories SET post_count = post_count - $2 WHERE id = $1`, [
        thread.categoryId,
        published.length,
      ]);
      await m.query(
        `UPDATE categories SET thread_count = thread_count + 1, post_count = post_count + $2,
                last_post_at = GREATEST(coalesce(last_post_at, 'epoch'), $3)
          WHERE id = $1`,
        [category.id, published.length, lastPostAt],
      );
      await m.query(`INSERT INTO thread_subscriptions (thread_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        created.id,
        first.authorId,
      ]);
      return created.id;
    });
    this.events.emit(EVENTS.contentModerated, {
      actorId: moderator.id,
      action: 'split',
      targetType: 'thread',
      targetId: id,
      note: `${ids.length === 1 ? '1 post' : `${ids.length} posts`} moved to thread ${newId} in ${input.category}`,
    });
    return newId;
  }
}
