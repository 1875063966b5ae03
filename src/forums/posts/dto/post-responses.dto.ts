import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GateReasonDto, PendingEditDto } from '../../../publishing/dto/gate-reason.dto';
import { AuthorDto } from '../../dto/author.dto';
import type { AuthorView, PostView, Reactions } from '../../forum-views';
import { CONTENT_STATUSES, type ContentStatus } from '../../threads/thread.constants';
import { REACTION_KINDS, type ReactionKind } from '../post-reaction.constants';

/** Reaction counts by kind, and the kinds you gave. */
export class ReactionsDto implements Reactions {
  @ApiProperty({ type: 'integer' })
  support!: number;

  @ApiProperty({ type: 'integer' })
  hug!: number;

  @ApiProperty({ type: 'integer' })
  same!: number;

  @ApiProperty({ type: 'integer' })
  thanks!: number;

  @ApiProperty({ enum: REACTION_KINDS, isArray: true, description: 'the kinds you gave (empty for guests)' })
  mine!: ReactionKind[];
}

export class PostDto implements PostView {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty()
  threadId!: string;

  @ApiProperty({ type: AuthorDto })
  author!: AuthorView;

  @ApiProperty({ type: 'string', nullable: true, description: 'Markdown as written; null once deleted or hidden' })
  body!: string | null;

  @ApiProperty({ description: 'sanitised HTML' })
  bodyHtml!: string;

  @ApiProperty({ type: 'string', nullable: true, description: "the author's content warning, shown before the text" })
  contentWarning!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  replyToId!: string | null;

  @ApiProperty({ type: ReactionsDto })
  reactions!: ReactionsDto;

  @ApiProperty()
  anonymous!: boolean;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  editedAt!: string | null;

  @ApiProperty({ enum: CONTENT_STATUSES })
  status!: ContentStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ description: 'signed in: whether you wrote it' })
  mine?: boolean;

  @ApiPropertyOptional({ description: 'for the author and moderators, while it waits: why it was held' })
  heldReason?: string;

  @ApiPropertyOptional({ type: [GateReasonDto], description: 'the same reasons as codes, for clients to word' })
  heldReasons?: GateReasonDto[];

  @ApiPropertyOptional({
    type: PendingEditDto,
    description: 'for the author and moderators: an edit the gate held; the published text stays until approved',
  })
  pendingEdit?: PendingEditDto;
}

/** A reply just written: 201 published, or 202 pending with a notice for its author. */
export class CreatedPostDto extends PostDto {
  @ApiPropertyOptional({ description: 'for the author: why it waits, or where to find support' })
  notice?: string;
}

/** An earlier version of a post. */
export class PostRevisionDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'Markdown as it was' })
  body!: string;

  @ApiProperty({ format: 'date-time', description: 'when this version was written' })
  writtenAt!: string;

  @ApiProperty({ format: 'date-time', description: 'when it was replaced' })
  editedAt!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'who replaced it' })
  editedBy!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: "why a moderator changed someone else's post" })
  reason!: string | null;
}
