import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { type ContextMessage, ContentRegistry, type ModeratedType } from '../../publishing/content-registry';
import { AuditService } from '../audit/audit.service';
import { PRIVATE_TARGETS, type ReportTarget } from '../reports/report.constants';

/** How many messages before and after the reported one a report keeps. */
export const CONTEXT_SIZE = 3;

/** What a moderator sees when she deliberately opens the conversation around a reported private message. */
export interface ReportedContextView {
  itemId: string;
  targetType: string;
  targetId: string;
  /** When the messages were copied (the first report); null when they were read as they are now. */
  capturedAt: string | null;
  messages: Array<Omit<ContextMessage, 'createdAt'> & { createdAt: string; removed?: boolean }>;
}

/**
 * The few messages around a reported private message, for moderators only.
 *
 * Copied at the first report, into moderation's own table, in the report's transaction: a scammer who deletes
 * her messages or leaves the conversation afterwards does not erase the evidence the receiver reported, and the
 * moderator reads what the reporter saw. Items the gate raised on its own (a crisis word in a private message)
 * have no report and so no copy: their context is read as it is now.
 *
 * Moderators never read private conversations otherwise; each opening is written to the audit log (who, which
 * item, when) in the same transaction that reads it.
 */
@Injectable()
export class ReportedContext {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly audit: AuditService,
  ) {}

  /** Whether items of this kind carry context a moderator may open. */
  static applies(type: string): boolean {
    return (PRIVATE_TARGETS as readonly string[]).includes(type);
  }

  /** Copies the messages around the target for the item, in the report's transaction; the first copy stays. */
  async capture(m: EntityManager, itemId: string, type: ReportTarget, targetId: string): Promise<void> {
    if (!ReportedContext.applies(type)) return;
    const handler = this.registry.get(type as ModeratedType);
    if (!handler.contextAround) return;
    const messages = await handler.contextAround(targetId, CONTEXT_SIZE);
    await m.query(
      `INSERT INTO moderation_contexts (item_id, messages) VALUES ($1, $2::jsonb) ON CONFLICT (item_id) DO NOTHING`,
      [itemId, JSON.stringify(messages.map(stored))],
    );
  }

  /** The context of one queue item, opened by a moderator: audited; 404 for items without private context. */
  async open(moderator: Principal, itemId: string): Promise<ReportedContextView> {
    return this.db.transaction(async (m) => {
      const [item] = (await m.query(
        `SELECT i.id, i.target_type AS "targetType", i.target_id AS "targetId", c.messages,
                c.captured_at AS "capturedAt"
           FROM moderation_items i LEFT JOIN moderation_contexts c ON c.item_id = i.id
          WHERE i.id = $1`,
        [itemId],
      )) as Array<{
        id: string;
        targetType: string;
        targetId: string;
        messages: StoredMessage[] | null;
        capturedAt: Date | null;
      }>;
      if (!item || !ReportedContext.applies(item.targetType)) throw notFound('Conversation context for this item');
      const messages = item.messages ?? (await this.live(item.targetType, item.targetId));
      await this.audit.record(
        {
          actorId: moderator.id,
          action: 'queue.context',
          targetType: item.targetType,
          targetId: item.targetId,
          details: {
            itemId: item.id,
            messages: messages.length,
            copiedAt: item.capturedAt?.toISOString() ?? null,
          },
        },
        m,
      );
      return {
        itemId: item.id,
        targetType: item.targetType,
        targetId: item.targetId,
        capturedAt: item.capturedAt?.toISOString() ?? null,
        messages,
      };
    });
  }

  /**
   * A deleted member in the copies: her name goes (as on her messages themselves) and, when she chose to delete
   * her words, her text too. Other members' messages stay as they were reported.
   */
  async forget(m: EntityManager, username: string, deleteWords: boolean): Promise<void> {
    await m.query(
      `UPDATE moderation_contexts c SET messages = (
         SELECT jsonb_agg(CASE WHEN e #>> '{author,username}' = $1
                  THEN e || jsonb_build_object('author', NULL)
                        || CASE WHEN $2 THEN jsonb_build_object('body', '', 'bodyHtml', '', 'removed', true)
                                ELSE '{}'::jsonb END
                  ELSE e END ORDER BY n)
           FROM jsonb_array_elements(c.messages) WITH ORDINALITY AS x(e, n))
        WHERE c.messages @> jsonb_build_array(jsonb_build_object('author', jsonb_build_object('username', $1::text)))`,
      [username, deleteWords],
    );
  }

  private async live(type: string, targetId: string): Promise<ReportedContextView['messages']> {
    const handler = this.registry.get(type as ModeratedType);
    if (!handler.contextAround) return [];
    return (await handler.contextAround(targetId, CONTEXT_SIZE)).map(stored);
  }
}

type StoredMessage = ReportedContextView['messages'][number];

/** A message as the copy keeps it: what the reporter saw, times as ISO text. */
function stored(message: ContextMessage): StoredMessage {
  return {
    id: message.id,
    author: message.author ? { username: message.author.username, displayName: message.author.displayName } : null,
    body: message.body,
    bodyHtml: message.bodyHtml,
    createdAt: new Date(message.createdAt).toISOString(),
    isTarget: message.isTarget,
  };
}
