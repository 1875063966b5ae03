import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PendingEditDto } from '../../../publishing/dto/gate-reason.dto';
import type { CommentAuthor, CommentView } from '../comments.service';

/**
 * `author` of a comment: a member `{username, displayName}`, a guest `{username: null, displayName, guest: true}`,
 * or a removed account `{username: null, displayName: "Deleted", deleted: true}`.
 */
export class CommentAuthorDto {
  @ApiProperty({ type: 'string', nullable: true, description: 'null for guests and removed accounts' })
  username!: string | null;

  @ApiProperty()
  displayName!: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: written by a guest' })
  guest?: true;

  @ApiPropertyOptional({ type: Boolean, description: 'true: the account was removed' })
  deleted?: true;
}

export class CommentDto implements CommentView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: 'string', nullable: true })
  parentId!: string | null;

  @ApiProperty({ type: 'integer', description: '0 for a top-level comment' })
  depth!: number;

  @ApiProperty({ type: CommentAuthorDto })
  author!: CommentAuthor;

  @ApiProperty({ type: 'string', nullable: true, description: 'Markdown as written; null once deleted or hidden' })
  body!: string | null;

  @ApiProperty({ description: 'sanitised HTML (a placeholder once deleted)' })
  bodyHtml!: string;

  @ApiProperty({ enum: ['published', 'pending', 'hidden', 'deleted', 'rejected'] })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  editedAt!: string | null;

  @ApiPropertyOptional({ description: 'signed in: whether you wrote it' })
  mine?: boolean;

  @ApiProperty({ type: () => [CommentDto], description: 'answers to this comment, oldest first' })
  replies!: CommentDto[];

  @ApiPropertyOptional({
    type: PendingEditDto,
    description: 'for the author and moderators: an edit the gate held; the published text stays until approved',
  })
  pendingEdit?: PendingEditDto;
}

/** A comment just written: 201 published, or 202 pending with a notice for its author. */
export class CreatedCommentDto extends CommentDto {
  @ApiPropertyOptional({ description: 'for the author: why it waits, or where to find support' })
  notice?: string;
}

/** An earlier text of a comment (newest first). */
export class CommentRevisionDto {
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

  @ApiProperty({ type: 'string', nullable: true, description: "a moderator's reason for changing it" })
  reason!: string | null;
}
