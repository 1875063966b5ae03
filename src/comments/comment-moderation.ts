import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContentRegistry, type ContentForReview, type ModerationStatus } from '../publishing/content-registry';
import { CommentEditsService } from './comments/comment-edits.service';
import { CommentsService } from './comments/comments.service';

/**
 * How moderation loads comments for review, settles a held edit and moves them between states (through the comments
 * service).
 */
@Injectable()
export class CommentModeration implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly comments: CommentsService,
    private readonly edits: CommentEditsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      targetType: 'comment',
      load: async (id) => (await this.load([id]))[0],
      loadMany: (ids) => this.load(ids),
      setStatus: async (id, status, m) => {
        await this.comments.setStatus(id, status, m);
        return () => undefined;
      },
      settleEdit: (id, apply, m) => this.edits.settleEdit(id, apply, m),
    });
  }

  private async load(ids: string[]): Promise<ContentForReview[]> {
    const rows = (await this.db.query(
      `SELECT c.id, c.author_id AS "authorId", c.author_name AS "authorName", c.status, c.body, c.body_html AS "bodyHtml",
              c.created_at AS "createdAt", p.key AS "pageKey", p.title, c.pending_body AS "pendingBody",
              c.pending_body_html AS "pendingBodyHtml", c.pending_at AS "pendingAt"
         FROM comments c JOIN pages p ON p.id = c.page_id WHERE c.id = ANY($1::bigint[])`,
      [ids],
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
      pendingBody: string | null;
      pendingBodyHtml: string | null;
      pendingAt: Date | null;
    }>;
    return rows.map((r) => ({
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
      ...(r.pendingBody !== null && r.pendingAt
        ? { pendingEdit: { body: r.pendingBody, bodyHtml: r.pendingBodyHtml ?? undefined, submittedAt: r.pendingAt } }
        : {}),
    }));
  }
}
