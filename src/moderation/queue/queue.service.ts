import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { badInput, conflict, notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { decodeCursor, type Page, pageLimit, toPage } from '../../common/pagination';
import { NotificationsService } from '../../notifications/notifications.service';
import {
  type AfterCommit,
  ContentRegistry,
  type ContentForReview,
  type ModeratedType,
} from '../../publishing/content-registry';
import { PublishingGate } from '../../publishing/publishing-gate';
import { type GateReason, reasonText, type ReviewItem, type ReviewSink } from '../../publishing/review-sink';
import { AuditService } from '../audit/audit.service';
import type { Resolution } from './moderation-item.constants';
import type { QueueQueryDto } from './queue.dto';
import { type ItemRow, PRIORITY, QueueReader, type QueueSummary } from './queue-reader';

export { PRIORITY };

export interface Enqueue {
  targetType: ModeratedType;
  targetId: string;
  reasons: GateReason[];
  held: boolean;
  priority: number;
}

/** Past tense for the author's notification. */
const OUTCOME: Partial<Record<Resolution, string>> = {
  approve: 'was approved and is now visible',
  reject: 'was not approved',
  hide: 'was hidden by a moderator',
  restore: 'was restored',
  delete: 'was removed by a moderator',
};

/** Past tense for the author's notification about a held edit. */
const EDIT_OUTCOME: Partial<Record<Resolution, string>> = {
  approve: 'was approved and is now visible',
  reject: 'was not approved; the earlier version stays',
};

/**
 * The one moderation queue: held, flagged and reported content of every kind, worst first. It is the publishing
 * gate's review sink: the gate records held and flagged content here in the content's own transaction. Resolving
 * acts on the content through the content registry, closes the reports, tells the author and writes the audit log.
 */
@Injectable()
export class QueueService implements ReviewSink, OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly gate: PublishingGate,
    private readonly reader: QueueReader,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.gate.registerSink(this);
  }

  /** The gate's record of held or flagged content, on the content's transaction. */
  record(m: EntityManager, item: ReviewItem): Promise<string> {
    return this.enqueue(
      {
        targetType: item.targetType,
        targetId: item.targetId,
        reasons: item.reasons,
        held: item.held,
        priority: item.crisis ? PRIORITY.crisis : PRIORITY.held,
      },
      m,
    );
  }

  /** Adds the target to the queue, or merges into its open entry (reasons added, priority raised). */
  async enqueue(e: Enqueue, m: EntityManager = this.db.manager): Promise<string> {
    const [row] = (await m.query(
      `INSERT INTO moderation_items (target_type, target_id, reasons, gate_reasons, held, priority)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)
       ON CONFLICT (target_type, target_id) WHERE status = 'open' DO UPDATE
         SET reasons = ARRAY(SELECT DISTINCT unnest(moderation_items.reasons || EXCLUDED.reasons)),
             gate_reasons = (SELECT coalesce(jsonb_agg(DISTINCT r), '[]'::jsonb)
                               FROM jsonb_array_elements(moderation_items.gate_reasons || EXCLUDED.gate_reasons) r),
             held = moderation_items.held OR EXCLUDED.held,
             priority = LEAST(moderation_items.priority, EXCLUDED.priority)
       RETURNING id`,
      [e.targetType, e.targetId, e.reasons.map(reasonText), JSON.stringify(e.reasons), e.held, e.priority],
    )) as Array<{ id: string }>;
    return row.id;
  }

  /** The open queue's counts (the moderators' page header). */
  summary(): Promise<QueueSummary> {
    return this.reader.summary();
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
    return { items: await this.reader.details(page.items), nextCursor: page.nextCursor };
  }

  /**
   * Closes the entry, acts on the content, closes its reports and writes the audit log, all in one transaction (a
   * second moderator acting at once waits on the entry's row, then gets 409). Live effects and the author's
   * notification follow the commit.
   */
  async resolve(moderator: Principal, id: string, action: Resolution, note: string | undefined) {
    const { item, content, after } = await this.db.transaction(async (m) => {
      const claimed = await this.claim(m, id, moderator, action, note);
      const applied = await this.apply(m, claimed, action);
      await m.query(
        `UPDATE reports SET resolved_at = now() WHERE target_type = $1 AND target_id = $2 AND resolved_at IS NULL`,
        [claimed.targetType, claimed.targetId],
      );
      await this.audit.record(
        {
          actorId: moderator.id,
          action: `queue.${action}`,
          targetType: claimed.targetType,
          targetId: claimed.targetId,
          note,
          details: applied.content ? { excerpt: plainTextExcerpt(applied.content.body, 120) } : null,
        },
        m,
      );
      return { item: claimed, ...applied };
    });
    await after();
    await this.tellAuthor(moderator, item, action, content);
    return (await this.get(id))!;
  }

  /** One entry as the queue shows it, or undefined when there is none. */
  async get(id: string) {
    const rows = (await this.db.query(`SELECT ${ITEM_COLUMNS} FROM moderation_items i WHERE i.id = $1`, [
      id,
    ])) as ItemRow[];
    return (await this.reader.details(rows))[0];
  }

  /** The author hears what became of her content (or her edit), unless she resolved it herself. */
  private async tellAuthor(
    moderator: Principal,
    item: ItemRow,
    action: Resolution,
    content: ContentForReview | undefined,
  ): Promise<void> {
    const edit = !!content?.pendingEdit;
    const outcome = (edit ? EDIT_OUTCOME : OUTCOME)[action];
    if (!content?.authorId || !outcome || content.authorId === moderator.id) return;
    const what = item.targetType.replace('_', ' ');
    await this.notifications.create([
      {
        userId: content.authorId,
        kind: 'moderation',
        data: {
          action,
          targetType: item.targetType,
          targetId: item.targetId,
          ...(content.context ?? {}),
          ...(edit ? { edit: 'true' } : {}),
          message: edit ? `Your edit of your ${what} ${outcome}.` : `Your ${what} ${outcome}.`,
          excerpt: plainTextExcerpt(content.pendingEdit?.body ?? content.body, 120),
        },
      },
    ]);
  }

  /** Marks the entry resolved, in the resolving transaction: two moderators cannot both act on it. */
  private async claim(
    m: EntityManager,
    id: string,
    moderator: Principal,
    action: Resolution,
    note: string | undefined,
  ): Promise<ItemRow> {
    const rows = (await m.query(
      `UPDATE moderation_items i SET status = 'resolved', resolved_at = now(), resolved_by = $2, resolution = $3,
              resolution_note = $4
        WHERE i.id = $1 AND i.status = 'open' RETURNING ${ITEM_COLUMNS}`,
      [id, moderator.id, action, note ?? null],
    )) as [ItemRow[], number];
    const item = rows[0][0];
    if (item) return item;
    const exists = (await m.query(`SELECT 1 FROM moderation_items WHERE id = $1`, [id])) as unknown[];
    throw exists.length ? conflict('This item was already resolved') : notFound('Queue item');
  }

  private async apply(
    m: EntityManager,
    item: ItemRow,
    action: Resolution,
  ): Promise<{ content: ContentForReview | undefined; after: AfterCommit }> {
    const none: AfterCommit = () => undefined;
    if (item.targetType === 'user') {
      if (action !== 'dismiss' && action !== 'approve') {
        throw badInput('action', 'for a reported member is dismiss or approve; use sanctions to act on them');
      }
      return { content: undefined, after: none };
    }
    const handler = this.registry.get(item.targetType);
    const content = await handler.load(item.targetId);
    if (!content) return { content: undefined, after: none };
    const from = content.status;
    const to = (status: Exclude<ContentForReview['status'], 'pending'>) => handler.setStatus(item.targetId, status, m);
    // A held edit is applied on approve, and dropped by any other resolution (it must not wait on with no entry).
    if (content.pendingEdit) await handler.settleEdit(item.targetId, action === 'approve', m);
    let after = none;
    switch (action) {
      case 'approve':
        if (from === 'pending' || from === 'hidden') after = await to('published');
        break;
      case 'reject':
        if (content.pendingEdit) break;
        if (from !== 'pending') throw badInput('action', 'reject is for held content; use hide or delete');
        after = await to('rejected');
        break;
      case 'hide':
        after = await to('hidden');
        break;
      case 'restore':
        if (from !== 'hidden') throw badInput('action', 'restore is for hidden content');
        after = await to('published');
        break;
      case 'delete':
        after = await to('deleted');
        break;
      case 'dismiss':
        // The reports were unfounded: undo what they did on their own.
        if (item.autoHidden && from === 'hidden') after = await to('published');
        break;
    }
    return { content, after };
  }
}

export const ITEM_COLUMNS = `i.id, i.target_type AS "targetType", i.target_id AS "targetId", i.status, i.priority,
  i.report_count AS "reportCount", i.reasons, i.gate_reasons AS "gateReasons", i.held, i.auto_hidden AS "autoHidden", i.created_at AS "createdAt",
  (extract(epoch FROM i.created_at) * 1000000)::bigint::text AS "createdUs", i.resolution,
  i.resolution_note AS "resolutionNote", i.resolved_at AS "resolvedAt", i.resolved_by AS "resolvedBy"`;
