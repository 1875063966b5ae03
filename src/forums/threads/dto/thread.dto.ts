import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, Matches } from 'class-validator';
import { Text } from '../../../common/validation/decorators';
import { Slug } from '../../categories/dto/category.dto';

export const POST_MAX = 20_000;

/** An optional warning shown before a post's text, which readers open to read it: trimmed, 1-100 characters. */
export const ContentWarning = () =>
  Text({
    optional: true,
    min: 1,
    max: 100,
    description:
      'a short warning shown before the text (e.g. "loss", "scan results"); readers open the post to read it',
  });

export class CreateThreadDto {
  @Text({ min: 5, max: 150 })
  title!: string;

  @Text({ min: 1, max: POST_MAX, trim: false, description: 'Markdown' })
  body!: string;

  @ApiPropertyOptional({ default: false, description: 'members and guests see "Anonymous member"' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;

  @ContentWarning()
  contentWarning?: string;
}

export class EditThreadDto {
  @Text({ min: 5, max: 150 })
  title!: string;

  @Text({
    optional: true,
    min: 1,
    max: 500,
    description: "a moderator's reason for changing someone else's title: kept in the audit log",
  })
  reason?: string;
}

/** How many replies one split moves at most (a page of them). */
export const SPLIT_MAX = 100;

export class SplitThreadDto {
  @ApiProperty({
    type: [String],
    description: 'ids of replies in this thread; the first (oldest) opens the new thread',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'posts: choose at least one reply to move' })
  @ArrayMaxSize(SPLIT_MAX)
  @Matches(/^\d{1,18}$/, { each: true, message: 'posts must be replies in this thread' })
  posts!: string[];

  @Text({ min: 5, max: 150 })
  title!: string;

  @Slug()
  category!: string;
}

export class MoveThreadDto {
  @Slug()
  category!: string;
}

export { IdParams } from '../../../common/validation/params';
