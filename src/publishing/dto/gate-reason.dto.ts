import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { GateReason, ReasonCode } from '../review-sink';

/** Why the publishing gate held or flagged something, as a code a client maps to its own words. */
export class GateReasonDto implements GateReason {
  @ApiProperty({ enum: ['crisis', 'watched', 'approval', 'spam'] })
  code!: ReasonCode;

  @ApiPropertyOptional({ type: [String], description: 'crisis, watched: the watched word rules that matched' })
  ruleIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      "crisis, watched (moderation queue only): the matched rules' words or phrases, as the admins typed them; a rule removed since is left out",
  })
  phrases?: string[];

  @ApiPropertyOptional({ enum: ['hold', 'flag'], description: 'watched: what the matched rules do' })
  action?: 'hold' | 'flag';

  @ApiPropertyOptional({
    enum: ['all', 'new_member', 'guest'],
    description: "approval: the place holds every post, a new member's, or a guest's",
  })
  policy?: 'all' | 'new_member' | 'guest';

  @ApiPropertyOptional({ enum: ['honeypot', 'too_fast', 'links'], description: 'spam: which signal' })
  signal?: 'honeypot' | 'too_fast' | 'links';

  @ApiPropertyOptional({ type: 'integer', description: 'spam: the links, or the seconds of a too-fast form' })
  count?: number;
}

/** An edit the gate held: it waits beside the published text (for its author and moderators) until approved. */
export class PendingEditDto {
  @ApiProperty({ description: 'Markdown as written' })
  body!: string;

  @ApiProperty({ description: 'sanitised HTML' })
  bodyHtml!: string;

  @ApiProperty({ description: 'why it waits, in words' })
  heldReason!: string;

  @ApiProperty({ type: [GateReasonDto] })
  heldReasons!: GateReasonDto[];

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;
}

/** The edit waiting in the queue, as moderators see it. */
export class QueuePendingEditDto {
  @ApiProperty({ description: 'Markdown as written' })
  body!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'sanitised HTML' })
  bodyHtml!: string | null;

  @ApiProperty({ format: 'date-time' })
  submittedAt!: string;
}
