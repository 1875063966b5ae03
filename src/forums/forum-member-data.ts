import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ExportRow, type Forgetting, MemberDataRegistry } from '../common/member-data/member-data';
import { ContentRegistry } from '../publishing/content-registry';

/** What is left of a post whose author deleted her account and her words with it. */
const ERASED_BODY = 'Deleted by its author, who has left Haven.';
const ERASED_TITLE = 'A thread by a former member';

/**
 * A member's threads and posts in her archive, and what becomes of them when she goes: moved to the "Former
 * member" account (anonymise), or erased (delete: the words replaced by a short note and the post deleted through
 * the forum's own moderation handler, so every counter stays right; a thread others replied to stays for their
 * replies, with its title and opening words erased).
 */
@Injectable()
export class ForumMemberData implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: MemberDataRegistry,
    private readonly content: ContentRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'threads',
      exportBatch: (userId, after, limit) => this.threadsOf(userId, after, limit),
      forget: (m, who) => this.forget(m, who),
    });
    this.registry.register({
      section: 'posts',
      exportBatch: (userId, after, limit) => this.postsOf(userId, after, limit),
    });
    this.registry.register({
      section: 'reactions',
      exportBatch: (userId, after, limit) => this.reactionsOf(userId, after, limit),
    });
    this.registry.register({
      section: 'threadReads',
      exportBatch: (userId, after, limit) => this.readsOf(userId, after, limit),
    });
  }

  /** How far she read each thread ("first unread"): one row per thread, ordered by the thread's id. */
  private async readsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT thread_id AS id, last_read_post_id AS "lastReadPostId", updated_at AS "updatedAt"
         FROM thread_reads WHERE user_id = $1 AND ($2::bigint IS NULL OR thread_id > $2) ORDER BY thread_id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async threadsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT t.id, t.title, c.slug AS category, t.anonymous, t.status, t.created_at AS "createdAt"
         FROM threads t JOIN categories c ON c.id = t.category_id
        WHERE t.author_id = $1 AND ($2::bigint IS NULL OR t.id > $2) ORDER BY t.id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async postsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT id, thread_id AS "threadId", body, anonymous, status, created_at AS "createdAt", edited_at AS "editedAt"
         FROM posts WHERE author_id = $1 AND ($2::bigint IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  /** Reactions have no id of their own: the post's id orders them (one row per post and kind). */
  private async reactionsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT post_id AS id, array_agg(kind ORDER BY kind) AS kinds, min(created_at) AS "createdAt"
         FROM post_reactions WHERE user_id = $1 AND ($2::bigint IS NULL OR post_id > $2)
        GROUP BY post_id ORDER BY post_id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async forget(m: EntityManager, who: Forgetting): Promise<void> {
    if (who.content === 'delete') await this.erase(m, who);
    await m.query(`UPDATE threads SET author_id = $2 WHERE author_id = $1`, [who.userId, who.formerMemberId]);
    await m.query(`UPDATE posts SET author_id = $2 WHERE author_id = $1`, [who.userId, who.formerMemberId]);
    await m.query(`UPDATE post_revisions SET edited_by = NULL WHERE edited_by = $1`, [who.userId]);
    await m.query(`DELETE FROM post_reactions WHERE user_id = $1`, [who.userId]);
    await m.query(`DELETE FROM thread_subscriptions WHERE user_id = $1`, [who.userId]);
    await m.query(`DELETE FROM thread_reads WHERE user_id = $1`, [who.userId]);
  }

  /** Her words go: each post deleted (counters through the forum's handler), then its text and history erased. */
  private async erase(m: EntityManager, who: Forgetting): Promise<void> {
    const posts = (await m.query(
      `SELECT p.id, p.thread_id AS "threadId", p.status, t.first_post_id = p.id AS "opening",
              EXISTS (SELECT 1 FROM posts o WHERE o.thread_id = p.thread_id AND o.author_id <> $1) AS "othersReplied"
         FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.author_id = $1 ORDER BY p.id`,
      [who.userId],
    )) as Array<{ id: string; threadId: string; status: string; opening: boolean; othersReplied: boolean }>;
    for (const post of posts) {
      if (post.status === 'deleted' || post.status === 'rejected') continue;
      if (!post.opening) await this.content.get('post').setStatus(post.id, 'deleted', m);
      else if (!post.othersReplied) await this.content.get('thread').setStatus(post.threadId, 'deleted', m);
    }
    await m.query(`DELETE FROM post_revisions WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)`, [
      who.userId,
    ]);
    await m.query(
      `UPDATE posts SET body = $2, body_html = $3, content_warning = NULL, pending_body = NULL,
              pending_body_html = NULL, pending_reasons = NULL, pending_at = NULL, held_reason = NULL,
              held_reasons = NULL
        WHERE author_id = $1`,
      [who.userId, ERASED_BODY, `<p>${ERASED_BODY}</p>`],
    );
    await m.query(`UPDATE threads SET title = $2 WHERE author_id = $1`, [who.userId, ERASED_TITLE]);
  }
}
