import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { badInput, notFound } from '../../common/errors/domain-error';
import { conflictIfTaken } from '../../common/errors/unique-violation';
import { EVENTS } from '../../common/events';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { TypedEvents } from '../../common/typed-events';
import { Text } from '../../common/validation/decorators';
import { NotificationsService } from '../../notifications/notifications.service';
import { ContentRegistry } from '../../publishing/content-registry';
import { PRIORITY, QueueService } from '../queue/queue.service';
import { ReportedContext } from '../queue/reported-context';
import { REPORT_REASONS, REPORT_TARGETS, type ReportReason, type ReportTarget } from './report.constants';

export class CreateReportDto {
  @ApiProperty({ enum: REPORT_TARGETS })
  @IsIn(REPORT_TARGETS, { message: `targetType must be one of ${REPORT_TARGETS.join(', ')}` })
  targetType!: ReportTarget;

  @ApiProperty({ description: 'the id of the post, thread, comment or message; for a member, their id or username' })
  @Matches(/^[a-z0-9_]{1,32}$/i, { message: 'targetId must be an id (or, for a member, a username)' })
  targetId!: string;

  @ApiProperty({ enum: REPORT_REASONS })
  @IsIn(REPORT_REASONS, { message: `reason must be one of ${REPORT_REASONS.join(', ')}` })
  reason!: ReportReason;

  @Text({ optional: true, max: 1000, description: 'what the moderators should know' })
  note?: string;
}

/**
 * Members report content or members. A private message is reported only by a participant who can see it, and its
 * report copies the few messages around it for the moderators (ReportedContext). One open report per member and target (409 otherwise; the database's partial
 * unique index holds it). Reports from AUTO_HIDE_REPORTS different members hide published content until a
 * moderator decides, and its author is told. The reporter is never shown to the author.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly queue: QueueService,
    private readonly notifications: NotificationsService,
    private readonly events: TypedEvents,
    private readonly context: ReportedContext,
  ) {}

  async report(reporter: Principal, input: CreateReportDto): Promise<{ id: string; status: 'open' }> {
    const target = await this.target(reporter, input.targetType, input.targetId);
    if (target.authorId === reporter.id) throw badInput('targetId', 'is your own: you cannot report yourself');
    const priority = input.reason === 'self_harm' ? PRIORITY.crisis : PRIORITY.reported;
    const outcome = await this.db.transaction(async (m) => {
      let reportId: string;
      try {
        const [row] = (await m.query(
          `INSERT INTO reports (reporter_id, target_type, target_id, reason, note) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [reporter.id, input.targetType, target.id, input.reason, input.note ?? null],
        )) as Array<{ id: string }>;
        reportId = row.id;
      } catch (err) {
        throw conflictIfTaken(err, 'You have already reported this; moderators will look at it');
      }
      const itemId = await this.queue.enqueue(
        { targetType: input.targetType, targetId: target.id, reasons: [], held: false, priority },
        m,
      );
      await this.context.capture(m, itemId, input.targetType, target.id);
      const updated = (await m.query(
        `UPDATE moderation_items SET report_count = (
           SELECT count(DISTINCT reporter_id) FROM reports WHERE target_type = $2 AND target_id = $3 AND resolved_at IS NULL)
          WHERE id = $1 RETURNING report_count AS count`,
        [itemId, input.targetType, target.id],
      )) as [Array<{ count: number }>, number];
      const count = updated[0][0].count;
      return { reportId, itemId, count };
    });
    this.events.emit(EVENTS.moderationAlert, {
      kind: 'report',
      itemId: outcome.itemId,
      targetType: input.targetType,
      targetId: target.id,
      excerpt: plainTextExcerpt(target.body, 120),
    });
    if (outcome.count >= this.config.moderation.autoHideReports)
      await this.autoHide(outcome.itemId, input.targetType, target);
    return { id: outcome.reportId, status: 'open' };
  }

  /**
   * A private message as the member who would report it sees it, for the report form (who wrote it, so that she
   * may also block the sender): 404 to anyone who cannot see it, as the report itself.
   */
  async reportableMessage(reporter: Principal, id: string): Promise<ReportableMessage> {
    const type = 'conversation_message';
    const target = await this.target(reporter, type, id);
    const handler = this.registry.get(type);
    const [self] = handler.contextAround ? (await handler.contextAround(target.id, 0)).filter((c) => c.isTarget) : [];
    return {
      id: target.id,
      body: target.body,
      author: self?.author ?? null,
      mine: target.authorId === reporter.id,
      conversationId: target.context?.conversationId ?? null,
    };
  }

  /** Enough different members reported it: hide it until a moderator decides, and tell the author why. */
  private async autoHide(itemId: string, type: ReportTarget, target: Target): Promise<void> {
    if (type === 'user' || target.status !== 'published') return;
    const [, affected] = (await this.db.query(
      `UPDATE moderation_items SET auto_hidden = true WHERE id = $1 AND status = 'open' AND NOT auto_hidden`,
      [itemId],
    )) as [unknown, number];
    if (!affected) return;
    await this.registry.get(type).setStatus(target.id, 'hidden');
    if (target.authorId) {
      await this.notifications.create([
        {
          userId: target.authorId,
          kind: 'moderation',
          data: {
            action: 'auto_hide',
            targetType: type,
            targetId: target.id,
            ...(target.context ?? {}),
            message: `Your ${type.replace('_', ' ')} is hidden while moderators review reports about it.`,
            excerpt: plainTextExcerpt(target.body, 120),
          },
        },
      ]);
    }
  }

  /**
   * The reported thing, as the reporter may see it: unknown or invisible targets are 404, and so is a private
   * message to anyone but a participant who can see it (the content's own `visibleTo` rule).
   */
  private async target(reporter: Principal, type: ReportTarget, idOrName: string): Promise<Target> {
    if (type === 'user') {
      const rows = (await this.db.query(
        `SELECT id, bio FROM users WHERE ${/^\d+$/.test(idOrName) ? 'id' : 'username'} = $1`,
        [idOrName.toLowerCase()],
      )) as Array<{ id: string; bio: string }>;
      if (!rows[0]) throw notFound('User');
      return { id: rows[0].id, authorId: rows[0].id, status: 'published', body: rows[0].bio };
    }
    if (!/^\d{1,18}$/.test(idOrName)) throw badInput('targetId', 'must be a numeric id');
    const handler = this.registry.get(type);
    if (handler.visibleTo && !(await handler.visibleTo(reporter.id, idOrName))) throw notFound(type.replace('_', ' '));
    const content = await handler.load(idOrName);
    if (!content || !['published', 'hidden'].includes(content.status)) throw notFound(type.replace('_', ' '));
    return {
      id: content.targetId,
      authorId: content.authorId,
      status: content.status,
      body: content.body,
      context: content.context,
    };
  }
}

export interface ReportableMessage {
  id: string;
  body: string;
  author: { username: string; displayName: string } | null;
  mine: boolean;
  conversationId: string | null;
}

interface Target {
  id: string;
  authorId: string | null;
  status: string;
  body: string;
  context?: Record<string, string>;
}
