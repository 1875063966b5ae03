import { ApiProperty } from '@nestjs/swagger';

import { GateReasonDto, QueuePendingEditDto } from '../../publishing/dto/gate-reason.dto';
import { ROLES } from '../../common/auth/role';
import type { AuditDetails, AuditView } from '../audit/audit.service';
import { RESOLUTIONS } from '../queue/moderation-item.constants';
import { REPORT_REASONS, REPORT_TARGETS } from '../reports/report.constants';
import { SANCTION_KINDS, type SanctionKind } from '../sanctions/sanction.constants';
import type { SanctionView } from '../sanctions/sanctions.service';
import type { WatchedAction, WatchedWord } from '../watched-words/matcher/watched-words-matcher';

const CONTENT_STATES = ['published', 'pending', 'hidden', 'deleted', 'rejected'];

export class ReportCreatedDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['open'] })
  status!: 'open';
}

export class QueueReportDto {
  @ApiProperty({ enum: REPORT_REASONS })
  reason!: string;

  @ApiProperty({ type: 'string', nullable: true })
  note!: string | null;

  @ApiProperty({ description: 'username of the member who reported it' })
  reporter!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class QueueReportsDto {
  @ApiProperty({ type: 'integer' })
  count!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'report count by reason',
    example: { spam: 2 },
  })
  byReason!: Record<string, number>;

  @ApiProperty({ type: [QueueReportDto] })
  items!: QueueReportDto[];
}

export class QueueContentDto {
  @ApiProperty({ enum: CONTENT_STATES })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'threads only' })
  title!: string | null;

  @ApiProperty({ description: 'Markdown as written (a bio for a reported member)' })
  body!: string;

  @ApiProperty({ type: 'string', nullable: true })
  bodyHtml!: string | null;

  @ApiProperty()
  anonymous!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'where it lives, for a link: e.g. {threadId} for posts',
  })
  context!: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: QueuePendingEditDto, nullable: true, description: 'an edit waiting for approval, or null' })
  pendingEdit!: QueuePendingEditDto | null;
}

export class QueueAuthorSanctionDto {
  @ApiProperty({ enum: SANCTION_KINDS })
  kind!: string;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  until!: string | null;

  @ApiProperty()
  lifted!: boolean;
}

/** The author's standing, so a moderator can weigh a first mistake against a pattern. */
export class QueueAuthorDto {
  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ type: 'integer' })
  approvedPosts!: number;

  @ApiProperty({ format: 'date-time' })
  joinedAt!: string;

  @ApiProperty({ description: 'no approved post yet' })
  newMember!: boolean;

  @ApiProperty({ type: [QueueAuthorSanctionDto], description: 'the latest ten' })
  sanctions!: QueueAuthorSanctionDto[];
}

export class QueueReachOutDto {
  @ApiProperty({ description: 'the care conversation, at /messages/:id for the moderator who opened it' })
  conversationId!: string;
}

export class ContextAuthorDto {
  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;
}

export class ContextMessageDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: ContextAuthorDto, nullable: true, description: 'null for a removed account' })
  author!: ContextAuthorDto | null;

  @ApiProperty({ description: 'Markdown as written' })
  body!: string;

  @ApiProperty()
  bodyHtml!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'the reported message' })
  isTarget!: boolean;
}

/** The messages around a reported private message, as the moderator opened them (each opening audited). */
export class ReportedContextDto {
  @ApiProperty()
  itemId!: string;

  @ApiProperty({ enum: ['conversation_message'] })
  targetType!: string;

  @ApiProperty()
  targetId!: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'when the report copied them; null when read as they are now (an item no member reported)',
  })
  capturedAt!: string | null;

  @ApiProperty({ type: [ContextMessageDto], description: 'oldest first' })
  messages!: ContextMessageDto[];
}

/** One entry of the moderation queue: held or flagged content, or reported content, with its reports. */
export class QueueItemDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: REPORT_TARGETS })
  targetType!: string;

  @ApiProperty()
  targetId!: string;

  @ApiProperty({ enum: ['open', 'resolved'] })
  status!: string;

  @ApiProperty({ type: 'integer', description: '0 crisis, 1 held, 2 reported: lower comes first' })
  priority!: number;

  @ApiProperty()
  crisis!: boolean;

  @ApiProperty({ description: 'waiting for approval before anyone else sees it' })
  held!: boolean;

  @ApiProperty({ description: 'hidden by reports until a moderator decides' })
  autoHidden!: boolean;

  @ApiProperty({ type: [String], description: 'why it is here' })
  reasons!: string[];

  @ApiProperty({ type: [GateReasonDto], description: 'why the gate held or flagged it, as codes' })
  gateReasons!: GateReasonDto[];

  @ApiProperty({ type: 'integer' })
  reportCount!: number;

  @ApiProperty({ type: QueueReportsDto })
  reports!: QueueReportsDto;

  @ApiProperty({ type: QueueContentDto, nullable: true, description: 'null when the content is gone' })
  content!: QueueContentDto | null;

  @ApiProperty({ type: QueueAuthorDto, nullable: true, description: 'null for guests and removed accounts' })
  author!: QueueAuthorDto | null;

  @ApiProperty({
    description:
      'a private message: the few messages around it open on a deliberate, audited request (GET .../context)',
  })
  hasContext!: boolean;

  @ApiProperty({
    type: QueueReachOutDto,
    nullable: true,
    description: 'the care conversation a moderator opened from this item, or null',
  })
  reachOut!: QueueReachOutDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', enum: [...RESOLUTIONS, null], nullable: true })
  resolution!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  resolutionNote!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  resolvedAt!: string | null;
}

export class SanctionDto implements SanctionView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty({ enum: SANCTION_KINDS })
  kind!: SanctionKind;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'null: until lifted' })
  until!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  liftedAt!: string | null;
}

export class WatchedWordDto implements WatchedWord {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'a word or phrase' })
  pattern!: string;

  @ApiProperty({ enum: ['block', 'hold', 'flag', 'crisis'] })
  action!: WatchedAction;
}

export class AuditEntryDto implements AuditView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'username of the moderator or admin' })
  actor!: string;

  @ApiProperty({ example: 'queue.approve' })
  action!: string;

  @ApiProperty()
  targetType!: string;

  @ApiProperty()
  targetId!: string;

  @ApiProperty({ type: 'string', nullable: true })
  note!: string | null;

  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] },
    description:
      'what the entry is about, kept even after its target is gone: e.g. {pattern, action} for a watched word',
    example: { pattern: 'end it all', action: 'crisis' },
  })
  details!: AuditDetails | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
