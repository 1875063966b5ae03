import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { badInput, conflict, notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { decodeCursor, type Page, pageLimit, toPage } from '../../common/pagination';
import { NotificationsService } from '../../notifications/notifications.service';
import { ContentRegistry, type ContentForReview, type ModeratedType } from '../../publishing/content-registry';
import { AuditService } from '../audit/audit.service';
import type { Resolution } from './moderation-item.constants';
import type { QueueQueryDto } from './queue.dto';

/** 0 comes first: crisis words and self-harm reports; then held and flagged content; then reported content. */
export const PRIORITY = { crisis: 0, held: 1, reported: 2 } as const;

export interface Enqueue {
  targetType: ModeratedType;
  targetId: string;
  reasons: string[];
  held: boolean;
  priority: number;
}

interface ItemRow {
  id: string;
  targetType: ModeratedType;
  targetId: string;
  status: 'open' | 'resolved';
  priority: number;
  reportCount: number;
  reasons: string[];
  held: boolean;
  autoHidden: boolean;
  createdAt: Date;
  createdUs: string;
  resolution: Resolution | null;
  resolutionNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

/** Past tense for the author's notification. */
const OUTCOME: Partial<Record<Resolution, string>> = {
  approve: 'was approved and is now visible',
  reject: 'was not approved',
  hide: 'was hidden by a moderator',
  restore: 'was restored',
  delete: 'was removed by a moderator',
};

/**
 * The one moderation queue: held, flagged and reported content of every kind, worst first. Resolving acts on the
 * content through the content registry, closes the reports, tells the author and writes the audit log.
 */
@Injectable()
export class QueueService {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  /** Adds the target to the queue, or merges into its open entry (reasons added, priority raised). */
  async enqueue(e: Enqueue, m: EntityManager = this.db.manager): Promise<string> {
    const [row] = (await m.query(
      `INSERT INTO moderation_items (target_type, target_id, reasons, held, priority) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (target_type, target_id) WHERE status = 'open' DO UPDATE
         SET reasons = ARRAY(SELECT DISTINCT unnest(moderation_items.reasons || EXCLUDED.reasons)),
             held = moderation_items.held OR EXCLUDED.held,
             priority = LEAST(moderation_items.priority, EXCLUDED.priority)
       RETURNING id`,
      [e.targetType, e.targetId, e.reasons, e.held, e.priority],
    )) as Array<{ id: string }>;
    return row.id;
  }

  async list(query: QueueQueryDto) {
    const status = query.status ?? 'open';
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'nnui');
    const rows = (await this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM moderation_items i
        WHERE i.status = $1 AND ($2::text IS NULL OR i.target_type = $2)
          AND ($3::int IS NULL OR (i.priority, -i.report_count, i.created_at, i.id)
               > ($3::int, $4::int, timestamptz 'epoch' + $5::bigint * interval '1 microsecond', $6::bigint))
        ORDER BY i.priority, i.report_count DESC, i.created_at, i.id
        LIMIT $7`,
      [
        status,
        query.type ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        after?.[3] ?? null,
        limit + 1,
      ],
    )) as ItemRow[];
    const page: Page<ItemRow> = toPage(
      rows,
      limit,
      (r) => r,
      (r) => [r.priority, -r.reportCount, r.createdUs, r.id],
    );
    return { items: await Promise.all(page.items.map((r) => this.details(r))), nextCursor: page.nextCursor };
  }

  async resolve(moderator: Principal, id: string, action: Resolution, note: string | undefined) {
    const item = await this.claim(id, moderator, action, note);
    try {
      const content = await this.apply(item, action);
      await this.db.transaction(async (m) => {
        await m.query(
          `UPDATE reports SET resolved_at = now() WHERE target_type = $1 AND target_id = $2 AND resolved_at IS NULL`,
          [item.targetType, item.targetId],
        );
        await this.audit.record(
          {
            actorId: moderator.id,
            action: `queue.${action}`,
            targetType: item.targetType,
            targetId: item.targetId,
            note,
            details: content ? { excerpt: plainTextExcerpt(content.body, 120) } : null,
          },
          m,
        );
      });
      const outcome = OUTCOME[action];
      if (content?.authorId && outcome && content.authorId !== moderator.id) {
        await this.notifications.create([
          {
            userId: content.authorId,
            kind: 'moderation',
            data: {
              action,
              targetType: item.targetType,
              targetId: item.targetId,
              ...(content.context ?? {}),
              message: `Your ${item.targetType.replace('_', ' ')} ${outcome}.`,
              excerpt: plainTextExcerpt(content.body, 120),
            },
          },
        ]);
      }
    } catch (err) {
      // The content did not change: the entry goes back to the queue for another try.
      await this.db.query(
        `UPDATE moderation_items SET status = 'open', resolved_at = NULL, resolved_by = NULL, resolution = NULL,
                resolution_note = NULL WHERE id = $1`,
        [id],
      );
      throw err;
    }
    const [row] = (await this.db.query(`SELECT ${ITEM_COLUMNS} FROM moderation_items i WHERE i.id = $1`, [
      id,
    ])) as ItemRow[];
    return this.details(row);
  }

  /** Marks the entry resolved first, so two moderators cannot both act on it. */
  private async claim(
    id: string,
    moderator: Principal,
    action: Resolution,
    note: string | undefined,
  ): Promise<ItemRow> {
    const rows = (await this.db.query(
      `UPDATE moderation_items i SET status = 'resolved', resolved_at = now(), resolved_by = $2, resolution = $3,
              resolution_note = $4
        WHERE i.id = $1 AND i.status = 'open' RETURNING ${ITEM_COLUMNS}`,
      [id, moderator.id, action, note ?? null],
    )) as [ItemRow[], number];
    const item = rows[0][0];
    if (item) return item;
    const exists = (await this.db.query(`SELECT 1 FROM moderation_items WHERE id = $1`, [id])) as unknown[];
    throw exists.length ? conflict('This item was already resolved') : notFound('Queue item');
  }

  private async apply(item: ItemRow, action: Resolution): Promise<ContentForReview | undefined> {
    if (item.targetType === 'user') {
      if (action !== 'dismiss' && action !== 'approve') {
        throw badInput('action', 'for a reported member is dismiss or approve; use sanctions to act on them');
      }
      return undefined;
    }
    const handler = this.registry.get(item.targetType);
    const content = await handler.load(item.targetId);
    if (!content) return undefined;
    const from = content.status;
    switch (action) {
      case 'approve':
        if (from === 'pending' || from === 'hidden') await handler.setStatus(item.targetId, 'published');
        break;
      case 'reject':
        if (from !== 'pending') throw badInput('action', 'reject is for held content; use hide or delete');
        await handler.setStatus(item.targetId, 'rejected');
        break;
      case 'hide':
        await handler.setStatus(item.targetId, 'hidden');
        break;
      case 'restore':
        if (from !== 'hidden') throw badInput('action', 'restore is for hidden content');
        await handler.setStatus(item.targetId, 'published');
        break;
      case 'delete':
        await handler.setStatus(item.targetId, 'deleted');
        break;
      case 'dismiss':
        // The reports were unfounded: undo what they did on their own.
        if (item.autoHidden && from === 'hidden') await handler.setStatus(item.targetId, 'published');
        break;
    }
    return content;
  }

  /** An entry as moderators see it: why it is here, the content, and a short history of its author. */
  private async details(r: ItemRow) {
    const content =
      r.targetType === 'user'
        ? await this.userTarget(r.targetId)
        : await this.registry.get(r.targetType).load(r.targetId);
    const reports = (await this.db.query(
      `SELECT rp.reason, rp.note, u.username AS reporter, rp.created_at AS "createdAt"
         FROM reports rp JOIN users u ON u.id = rp.reporter_id
        WHERE rp.target_type = $1 AND rp.target_id = $2 AND (rp.resolved_at IS NULL OR $3)
        ORDER BY rp.id`,
      [r.targetType, r.targetId, r.status === 'resolved'],
    )) as Array<{ reason: string; note: string | null; reporter: string; createdAt: Date }>;
    const byReason: Record<string, number> = {};
    for (const rp of reports) byReason[rp.reason] = (byReason[rp.reason] ?? 0) + 1;
    return {
      id: r.id,
      targetType: r.targetType,
      targetId: r.targetId,
      status: r.status,
      priority: r.priority,
      crisis: r.priority === PRIORITY.crisis,
      held: r.held,
      autoHidden: r.autoHidden,
      reasons: r.reasons,
      reportCount: r.reportCount,
      reports: {
        count: reports.length,
        byReason,
        items: reports.map((rp) => ({ ...rp, createdAt: rp.createdAt.toISOString() })),
      },
      content: content && {
        status: content.status,
        title: content.title ?? null,
        body: content.body,
        bodyHtml: content.bodyHtml ?? null,
        anonymous: content.anonymous,
        context: content.context ?? {},
        createdAt: content.createdAt.toISOString(),
      },
      author: content?.authorId ? await this.authorHistory(content.authorId) : null,
      createdAt: r.createdAt.toISOString(),
      resolution: r.resolution,
      resolutionNote: r.resolutionNote,
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
    };
  }

  private async userTarget(id: string): Promise<ContentForReview | undefined> {
    const rows = (await this.db.query(`SELECT id, bio, created_at AS "createdAt" FROM users WHERE id = $1`, [
      id,
    ])) as Array<{
      id: string;
      bio: string;
      createdAt: Date;
    }>;
    const u = rows[0];
    return (
      u && {
        targetType: 'user',
        targetId: u.id,
        authorId: u.id,
        status: 'published',
        anonymous: false,
        body: u.bio,
        createdAt: u.createdAt,
      }
    );
  }

  private async authorHistory(userId: string) {
    const [user] = (await this.db.query(
      `SELECT username, display_name AS "displayName", role, post_count AS "approvedPosts", created_at AS "joinedAt",
              first_approved_at IS NULL AS "newMember"
         FROM users WHERE id = $1`,
      [userId],
    )) as Array<{
      username: string;
      displayName: string;
      role: string;
      approvedPosts: number;
      joinedAt: Date;
      newMember: boolean;
    }>;
    const sanctions = (await this.db.query(
      `SELECT kind, reason, created_at AS "createdAt", ends_at AS until, lifted_at IS NOT NULL AS lifted
         FROM sanctions WHERE user_id = $1 ORDER BY id DESC LIMIT 10`,
      [userId],
    )) as Array<{ kind: string; reason: string; createdAt: Date; until: Date | null; lifted: boolean }>;
    return (
      user && {
        ...user,
        joinedAt: user.joinedAt.toISOString(),
        sanctions: sanctions.map((s) => ({
          ...s,
          createdAt: s.createdAt.toISOString(),
          until: s.until?.toISOString() ?? null,
        })),
      }
    );
  }
}

const ITEM_COLUMNS = `i.id, i.target_type AS "targetType", i.target_id AS "targetId", i.status, i.priority,
  i.report_count AS "reportCount", i.reasons, i.held, i.auto_hidden AS "autoHidden", i.created_at AS "createdAt",
  (extract(epoch FROM i.created_at) * 1000000)::bigint::text AS "createdUs", i.resolution,
  i.resolution_note AS "resolutionNote", i.resolved_at AS "resolvedAt", i.resolved_by AS "resolvedBy"`;
