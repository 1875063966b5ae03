import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContentRegistry, type ContentForReview, type ModerationStatus } from '../publishing/content-registry';
import { CommentsService } from './comments/comments.service';

/** How moderation loads comments for review and moves them between states (through the comments service). */
@Injectable()
export class CommentModeration implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly comments: CommentsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      targetType: 'comment',
      load: (id) => this.load(id),
      setStatus: (id, status) => this.comments.setStatus(id, status),
    });
  }

  private async load(id: string): Promise<ContentForReview | undefined> {
    const rows = (await this.db.query(
      `SELECT c.id, c.author_id AS "authorId", c.author_name AS "authorName", c.status, c.body, c.body_html AS "bodyHtml",
              c.created_at AS "createdAt", p.key AS "pageKey", p.title
         FROM comments c JOIN pages p ON p.id = c.page_id WHERE c.id = $1`,
      [id],
    )) as Array<{
      id: string;
      authorId: string | null;
      authorName: string | null;
      status: ModerationStatus;
      body: string;
      bodyHtml: string;
      createdAt: Date;
      pageKey: string;
      title: string;
    }>;
    const r = rows[0];
    if (!r) return undefined;
    return {
      targetType: 'comment',
      targetId: r.id,
      authorId: r.authorId,
      status: r.status,
      anonymous: false,
      title: r.title,
      body: r.body,
      bodyHtml: r.bodyHtml,
      context: { pageKey: r.pageKey, ...(r.authorName ? { guestName: r.authorName } : {}) },
      createdAt: r.createdAt,
    };
  }
}
