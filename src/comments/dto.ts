import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CaptchaAnswerDto } from '../captcha/dto/captcha.dto';
import { Text } from '../common/validation/decorators';

export const COMMENT_MAX = 5000;
export const PAGE_KEY = /^[a-z0-9][a-z0-9-]{1,99}$/;

function PageKey() {
  return applyDecorators(
    ApiProperty({ example: 'breast-cancer-stage-four' }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    Matches(PAGE_KEY, { message: 'key must be 2-100 characters: a-z, 0-9 and -' }),
  );
}

export class PageKeyParams {
  @PageKey()
  key!: string;
}

export class PageKeysQuery {
  @ApiProperty({ description: 'comma-separated page keys (at most 100)' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,99}(,[a-z0-9][a-z0-9-]{1,99}){0,99}$/, {
    message: 'keys must be up to 100 page keys separated by commas',
  })
  keys!: string;
}

export class PutPageDto {
  @Text({ min: 1, max: 200 })
  title!: string;

  @ApiProperty({ example: 'https://example.org/articles/breast-cancer-stage-four' })
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http(s) URL' },
  )
  url!: string;

  @Text({ optional: true, max: 200, description: 'medical reviewer shown on the page' })
  reviewer?: string;

  @Text({ optional: true, max: 200 })
  editor?: string;

  @Text({ optional: true, max: 2000 })
  disclaimer?: string;
}

export class CreateCommentDto {
  @Text({ min: 1, max: COMMENT_MAX, trim: false, description: 'Markdown' })
  body!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'parentId must be the id of a comment on this page' })
  parentId?: string;

  @Text({ optional: true, min: 1, max: 64, description: 'guests: the name shown with the comment' })
  authorName?: string;

  @ApiPropertyOptional({ description: 'guests, optional: kept for moderators, never shown or logged' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @MaxLength(254)
  @Matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'authorEmail must be an email address' })
  authorEmail?: string;

  @ApiPropertyOptional({ description: 'guests must accept the terms' })
  @IsOptional()
  @IsBoolean({ message: 'acceptTerms must be true or false' })
  acceptTerms?: boolean;

  @ApiPropertyOptional({ type: CaptchaAnswerDto, description: 'required for guests' })
  @IsOptional()
  @IsObject({ message: 'captcha must be an object: {id, answer} or {id, number}' })
  @ValidateNested()
  @Type(() => CaptchaAnswerDto)
  captcha?: CaptchaAnswerDto;

  /** A field people never see: forms that fill it in are from bots. */
  @ApiPropertyOptional({ description: 'leave empty' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;
}

export class EditCommentDto {
  @Text({ min: 1, max: COMMENT_MAX, trim: false })
  body!: string;

  @Text({ optional: true, min: 3, max: 500, description: "moderators: why they change a member's words (audit log)" })
  reason?: string;
}

/** A moderator's edit of someone else's comment, from the pages: the reason is asked for. */
export class ModeratorEditCommentDto {
  @Text({ min: 1, max: COMMENT_MAX, trim: false })
  body!: string;

  @Text({ min: 3, max: 500 })
  reason!: string;
}

/** Why a moderator hides, restores or deletes a comment (optional, for the audit log). */
export class CommentActionDto {
  @Text({ optional: true, min: 3, max: 500 })
  reason?: string;
}

export class RatingDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt({ message: 'stars must be a whole number from 1 to 5' })
  @Min(1, { message: 'stars must be a whole number from 1 to 5' })
  @Max(5, { message: 'stars must be a whole number from 1 to 5' })
  stars!: number;
}
