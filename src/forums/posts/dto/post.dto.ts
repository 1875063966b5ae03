import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { NumericId, Text } from '../../../common/validation/decorators';
import { ContentWarning, POST_MAX } from '../../threads/dto/thread.dto';
import { REACTION_KINDS, type ReactionKind } from '../post-reaction.constants';

export class CreatePostDto {
  @Text({ min: 1, max: POST_MAX, trim: false, description: 'Markdown' })
  body!: string;

  @ApiPropertyOptional({ description: 'the post this one answers or quotes' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'replyToId must be the id of a post in this thread' })
  replyToId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;

  @ContentWarning()
  contentWarning?: string;
}

export class EditPostDto {
  @Text({ min: 1, max: POST_MAX, trim: false, description: 'Markdown' })
  body!: string;

  @Text({
    optional: true,
    min: 1,
    max: 500,
    description: "a moderator's reason for changing someone else's post: kept with the revision and in the audit log",
  })
  reason?: string;
}

export class ReactionParams {
  @NumericId()
  id!: string;

  @ApiProperty({ enum: REACTION_KINDS })
  @IsIn(REACTION_KINDS, { message: `kind must be one of ${REACTION_KINDS.join(', ')}` })
  kind!: ReactionKind;
}
