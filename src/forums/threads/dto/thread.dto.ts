import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
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

export class MoveThreadDto {
  @Slug()
  category!: string;
}

export { IdParams } from '../../../common/validation/params';
