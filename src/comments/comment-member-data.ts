import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ExportRow, type Forgetting, MemberDataRegistry } from '../common/member-data/member-data';
import { ContentRegistry } from '../publishing/content-registry';

const FORMER_MEMBER = 'Former member';
const ERASED_BODY = 'Deleted by its author, who has left Haven.';

/**
 * A member's comments and ratings in her archive, and what becomes of them when she goes. Her comments keep their
 * place under the article (replies to them stay readable) as a guest-style "Former member" with no account, no
 * address and no network hash; with "delete" their words are erased and they are deleted through the comments'
 * own moderation handler. Her ratings are removed (the averages are read exact, so they follow).
 */
@Injectable()
export class CommentMemberData implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: MemberDataRegistry,
    private readonly content: ContentRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'comments',
      exportBatch: (userId, after, limit) => this.commentsOf(userId, after, limit),
      forget: (m, who) => this.forgetComments(m, who),
    });
    this.registry.register({
      section: 'ratings',
      exportBatch: (userId, after, limit) => this.ratingsOf(userId, after, limit),
      forget: async (m, who) => {
        await m.query(`DELETE FROM page_ratings WHERE user_id = $1`, [who.userId]);
      },
    });
  }

  private async commentsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT c.id, p.key AS article, c.parent_id AS "parentId", c.body, c.status, c.created_at AS "createdAt",
              c.edited_at AS "editedAt"
         FROM comments c JOIN pages p ON p.id = c.page_id
        WHERE c.author_id = $1 AND ($2::bigint IS NULL OR c.id > $2) ORDER BY c.id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  /** Ratings are one per article: the article's id orders them. */
  private async ratingsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT r.page_id AS id, p.key AS article, r.stars, r.updated_at AS "updatedAt"
         FROM page_ratings r JOIN pages p ON p.id = r.page_id
        WHERE r.user_id = $1 AND ($2::bigint IS NULL OR r.page_id > $2) ORDER BY r.page_id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async forgetComments(m: EntityManager, who: Forgetting): Promise<void> {
    await m.query(`UPDATE comment_revisions SET edited_by = NULL WHERE edited_by = $1`, [who.userId]);
    if (who.content === 'delete') {
      await m.query(
        `DELETE FROM comment_revisions WHERE comment_id IN (SELECT id FROM comments WHERE author_id = $1)`,
        [who.userId],
      );
      const mine = (await m.query(
        `SELECT id FROM comments WHERE author_id = $1 AND status NOT IN ('deleted', 'rejected') ORDER BY id`,
        [who.userId],
      )) as Array<{ id: string }>;
      for (const c of mine) await this.content.get('comment').setStatus(c.id, 'deleted', m);
      await m.query(
        `UPDATE comments SET body = $2, body_html = $3, pending_body = NULL, pending_body_html = NULL,
                pending_reasons = NULL, pending_at = NULL, held_reason = NULL
          WHERE author_id = $1`,
        [who.userId, ERASED_BODY, `<p>${ERASED_BODY}</p>`],
      );
    }
    await m.query(
      `UPDATE comments SET author_id = NULL, author_name = $2, author_email = NULL, ip_hash = NULL WHERE author_id = $1`,
      [who.userId, FORMER_MEMBER],
    );
  }
}
