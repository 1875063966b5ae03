import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Int, Text } from '../../../common/validation/decorators';
import { APPROVAL_POLICIES, type ApprovalPolicy } from '../category.constants';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;

export function Slug(o: { optional?: boolean } = {}) {
  return applyDecorators(
    ...(o.optional
      ? [IsOptional(), ApiPropertyOptional({ example: 'newly-diagnosed' })]
      : [ApiProperty({ example: 'newly-diagnosed' })]),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    Matches(SLUG_PATTERN, {
      message: '$property must be 2-64 characters: a-z, 0-9 and -, starting with a letter or digit',
    }),
  );
}

class CategoryFields {
  @Text({ min: 2, max: 80 })
  name!: string;

  @Text({ optional: true, max: 500 })
  description?: string;

  @ApiPropertyOptional({ enum: APPROVAL_POLICIES, default: 'new_members' })
  @IsOptional()
  @IsIn(APPROVAL_POLICIES, { message: 'approval must be none, new_members or all' })
  approval?: ApprovalPolicy;

  @Int({ optional: true, min: 0, max: 10000, description: 'order on the home page, smallest first' })
  position?: number;
}

export class CreateCategoryDto extends CategoryFields {
  @Slug()
  slug!: string;
}

export class UpdateCategoryDto {
  @Text({ optional: true, min: 2, max: 80 })
  name?: string;

  @Text({ optional: true, max: 500 })
  description?: string;

  @ApiPropertyOptional({ enum: APPROVAL_POLICIES })
  @IsOptional()
  @IsIn(APPROVAL_POLICIES, { message: 'approval must be none, new_members or all' })
  approval?: ApprovalPolicy;

  @Int({ optional: true, min: 0, max: 10000 })
  position?: number;
}

export class CategorySlugParams {
  @Slug()
  slug!: string;
}
